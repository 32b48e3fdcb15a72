"""`python -m geo assets | export LAYER`: offline assets, and the map's layers as GeoJSON."""

from __future__ import annotations

import argparse
import json
import sys

import geopandas as gpd

from geo import assets
from geo.flows import flow_features, load_flows
from geo.gazetteer import load_places
from geo.layers import CRS, frame, layer_frame

LAYERS = ("places", "regions", "borders", "flows", "countries")


def places_frame() -> gpd.GeoDataFrame:
    """Every place of the gazetteer, with both names, its precision and where its point came from."""
    places, _problems = load_places()
    rows = []
    for p in places.values():
        row = {"id": p.id, "name": dict(p.name), "kind": p.kind, "precision": p.precision,
               "source": p.coord_source, "other_names": [n for n, _ in p.names]}  # fmt: skip
        if p.division:
            row.update(division=p.division, founded=p.founded, founded_source=p.founded_source)
        rows.append(row)
    points = gpd.points_from_xy([p.lon for p in places.values()], [p.lat for p in places.values()])
    return gpd.GeoDataFrame(rows, geometry=points, crs=CRS)


def flows_frame() -> gpd.GeoDataFrame:
    """The 1962 flows (lines and arrowheads), each naming the events that are its source."""
    data = frame(flow_features(load_flows(load_places()[0])))
    data["source"] = ["events: " + ", ".join(events) for events in data["events"]]
    return data


def export(name: str) -> gpd.GeoDataFrame:
    """The layer `name` (one of LAYERS) as a GeoDataFrame in EPSG:4326."""
    if name == "places":
        return places_frame()
    if name == "flows":
        return flows_frame()
    return layer_frame({"regions": "regions", "borders": "border_sino_soviet", "countries": "countries_1962"}[name])


def geojson(data: gpd.GeoDataFrame) -> dict:
    """A GeoDataFrame as a GeoJSON FeatureCollection: a property a feature lacks stays absent (not null)."""
    return data.to_geo_dict(na="drop", drop_id=True)


def main(argv: list[str] | None = None) -> int:
    """Run `python -m geo assets` or `python -m geo export LAYER`; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("assets", help="copy Leaflet, jQuery, markercluster and the base layers into static/")
    exp = sub.add_parser("export", help="write a layer as a GeoJSON FeatureCollection to standard output",
                         description="Each feature has its name in English and Chinese and its source.")  # fmt: skip
    exp.add_argument("layer", choices=LAYERS)
    args = parser.parse_args(argv)
    if args.command == "assets":
        written = assets.install()
        print(f"offline assets ready in {assets.STATIC} ({len(written)} file(s) copied)", file=sys.stderr)
    else:
        json.dump(geojson(export(args.layer)), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
