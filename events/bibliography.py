"""The bibliography: published reference works that the atlas's own notes (the historians' notes) cite.

The five source documents are what the atlas quotes; these are what it checks them against. A note
in the atlas's own voice (an error in a source, a date the sources do not give, context) must cite
an entry here, with pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from datafiles.problems import DataFileError, Problem
from datafiles.yamlfile import line_of, read_yaml

FILE = "bibliography.yaml"
KINDS = ("book", "article", "chapter")
_REQUIRED = ("id", "author", "title", "year", "kind")


@dataclass(frozen=True)
class Reference:
    """A published work a historians' note cites (bibliography.yaml): enough to find it, and to cite it short."""

    id: str
    author: str
    title: str
    year: int
    kind: str
    publisher: str = ""
    place: str = ""
    container: str = ""  # the journal or edited volume of an article or chapter
    volume: str = ""
    isbn: str = ""
    url: str = ""
    short_author: str = ""  # how a note names the author where the surname rule fails ("People's Daily")

    def short(self, pages: str = "") -> str:
        """'Millward 2007, pp. 262–263': the author's surname (or the first author's, or `short_author`),
        year and pages."""
        people = [p.strip() for p in re.split(r",| and |&", re.sub(r"\s*\([^)]*\)", "", self.author)) if p.strip()]
        surnames = [p.split(" ")[-1] for p in people] or [self.author]
        surname = self.short_author or (" and ".join(surnames) if len(surnames) <= 2 else f"{surnames[0]} et al.")
        where = ""
        if pages:
            where = (
                f", {'pp.' if any(c in pages for c in '–-,') else 'p.'} {pages}" if pages[0].isdigit() else f", {pages}"
            )
        return f"{surname} {self.year}{where}"

    def full(self) -> str:
        """A bibliography entry (Chicago style), as plain text."""
        if self.kind == "book":
            imprint = ": ".join(x for x in (self.place, self.publisher) if x)
            imprint = f"{imprint}, {self.year}" if imprint else str(self.year)
            return f"{self.author}. {self.title}. {imprint}."
        container = self.container + (f" {self.volume}" if self.volume else "")
        return f"{self.author}. \u201c{self.title}.\u201d {container} ({self.year})."


def load_bibliography(path: Path, label: str | None = None) -> tuple[dict[str, Reference], list[Problem]]:
    """The references in `path` (a YAML list); a missing file is an empty bibliography, not a problem."""
    label = label or str(path)
    if not path.is_file():
        return {}, []
    try:
        data, lines = read_yaml(path, label=label)
    except DataFileError as exc:
        return {}, exc.problems
    if not isinstance(data, list):
        return {}, [
            Problem(label, 1, "-", "-", "the bibliography is a list of references (each starting with '- id:')")
        ]
    refs: dict[str, Reference] = {}
    problems: list[Problem] = []
    fields = set(Reference.__dataclass_fields__)
    for i, entry in enumerate(data):
        rid = str(entry.get("id", "-")) if isinstance(entry, dict) else "-"

        def problem(field: str, message: str, rid=rid, i=i) -> None:
            problems.append(Problem(label, line_of(lines, (i, field)) or line_of(lines, (i,)), rid, field, message))

        if not isinstance(entry, dict):
            problem("-", "each reference is a mapping of fields")
            continue
        missing = [f for f in _REQUIRED if entry.get(f) in (None, "")]
        if missing:
            problem(missing[0], "missing")
            continue
        unknown = sorted(set(entry) - fields)
        if unknown:
            problem(unknown[0], f"unknown field (known: {', '.join(sorted(fields))})")
            continue
        if entry["kind"] not in KINDS:
            problem("kind", f"must be one of {', '.join(KINDS)}")
            continue
        if not isinstance(entry["year"], int):
            problem("year", f"must be a year such as 2007, got {entry['year']!r}")
            continue
        if rid in refs:
            problem("id", "duplicate reference id")
            continue
        refs[rid] = Reference(**{k: (v if k == "year" else ("" if v is None else str(v))) for k, v in entry.items()})
    return refs, problems
