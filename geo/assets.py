"""Offline map assets: Leaflet, jQuery and Leaflet.markercluster copied from their pip packages."""

from __future__ import annotations

import shutil
from pathlib import Path

import xstatic.pkg.jquery as xjquery
import xstatic.pkg.leaflet as xleaflet
import xstatic.pkg.leaflet_markercluster as xcluster

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"  # served by Streamlit at /app/static/ (server.enableStaticServing)
URL = "/app/static/vendor"
GEO_URL = "/app/static/geo"
GEO_DATA = ROOT / "geo" / "data"
# Layers fetched by the browser (geo/data/*.geojson, built by geo/build/basemap.py and geo/build/areas.py):
# the base map, and the areas that events about a whole region are drawn as.
GEO_LAYERS = ("countries_1962", "border_sino_soviet", "rivers", "regions", "areas")

# (package, file inside the package's data folder, where it goes under static/vendor)
FILES = [
    (xleaflet, "leaflet.js", "leaflet/leaflet.js"),
    (xleaflet, "leaflet.css", "leaflet/leaflet.css"),
    (xleaflet, "images/layers.png", "leaflet/images/layers.png"),
    (xleaflet, "images/layers-2x.png", "leaflet/images/layers-2x.png"),
    (xleaflet, "images/marker-icon.png", "leaflet/images/marker-icon.png"),
    (xleaflet, "images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
    (xleaflet, "images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
    (xjquery, "jquery.min.js", "jquery/jquery.min.js"),
    (xcluster, "leaflet.markercluster.js", "markercluster/leaflet.markercluster.js"),
    (xcluster, "MarkerCluster.css", "markercluster/MarkerCluster.css"),
    (xcluster, "MarkerCluster.Default.css", "markercluster/MarkerCluster.Default.css"),
]

JS = {
    "leaflet": f"{URL}/leaflet/leaflet.js",
    "jquery": f"{URL}/jquery/jquery.min.js",
    "markercluster": f"{URL}/markercluster/leaflet.markercluster.js",
}
CSS = {
    "leaflet_css": f"{URL}/leaflet/leaflet.css",
    "markercluster_css": f"{URL}/markercluster/MarkerCluster.css",
    "markercluster_default_css": f"{URL}/markercluster/MarkerCluster.Default.css",
}
VERSIONS = {"leaflet": xleaflet.VERSION, "jquery": xjquery.VERSION, "markercluster": xcluster.VERSION}


def _copies(static: Path):
    for package, name, target in FILES:
        yield Path(package.BASE_DIR) / name, static / "vendor" / target
    for name in GEO_LAYERS:
        src = GEO_DATA / f"{name}.geojson"
        if src.is_file():
            yield src, static / "geo" / f"{name}.geojson"


def install(static: Path = STATIC) -> list[Path]:
    """Copy the assets into `static/` (idempotent); return the files written."""
    written = []
    for src, dst in _copies(static):
        if dst.is_file() and dst.stat().st_size == src.stat().st_size and dst.stat().st_mtime >= src.stat().st_mtime:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        written.append(dst)
    return written


def missing(static: Path = STATIC) -> list[str]:
    """Assets not yet in (or older than their source in) `static/`."""
    return [str(dst) for src, dst in _copies(static) if not dst.is_file() or dst.stat().st_mtime < src.stat().st_mtime]
