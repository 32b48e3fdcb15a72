"""`python -m geo assets | export LAYER`: offline assets, and the map's layers as GeoJSON."""

from __future__ import annotations

import argparse
import json
import sys

from geo import assets
from geo.flows import flow_features, load_flows
from geo.gazetteer import load_places
from geo.layers import layer

LAYERS = ("places", "regions", "borders", "flows", "countries")


def places_layer() -> dict:
    """Every place of the gazetteer, with both names, its precision and where its point came from."""
    places, _problems = load_places()
    features = []
    for p in places.values():
        props = {"id": p.id, "name": dict(p.name), "kind": p.kind, "precision": p.precision,
                 "source": p.coord_source, "other_names": [n for n, _ in p.names]}  # fmt: skip
        if p.division:
            props.update(division=p.division, founded=p.founded, founded_source=p.founded_source)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                         "properties": props})  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def export(name: str) -> dict:
    if name == "places":
        return places_layer()
    if name == "flows":
        data = flow_features(load_flows(load_places()[0]))
        for f in data["features"]:
            f["properties"]["source"] = "events: " + ", ".join(f["properties"]["events"])
        return data
    return layer({"regions": "regions", "borders": "border_sino_soviet", "countries": "countries_1962"}[name])


def main(argv: list[str] | None = None) -> int:
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
        json.dump(export(args.layer), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
