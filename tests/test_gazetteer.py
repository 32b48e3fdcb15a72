"""The gazetteer: coordinates in range, sourced, and right against independent reference points."""

import math

import pytest

from geo.gazetteer import GAZETTEER, load_places

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
}


def km(a, b):
    (lat1, lon1), (lat2, lon2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def places():
    found, problems = load_places(GAZETTEER)
    assert problems == []
    return found


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
