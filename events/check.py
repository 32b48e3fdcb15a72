"""The one checker behind `python -m events check`, the app's upload and the loader."""

from __future__ import annotations

from pathlib import Path

from datafiles.problems import Problem, rel
from events import interchange
from events.loader import SHIPPED, Corpus, load_corpus_dir, shipped_corpus


def check_data(name: str, data: bytes, corpus: Corpus | None = None, origin: str = "user"):
    """Check the bytes of an event file named `name` (an upload, or a file read by `check_file`).

    Returns (events, problems, new places); the format is chosen by the name's suffix.
    """
    return interchange.read_events(None, corpus or shipped_corpus(), label=name, origin=origin, data=data)


def check_file(path: Path, label: str | None = None) -> list[Problem]:
    """Problems in one event file, checked against the shipped sources and gazetteer."""
    return interchange.read_events(path, shipped_corpus(), label=label or rel(path))[1]


def check_paths(paths: list[Path]) -> list[Problem]:
    """Problems in the given corpus directories and event files; with no path, in the shipped corpus."""
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
