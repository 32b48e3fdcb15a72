"""The gazetteer: coordinates in range, sourced, and right against independent reference points."""

import math

import pytest

from geo.gazetteer import load_places

# Independent reference coordinates (GeoNames / Wikipedia), used to catch swapped or mistyped values.
REFERENCE = {
    "yining": (43.90, 81.28),  # Wikipedia: 43°54′N 81°17′E
    "tacheng": (46.75, 82.98),  # Wikipedia: 46°45′N 82°59′E
    "altay": (47.83, 88.13),  # Wikipedia: 47°50′N 88°08′E
    "urumqi": (43.80, 87.60),  # GeoNames 1529102
    "moscow": (55.7558, 37.6173),
    "beijing": (39.9042, 116.4074),
    "zhenbao-island": (46.4856, 133.8444),  # Wikipedia: 46°29′08″N 133°50′40″E
    "khorgos": (44.21, 80.42),  # Wikipedia (Horgos city): 44°13′N 80°25′E
    "alma-ata": (43.2565, 76.9285),  # GeoNames 1526384
    "khabarovsk-confluence": (48.2666, 134.7204),  # Wikipedia 'Ussuri', mouth: 48°16′00″N 134°43′13″E
    "petrograd": (59.9343, 30.3351),  # Wikipedia 'Saint Petersburg': 59°56′N 30°20′E
}


def km(a, b):
    (lat1, lon1), (lat2, lon2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def test_at_least_25_places_each_sourced(places):
    assert len(places) >= 25
    for p in places.values():
        assert p.coord_source.strip(), p.id
        assert p.name["en"] and p.name["zh"], p.id


@pytest.mark.parametrize("pid, ref", sorted(REFERENCE.items()))
def test_coordinates_match_reference(places, pid, ref):
    place = places[pid]
    limit = {"point": 5, "town": 10, "county": 30, "region": 500}[place.precision]
    assert km((place.lat, place.lon), ref) <= limit, f"{pid} is {km((place.lat, place.lon), ref):.1f} km off"


def test_corps_farms(places):
    farms = [p for p in places.values() if p.kind == "farm"]
    assert len(farms) >= 8
    for farm in farms:
        assert farm.division and farm.division.get("en") and farm.division.get("zh"), farm.id
        assert farm.precision in ("point", "town", "county"), farm.id


def test_no_two_farms_share_a_point(places):
    farms = sorted((p for p in places.values() if p.kind == "farm"), key=lambda p: p.id)
    for i, a in enumerate(farms):
        for b in farms[i + 1 :]:
            assert km((a.lat, a.lon), (b.lat, b.lon)) > 1, (a.id, b.id)


def test_farms_say_what_their_point_is(places):
    # A county seat or a territory's centre: the note or source must say so.
    approximate = [p for p in places.values() if p.kind == "farm" and p.precision == "county"]
    assert approximate, "the gazetteer has farms placed only to the county"
    for farm in approximate:
        text = (farm.coord_source + " " + farm.note).lower()
        assert any(w in text for w in ("county seat", "centre", "inferred", "not located", "not verified")), farm.id


def test_a_bortala_border_farm_near_alashankou(places):
    bortala = [p for p in places.values() if p.kind == "farm" and p.division and "5th" in p.division["en"]]
    assert bortala, "no 5th Division (Bortala) farm"
    bole, alashankou = (44.8933, 82.0699), (45.1702, 82.5698)  # GeoNames 8521718, 8521719
    assert any(km((p.lat, p.lon), bole) < 80 and km((p.lat, p.lon), alashankou) < 60 and p.border for p in bortala)


def test_regiment_167_is_not_on_emin_or_the_165th(places):
    r167 = places["regiment-167"]
    for other in ("emin", "regiment-165"):
        assert km((r167.lat, r167.lon), (places[other].lat, places[other].lon)) > 10, other


def test_old_unsourced_claims_are_gone(places):
    assert "July 1963" not in places["bakhty"].note
    assert "29 May" not in places["yining"].note


def _write(tmp_path, text):
    path = tmp_path / "gazetteer.yaml"
    path.write_text(text, "utf-8")
    return path


AREA = """- id: somewhere
  name: {en: "Somewhere", zh: "某地"}
  kind: area
  geometry: GEOMETRY
  lat: LAT
  lon: LON
  precision: region
  coord_source: "test"
"""


def test_an_area_without_a_polygon_is_rejected_with_its_line(tmp_path):
    text = "- id: beijing\n  name: {en: B, zh: 北京}\n  kind: capital\n  lat: 39.9\n  lon: 116.4\n  precision: town\n  coord_source: x\n"
    text += AREA.replace("GEOMETRY", "no-such-area").replace("LAT", "41.3").replace("LON", "85.9")
    places, problems = load_places(_write(tmp_path, text), label="gaz.yaml")
    assert set(places) == {"beijing"}  # the other kinds still load
    [problem] = problems
    assert problem.item == "somewhere" and problem.field == "geometry" and problem.line == 11
    assert "no-such-area" in problem.message and "areas.geojson" in problem.message
    assert str(problem).startswith("gaz.yaml:11: somewhere: geometry:")


def test_an_area_needs_a_geometry_and_its_point_inside(tmp_path):
    text = AREA.replace("  geometry: GEOMETRY\n", "").replace("LAT", "41.3").replace("LON", "85.9")
    _places, [problem] = load_places(_write(tmp_path, text))
    assert problem.field == "geometry" and "needs" in problem.message
    text = AREA.replace("GEOMETRY", "xinjiang").replace("LAT", "43.80").replace("LON", "120.0")
    _places, [problem] = load_places(_write(tmp_path, text))
    assert problem.field == "lat" and "outside" in problem.message
    text = AREA.replace("GEOMETRY", "xinjiang").replace("LAT", "41.3").replace("LON", "85.9")
    places, problems = load_places(_write(tmp_path, text))
    assert problems == [] and places["somewhere"].geometry == "xinjiang" and places["somewhere"].is_area


def test_only_an_area_has_a_geometry(tmp_path):
    text = "- id: x\n  name: {en: X, zh: X}\n  kind: city\n  geometry: xinjiang\n  lat: 41.3\n  lon: 85.9\n  precision: town\n  coord_source: x\n"
    _places, [problem] = load_places(_write(tmp_path, text))
    assert problem.field == "geometry" and problem.line == 4


def test_an_unreadable_areas_file_is_a_problem_naming_it(tmp_path, monkeypatch):
    import geo.gazetteer as gazetteer
    from geo.areas import AreasFileError

    def broken(*_a, **_k):
        raise AreasFileError(f"{tmp_path / 'areas.geojson'}: cannot read the areas: test")

    monkeypatch.setattr(gazetteer, "load_areas", broken)
    text = AREA.replace("GEOMETRY", "xinjiang").replace("LAT", "41.3").replace("LON", "85.9")
    _places, [problem] = load_places(_write(tmp_path, text))
    assert "areas.geojson" in problem.message and problem.line == 4
