"""The committed GeoJSON layers of geo/data (countries, border, rivers, regions, areas), as dicts and as
GeoDataFrames, and the problems of any that cannot be read."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd

from geo import assets

DATA = assets.GEO_DATA
CRS = "EPSG:4326"  # every layer is lon/lat on WGS 84


@lru_cache(maxsize=8)
def layer(name: str) -> dict:
    """A committed GeoJSON layer from geo/data (empty if missing or unreadable). Shared: do not modify.

    A missing layer is not an error here: the map and the handout are drawn without it, and
    `layer_problems` tells the About page which file is at fault."""
    path = DATA / f"{name}.geojson"
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if not isinstance(data.get("features"), list):
            raise ValueError("no features")
        return data
    except (OSError, ValueError, AttributeError):
        return {"type": "FeatureCollection", "features": []}


def layer_frame(name: str) -> gpd.GeoDataFrame:
    """A committed layer as a GeoDataFrame (EPSG:4326), one row per feature with its properties as
    columns: for spatial joins and exports; empty if the layer cannot be read."""
    return frame(layer(name))


def frame(collection: dict) -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection (a dict) as a GeoDataFrame in EPSG:4326."""
    features = collection.get("features") or []
    if not features:
        return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=CRS)
    return gpd.GeoDataFrame.from_features(features, crs=CRS)


def layer_problems() -> list[tuple[Path, str]]:
    """(file, why) for each base-map layer that cannot be read: the map is then drawn without it."""
    return [
        (DATA / f"{name}.geojson", "missing or unreadable; the map is drawn without it")
        for name in assets.GEO_LAYERS
        if not layer(name)["features"]
    ]
