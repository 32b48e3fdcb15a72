"""Citations as plain text: a whole document (Chicago note style), its date as a reader writes it, one
excerpt's locator, and the link that opens the sources page at an excerpt."""

from __future__ import annotations

from urllib.parse import urlencode

from datafiles.dates import DateError, parse_when
from events.model import Excerpt
from events.sources import Source


def citation(source: Source, lang: str = "en") -> str:
    """A note-style (Chicago) citation of a whole document, as plain text."""
    rest = []
    if source.publisher and not source.publisher.startswith("Not stated"):
        rest.append(source.publisher)
    if source.date:
        rest.append(source_date(source, lang))
    rest += [x for x in (source.archive_ref, source.url) if x]
    head = f"{source.author}, " if source.author else ""
    if not rest:
        return f"{head}\u201c{source.title}.\u201d"
    return f"{head}\u201c{source.title},\u201d {', '.join(rest)}."


def source_date(source: Source, lang: str = "en") -> str:
    """The document's date as a reader writes it ('c. 2021'), never as EDTF ('2021~')."""
    try:
        return parse_when(source.date).label(lang)
    except DateError:
        return str(source.date)


def excerpt_citation(source: Source | None, ex: Excerpt, lang: str, _) -> str:
    """One excerpt's citation: its document's, with the characters it stands at."""
    where = _("characters {start}–{end}", start=ex.start, end=ex.end)
    if source is None:
        return f"{ex.source}, {where}"
    return f"{citation(source, lang).rstrip('.')}, {where}."


def context_link(ex: Excerpt) -> str:
    """The sources page, opened at this excerpt."""
    return "sources?" + urlencode({"source": ex.source, "start": ex.start, "end": ex.end}) + f"#x-{ex.start}"
