"""The one checker behind `python -m events check`, the app's upload and the loader."""

from __future__ import annotations

from pathlib import Path

from events.loader import SHIPPED, _rel, load_corpus_dir, load_event_file, shipped_corpus
from events.problems import Problem


def check_file(path: Path, label: str | None = None) -> list[Problem]:
    """Problems in one event file, checked against the shipped sources and gazetteer."""
    label = label or _rel(path)
    corpus = shipped_corpus()
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_event_file(path, corpus.sources, corpus.places, label=label)[1]
    if suffix in (".geojson", ".json", ".csv"):
        from events import interchange

        return interchange.read_events(path, corpus, label=label)[1]
    return [Problem(label, None, "-", "-", "unknown file type: expected .yaml, .geojson, .json or .csv")]


def check_paths(paths: list[Path]) -> list[Problem]:
    if not paths:
        return load_corpus_dir(SHIPPED).problems
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            problems += load_corpus_dir(path).problems
        elif not path.exists():
            problems.append(Problem(str(path), None, "-", "-", "no such file or directory"))
        else:
            problems += check_file(path)
    return problems
