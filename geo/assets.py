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


def install(static: Path = STATIC) -> list[Path]:
    """Copy the assets into `static/vendor` (idempotent); return the files written."""
    written = []
    for package, name, target in FILES:
        src = Path(package.BASE_DIR) / name
        dst = static / "vendor" / target
        if dst.is_file() and dst.stat().st_size == src.stat().st_size:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        written.append(dst)
    return written


def missing(static: Path = STATIC) -> list[str]:
    return [target for _, _, target in FILES if not (static / "vendor" / target).is_file()]
