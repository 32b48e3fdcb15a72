"""Problems found in data files, reported as `path:line: id: field: message`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path


def N_(message: str) -> str:
    """Mark a problem's message for the catalogs without translating it here (pybabel extracts `N_`
    calls; this layer imports nothing of the atlas, i18n included): `Problem.translated` translates it
    where a reader sees it."""
    return message


@dataclass(frozen=True)
class Problem:
    """One problem in a data file, where a curator can find it: the file, the line, the item's id and the field."""

    path: str
    line: int | None
    item: str  # the event (or place, source) id, or "-" when there is none yet
    field: str  # dotted path of the field, e.g. "excerpts.0.start", or "-"
    message: str
    severity: str = "error"  # error | unverified
    # The message before its values are put in (a msgid of the catalogs), and those values: a problem
    # that has them can be given in the reader's language. Empty: the message is shown as it is.
    template: str = ""
    values: tuple[tuple[str, str], ...] = ()

    def translated(self, _: Callable[..., str]) -> Problem:
        """This problem with its message in the language of `_` (i18n.translator), where it has a template."""
        return replace(self, message=_(self.template, **dict(self.values))) if self.template else self

    def __str__(self) -> str:
        line = "" if self.line is None else self.line
        return f"{self.path}:{line}: {self.item or '-'}: {self.field or '-'}: {self.message}"


def file_problem(path: str, line: int | None, template: str, **values: object) -> Problem:
    """A problem with a whole file (no item, no field) whose message, `template` with `values` put in,
    can be translated (`Problem.translated`)."""
    shown = {k: str(v) for k, v in values.items()}
    return Problem(path, line, "-", "-", template.format(**shown), template=template, values=tuple(shown.items()))


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
