"""Areas: the polygons that events about a whole region or a border stretch are drawn as.

geo/data/areas.geojson is built by geo/build/areas.py; each feature's `properties.id` is the id of
a gazetteer entry of kind `area` (its `geometry:` key). Nothing here imports Streamlit or events.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

from geo.regions import Region, load_regions

AREAS_FILE = Path(__file__).parent / "data" / "areas.geojson"

# A polygon counts as being in a region when their overlap is at least this share of the smaller of the
# two: neighbouring areas simplified apart (an area's edge against a region's edge) overlap by slivers
# of well under 1 %, while a real overlap (Bortala inside Xinjiang) is a large share of one of them.
MIN_OVERLAP = 0.02


class AreasFileError(ValueError):
    """The areas file cannot be read; the message names the file."""


@lru_cache(maxsize=4)
def _read_areas(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            collection = json.load(f)
        areas = {}
        for feature in collection["features"]:
            geometry = shape(feature["geometry"])
            shapely.prepare(geometry)
            areas[str(feature["properties"]["id"])] = geometry
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AreasFileError(f"{path}: cannot read the areas: {exc}") from exc
    return areas


def load_areas(path: Path = AREAS_FILE) -> dict:
    """{area id: shapely geometry (lon/lat, EPSG:4326)}; raises AreasFileError naming the file."""
    return dict(_read_areas(Path(path)))


def area_geometry(area: str) -> dict | None:
    """The GeoJSON geometry (lists, not tuples: as json writes it) of an area's polygon, or None if the
    areas file does not have it or cannot be read: an export then falls back to the label point."""
    try:
        shape_ = load_areas().get(area)
    except AreasFileError:
        return None
    return None if shape_ is None else json.loads(json.dumps(mapping(shape_)))


def regions_of(geometry, regions: tuple[Region, ...] | None = None) -> tuple[str, ...]:
    """The ids of the regions (geo/data/regions.geojson) that `geometry` intersects, in the regions'
    order. Points and lines count wherever they touch a region; polygons count when the overlap is
    at least MIN_OVERLAP of the smaller of the two (so shared edges and simplification slivers do not)."""
    regions = load_regions() if regions is None else regions
    if geometry is None or geometry.is_empty:
        return ()
    polygonal = geometry.area > 0
    found = []
    for region in regions:
        if not region.geometry.intersects(geometry):
            continue
        if polygonal:
            overlap = region.geometry.intersection(geometry).area
            if overlap < MIN_OVERLAP * min(region.geometry.area, geometry.area):
                continue
        found.append(region.id)
    return tuple(found)
