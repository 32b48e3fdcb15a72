"""`python -m geo assets`: copy the offline map assets into static/."""

from __future__ import annotations

import argparse
import sys

from geo import assets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("assets", help="copy Leaflet, jQuery and markercluster from their pip packages into static/")
    args = parser.parse_args(argv)
    if args.command == "assets":
        written = assets.install()
        print(f"offline assets ready in {assets.STATIC / 'vendor'} ({len(written)} file(s) copied)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
