"""Problems found in data files, reported as `path:line: id: field: message`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in a data file, where a curator can find it: the file, the line, the item's id and the field."""

    path: str
    line: int | None
    item: str  # the event (or place, source) id, or "-" when there is none yet
    field: str  # dotted path of the field, e.g. "excerpts.0.start", or "-"
    message: str
    severity: str = "error"  # error | unverified

    def __str__(self) -> str:
        line = "" if self.line is None else self.line
        return f"{self.path}:{line}: {self.item or '-'}: {self.field or '-'}: {self.message}"


class DataFileError(Exception):
    """A data file cannot be read at all; carries the problems that say why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def rel(path: Path) -> str:
    """`path` as a problem names it: relative to the working directory where it can be, so that a curator
    can open it from the line printed."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
