"""Whether a point lies in one of the countries of the atlas's 1962 map (to catch swapped coordinates)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import shape

COUNTRIES = Path(__file__).parent / "data" / "countries_1962.geojson"


@lru_cache(maxsize=2)
def _land(path: Path):
    try:
        with open(path, encoding="utf-8") as f:
            features = json.load(f)["features"]
        land = shapely.union_all([shape(f["geometry"]) for f in features])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, shapely.errors.ShapelyError):
        return None  # the map's problems list names the layer; here the check is simply not made
    shapely.prepare(land)
    return land


def on_land(lon: float, lat: float, path: Path = COUNTRIES) -> bool | None:
    """True or False, or None when the countries layer cannot be read."""
    land = _land(path)
    return None if land is None else bool(shapely.contains_xy(land, lon, lat))
