"""Areas: valid polygons, one per gazetteer area, label points inside, strips where they belong."""

import json
import math

import pytest
import shapely
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from geo.areas import AREAS_FILE, AreasFileError, load_areas, regions_of
from geo.regions import load_regions

DATA = AREAS_FILE.parent
AREA_IDS = {"xinjiang", "ili-tacheng-altay", "ili-prefecture", "tacheng-prefecture", "altay-prefecture",
            "xinjiang-soviet-border", "xinjiang-afghan-border", "amur-ussuri-border", "qinghai", "northern-tibet",
            "kashmir", "sino-vietnamese-border", "manchuria", "sino-soviet-border", "china", "czechoslovakia", "afghanistan"}  # fmt: skip


def km(a, b):
    (lat1, lon1), (lat2, lon2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def layer(name):
    return {f["properties"]["id"]: f for f in json.loads((DATA / f"{name}.geojson").read_text("utf-8"))["features"]}


@pytest.fixture(scope="module")
def areas():
    return load_areas()


def test_one_valid_polygon_per_area_with_its_properties(areas):
    assert set(areas) == AREA_IDS
    for aid, f in layer("areas").items():
        geom = shape(f["geometry"])
        assert geom.geom_type in ("Polygon", "MultiPolygon") and shapely.is_valid(geom) and not geom.is_empty, aid
        props = f["properties"]
        assert props["name"]["en"] and props["name"]["zh"] and props["source"] and props["how"], aid
        minx, miny, maxx, maxy = geom.bounds  # lon/lat order, EPSG:4326
        assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90, aid
        # Asia and Europe in lon/lat order: swapped, every one of these would have a y outside 15..60 N
        assert 10 < minx and 15 < miny < maxy < 60, (aid, geom.bounds)


def test_coordinates_are_rounded_and_the_file_small():
    text = AREAS_FILE.read_text("utf-8")
    assert len(text.encode()) < 300_000
    for f in json.loads(text)["features"]:
        coords = shapely.get_coordinates(shape(f["geometry"]))
        assert (abs(coords * 1000 - (coords * 1000).round()) < 1e-6).all(), f["properties"]["id"]


def test_gazetteer_areas_match_the_polygons_and_their_points_lie_inside(areas, places):
    gazetteer_areas = {p.id: p for p in places.values() if p.kind == "area"}
    assert set(gazetteer_areas) == AREA_IDS
    for p in gazetteer_areas.values():
        assert p.geometry in areas, p.id
        assert areas[p.geometry].contains(Point(p.lon, p.lat)), p.id
        assert p.precision == "region", p.id
    # No two areas share a label point (each symbol can be clicked on its own).
    points = [(p.lat, p.lon) for p in gazetteer_areas.values()]
    for i, a in enumerate(points):
        for b in points[i + 1 :]:
            assert km(a, b) > 20, (a, b)


def test_prefectures_make_up_their_union_and_lie_in_xinjiang(areas):
    union = shapely.union_all([areas[a] for a in ("ili-prefecture", "tacheng-prefecture", "altay-prefecture")])
    assert union.symmetric_difference(areas["ili-tacheng-altay"]).area < 0.001 * union.area
    assert areas["xinjiang"].buffer(0.001).contains(areas["ili-tacheng-altay"])


def test_soviet_border_strip_runs_along_the_border_inside_xinjiang(areas):
    strip, xinjiang = areas["xinjiang-soviet-border"], areas["xinjiang"]
    border = shape(layer("border_sino_soviet")["xinjiang"]["geometry"])
    assert xinjiang.buffer(0.001).contains(strip)
    # The border line lies along the strip's edge: nearly all of it within 2 km (0.02 deg) of the strip.
    assert border.difference(strip.buffer(0.02)).length < 0.02 * border.length
    # About 50 km deep: the strip reaches well inland but no further than about 50 km (0.7 deg of longitude).
    yining = Point(81.2777, 43.9080)  # 70 km from the border: outside
    khorgos = Point(80.4164, 44.2028)  # on the border: inside
    assert strip.contains(khorgos) and not strip.contains(yining)
    urumqi = Point(87.6005, 43.8010)
    assert not strip.contains(urumqi)


def test_afghan_border_area_is_xinjiang_within_150_km_of_afghanistan(areas):
    afghan = areas["xinjiang-afghan-border"]
    afghanistan = shape(layer("countries_1962")["afghanistan"]["geometry"])
    assert areas["xinjiang"].buffer(0.001).contains(afghan)
    for x, y in shapely.get_coordinates(afghan):
        nearest = nearest_points(afghanistan, Point(x, y))[0]
        assert km((y, x), (nearest.y, nearest.x)) < 150, (x, y)
    kashgar = Point(75.9868, 39.4672)
    assert not afghan.contains(kashgar)


def test_amur_ussuri_strip_covers_the_border_rivers(areas, places):
    strip = areas["amur-ussuri-border"]
    for pid in ("zhenbao-island", "khabarovsk-confluence"):
        assert strip.contains(Point(places[pid].lon, places[pid].lat)), pid
    assert not strip.contains(Point(places["harbin"].lon, places["harbin"].lat))


def test_kashmir_is_the_1962_polygon(areas):
    kashmir = shape(layer("countries_1962")["kashmir"]["geometry"])
    assert kashmir.symmetric_difference(areas["kashmir"]).area < 0.001 * kashmir.area


def test_sino_vietnamese_strip_touches_both_countries(areas):
    strip = areas["sino-vietnamese-border"]
    countries = layer("countries_1962")
    for cid in ("prc", "north-vietnam"):
        assert strip.intersection(shape(countries[cid]["geometry"])).area > 0.5, cid
    assert not strip.contains(Point(105.8412, 21.0245))  # Hanoi, 150 km from the border


def test_regions_of_by_intersection(areas):
    assert set(regions_of(areas["xinjiang"])) >= {"ili", "tacheng", "altay", "bortala"}
    assert regions_of(areas["ili-prefecture"]) == ("ili",)  # a shared edge with Bortala does not count
    assert regions_of(areas["amur-ussuri-border"]) == ("heilongjiang",)
    assert regions_of(areas["kashmir"]) == ()
    assert regions_of(Point(81.2777, 43.9080)) == ("ili",)
    assert regions_of(shapely.Polygon()) == ()
    found = regions_of(areas["xinjiang"])  # in the regions layer's order, whatever the geometry's
    assert found == tuple(r.id for r in load_regions() if r.id in found)


def test_unreadable_areas_file_is_named(tmp_path):
    bad = tmp_path / "areas.geojson"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(AreasFileError, match="areas.geojson"):
        load_areas(bad)
    with pytest.raises(AreasFileError, match="missing.geojson"):
        load_areas(tmp_path / "missing.geojson")
