"""Opening a corpus wherever it lives: a corpus directory (events.loader) or one event file in any format
(events.interchange). The one entry point of the app ($ATLAS_CORPUS) and of `python -m events export`."""

from __future__ import annotations

import os
from pathlib import Path

from datafiles.problems import Problem, rel
from events.interchange import FORMATS, load_geojson_corpus
from events.loader import SHIPPED, Corpus, load_corpus_dir


def load_corpus(path: Path | str | None = None) -> Corpus:
    """The corpus at `path`, else at $ATLAS_CORPUS, else the shipped one."""
    path = Path(path or os.environ.get("ATLAS_CORPUS") or SHIPPED)
    if path.is_dir():
        return load_corpus_dir(path)
    if path.suffix.lower() in FORMATS and path.is_file():
        return load_geojson_corpus(path)  # any event file format: GeoJSON, CSV or YAML
    if not path.exists():
        return Corpus({}, {}, [], [Problem(rel(path), None, "-", "-", "no such file or directory")], path)
    problem = Problem(rel(path), None, "-", "-", "not a corpus directory or an event file (.geojson, .csv, .yaml)")
    return Corpus({}, {}, [], [problem], path)
