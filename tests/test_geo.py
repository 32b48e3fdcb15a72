"""The map's layers: real boundaries, right containment, regions from geometry, valid exports."""

import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, shape

from geo.regions import assign_regions, load_regions

ROOT = Path(__file__).resolve().parent.parent


@functools.cache  # each layer is exported once per run (the tests only read it)
def export(name: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "geo", "export", name], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def countries():
    return {f["properties"]["id"]: shape(f["geometry"]) for f in export("countries")["features"]}


def test_1962_ussr_contains_alma_ata_not_yining(countries, corpus):
    alma_ata, yining = corpus.places["alma-ata"], corpus.places["yining"]
    assert countries["ussr"].contains(Point(alma_ata.lon, alma_ata.lat))
    assert not countries["ussr"].contains(Point(yining.lon, yining.lat))
    assert countries["prc"].contains(Point(yining.lon, yining.lat))
    assert "kazakhstan" not in countries and "kyrgyzstan" not in countries


def test_every_layer_is_valid_and_named_in_both_languages():
    for name in ("countries", "regions", "borders", "places"):
        data = export(name)
        assert data["type"] == "FeatureCollection" and data["features"], name
        for f in data["features"]:
            assert f["properties"]["name"]["en"] and f["properties"]["name"]["zh"], (name, f["properties"])
            assert f["properties"]["source"], (name, f["properties"]["id"])
            assert shapely.is_valid(shape(f["geometry"])), (name, f["properties"]["id"])


def test_places_export_has_every_place(corpus):
    assert {f["properties"]["id"] for f in export("places")["features"]} == set(corpus.places)
    assert len(corpus.places) >= 25


@pytest.mark.parametrize(
    "region, inside",
    [
        ("ili", ["yining", "huocheng", "khorgos", "regiment-61"]),
        ("tacheng", ["tacheng", "yumin", "emin", "bakhty", "regiment-166"]),
        ("altay", ["altay", "habahe", "jeminay", "regiment-185"]),
        ("bortala", ["bole"]),
        ("heilongjiang", ["harbin", "hulin", "zhenbao-island"]),
    ],
)
def test_each_region_holds_its_own_towns_and_no_others(corpus, region, inside):
    points = {pid: corpus.places[pid] for pid in corpus.places}
    got = dict(
        zip(points, assign_regions([p.lon for p in points.values()], [p.lat for p in points.values()]), strict=True)
    )
    for pid in inside:
        assert got[pid] == region, (pid, got[pid])
    for pid in ("moscow", "beijing", "urumqi", "alma-ata"):
        assert got[pid] == "elsewhere", pid


def test_region_of_an_event_comes_from_its_point(corpus):
    """A point event is in the region its point falls in; an area event in every region its polygon meets."""
    from geo.areas import load_areas, regions_of

    regions = {r.id: r for r in load_regions()}
    areas = load_areas()
    assert any(e.area for e in corpus.events)
    for e in corpus.events:
        if e.area:
            assert e.regions == (regions_of(areas[e.area]) or ("elsewhere",)), e.id
            assert e.region == e.regions[0]
        elif e.region == "elsewhere":
            assert not any(r.geometry.contains(Point(e.lon, e.lat)) for r in regions.values()), e.id
        else:
            assert regions[e.region].geometry.contains(Point(e.lon, e.lat)), e.id


def test_border_runs_between_the_prc_and_the_ussr(countries):
    border = shape(export("borders")["features"][0]["geometry"])
    assert border.length > 20  # degrees: thousands of km
    assert countries["prc"].buffer(0.05).contains(border.interpolate(0.5, normalized=True))
    assert countries["ussr"].buffer(0.05).contains(border.interpolate(0.5, normalized=True))


def test_flows_end_on_the_soviet_side_and_rest_on_events(countries, corpus):
    data = export("flows")
    lines = [f for f in data["features"] if f["properties"]["part"] == "line"]
    assert {f["properties"]["id"] for f in lines} >= {"ili-khorgos", "tacheng-bakhty"}
    for f in lines:
        start, *_, end = f["geometry"]["coordinates"]
        assert countries["prc"].contains(Point(start)), f["properties"]["id"]
        assert countries["ussr"].contains(Point(end)), f["properties"]["id"]
        assert f["properties"]["events"] and all(corpus.event(e) for e in f["properties"]["events"])
        assert f["properties"]["name"]["en"] and f["properties"]["name"]["zh"]


def test_rivers_run_where_the_story_needs_them(corpus):
    """The Ili is one line from the Tekes-Kunes confluence past Yining to Lake Balkhash (the stretch
    under the Kapchagay reservoir marked inferred), and the Ussuri passes Zhenbao Island."""
    from shapely.ops import linemerge, unary_union

    from geo.layers import layer

    rivers = {f["properties"]["id"]: f for f in layer("rivers")["features"]}
    assert rivers["ili-kapchagay"]["properties"]["inferred"] is True
    assert not rivers["ili"]["properties"].get("inferred")
    ili = linemerge(unary_union([shape(rivers[r]["geometry"]) for r in ("ili", "ili-kapchagay")]))
    assert ili.geom_type == "LineString", "the Ili has a gap"
    ends = sorted([ili.coords[0], ili.coords[-1]])
    assert ends[0][0] < 74.5 and ends[0][1] > 45  # into Lake Balkhash
    assert ends[1][0] > 82  # the confluence east of Yining
    yining, zhenbao = corpus.places["yining"], corpus.places["zhenbao-island"]
    assert ili.distance(Point(yining.lon, yining.lat)) < 0.1
    assert shape(rivers["amur-ussuri"]["geometry"]).distance(Point(zhenbao.lon, zhenbao.lat)) < 0.05


def test_a_flow_whose_places_are_unknown_is_reported_with_its_line(tmp_path, corpus):
    from geo.flows import FLOWS, read_flows

    text = FLOWS.read_text("utf-8").replace("from: ", "from: no-such-place-", 1)
    path = tmp_path / "flows.yaml"
    path.write_text(text, "utf-8")
    flows, left_out = read_flows(corpus.places, path)
    [problem] = left_out
    assert "this flow is not drawn" in problem.message and problem.line is not None
    assert problem.item not in {f.id for f in flows}
    assert len(flows) == len(read_flows(corpus.places)[0]) - 1


def test_the_region_filter_treats_an_area_by_intersection(corpus):
    """An event about the whole border strip shows under each prefecture the strip crosses, by the
    per-event filter and by the column filter alike; a point event only under its own region."""
    from events.query import select

    strip = [e for e in corpus.events if e.place == "xinjiang-soviet-border"]
    assert strip
    for region in ("ili", "tacheng", "altay", "bortala"):
        by_event = {e.id for e in select(corpus.events, regions=[region])}
        by_column = {e.id for e in corpus.columns.select(regions=[region])}
        assert by_event == by_column
        assert {e.id for e in strip} <= by_event, region
    khorgos = next(e for e in corpus.events if e.place == "khorgos")
    assert khorgos.regions == ("ili",)
    assert khorgos.id not in {e.id for e in select(corpus.events, regions=["heilongjiang"])}
