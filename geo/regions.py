"""Regions from real administrative boundaries; an event's region is where its point falls."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

DATA = Path(__file__).parent / "data"
REGIONS_FILE = DATA / "regions.geojson"
ELSEWHERE = "elsewhere"
ELSEWHERE_NAME = {"en": "Elsewhere", "zh": "其他地区"}


@dataclass(frozen=True)
class Region:
    id: str
    name: dict
    geometry: object  # shapely geometry
    source: str


@lru_cache(maxsize=4)
def _read_regions(path: Path) -> tuple[Region, ...]:
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    regions = []
    for feature in collection["features"]:
        props = feature["properties"]
        geometry = shape(feature["geometry"])
        shapely.prepare(geometry)
        regions.append(Region(props["id"], props["name"], geometry, props.get("source", "")))
    return tuple(regions)


def load_regions(path: Path = REGIONS_FILE) -> tuple[Region, ...]:
    """The regions; raises OSError or ValueError if the layer is missing or corrupt."""
    return _read_regions(path)


def safe_regions() -> tuple[Region, ...]:
    """The regions, or none at all if the layer cannot be read (the loader reports why)."""
    try:
        return load_regions()
    except (OSError, ValueError, KeyError, TypeError):
        return ()


def region_ids(regions: tuple[Region, ...] | None = None) -> list[str]:
    regions = safe_regions() if regions is None else regions
    return [r.id for r in regions] + [ELSEWHERE]


def region_names(regions: tuple[Region, ...] | None = None) -> dict[str, dict]:
    regions = safe_regions() if regions is None else regions
    return {**{r.id: r.name for r in regions}, ELSEWHERE: ELSEWHERE_NAME}


def assign_regions(lons, lats, regions: tuple[Region, ...] | None = None) -> np.ndarray:
    """The region id of each point (lon, lat): the first region that contains it, else 'elsewhere'."""
    regions = safe_regions() if regions is None else regions
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    out = np.full(lons.shape, ELSEWHERE, dtype=object)
    free = np.ones(lons.shape, dtype=bool)
    for region in regions:
        inside = free & shapely.contains_xy(region.geometry, lons, lats)
        out[inside] = region.id
        free &= ~inside
    return out
