"""Curator tools: `python -m events check|locate|export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from events import interchange
from events.check import check_paths
from events.corpora import load_corpus
from events.loader import SHIPPED, load_sources, shipped_corpus


def _check(args) -> int:
    problems = check_paths([Path(p) for p in args.paths])
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        print(p)
    unverified = sum(1 for p in problems if p.severity == "unverified")
    warnings = len(problems) - len(errors) - unverified
    summary = f"{len(errors)} problem(s), {unverified} unverified excerpt(s)"
    if warnings:
        summary += f", {warnings} warning(s)"
    print(summary, file=sys.stderr)
    return 1 if errors or (args.strict and unverified) else 0


def _locate(args) -> int:
    if args.corpus is not None and not args.corpus.is_dir():
        print(f"python -m events locate: {args.corpus}: not a corpus directory (no such directory)", file=sys.stderr)
        return 2
    sources, problems = load_sources(args.corpus or SHIPPED)
    if not sources and problems:
        for p in problems:
            print(p, file=sys.stderr)
        return 2
    source = sources.get(args.source)
    if source is None:
        print(f"unknown source {args.source!r}; known: {', '.join(sorted(sources))}", file=sys.stderr)
        return 2
    if not source.available:
        print(f"source {args.source!r} has no text file to search", file=sys.stderr)
        return 2
    spans = source.locate(args.passage)
    if not spans:
        print(f"not found verbatim in {args.source} (check spaces, quotes and punctuation)", file=sys.stderr)
        return 1
    for start, end in spans:
        raw_start, raw_end = source.raw_span(start, end)
        print(f"- source: {args.source}\n  start: {start}\n  end: {end}\n  # raw file characters {raw_start}-{raw_end}")
    if len(spans) > 1:
        print(f"the passage stands {len(spans)} times; lengthen it to make it unique", file=sys.stderr)
    return 0


def _export(args) -> int:
    corpus = load_corpus(args.corpus) if args.corpus else shipped_corpus()
    errors = corpus.errors
    for p in errors:  # what was left out of the export, and why: never a silent partial file
        print(p, file=sys.stderr)
    if errors and not corpus.events:
        print(f"python -m events export: nothing to export from {args.corpus or SHIPPED}", file=sys.stderr)
        return 1
    writer = {"geojson": interchange.write_geojson, "csv": interchange.write_csv, "lpf": interchange.write_lpf}
    writer[args.format](corpus, sys.stdout)
    if errors:
        print(f"{len(errors)} problem(s): the export leaves out what they name", file=sys.stderr)
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    """Run `python -m events check|locate|export`; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m events", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser(
        "check",
        help="validate the shipped corpus or the given files",
        description=(
            "Validate the shipped corpus, or the given corpus directories, event files (.yaml) and export "
            "files (.geojson, .csv): schema, excerpts verbatim at their locators, places known, dates valid, "
            "ids unique. Prints one line per problem, 'path:line: event-id: field: message'. Exit status 1 "
            "if there is any problem, 0 if none. Excerpts whose source text is not available are reported "
            "as unverified (exit status 0 unless --strict)."
        ),
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help=f"files or corpus directories (default: {SHIPPED})")
    check.add_argument("--strict", action="store_true", help="also fail on unverified excerpts")
    check.set_defaults(run=_check)

    locate = sub.add_parser(
        "locate",
        help="print the locator of a passage in a source",
        description="Print start and end (character offsets into the source's reading text) of a verbatim passage, "
        "ready to paste into an event file.",
    )
    locate.add_argument("source", metavar="SOURCE", help="source id, e.g. ita-affair (see events/corpus/sources.yaml)")
    locate.add_argument("passage", metavar="PASSAGE", help="the exact words, quoted")
    locate.add_argument("--corpus", type=Path, default=None, help="a corpus directory other than the shipped one")
    locate.set_defaults(run=_locate)

    export = sub.add_parser(
        "export",
        help="write the corpus as GeoJSON, CSV or Linked Places Format to standard output",
        description="GeoJSON: one Feature per event. CSV: one row per event and excerpt. "
        "LPF: the gazetteer as Linked Places Format.",
    )
    export.add_argument("--format", choices=("geojson", "csv", "lpf"), required=True)
    export.add_argument("--corpus", type=Path, default=None, help="corpus directory or .geojson (default: shipped)")
    export.set_defaults(run=_export)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
