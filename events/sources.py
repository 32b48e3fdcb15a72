"""Corpus documents: their metadata, their unchanged texts and the reading texts derived from them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from datafiles.yamlfile import read_limited

SOURCE_MAX_BYTES = 20_000_000  # one source text: read in full to verify excerpts, so bounded

# A wiki link `[text](target "wikilink")`, bold markers, backslash escapes and heading marks.
_WIKI_TOKEN = re.compile(
    r"""\[(?P<link>[^\]\n]*)\]\((?P<target>[^)\s]*)(?:\s+"[^"\n]*")?\)
      | (?P<bold>\*\*)
      | \\(?P<escaped>[\[\]\*_])
      | (?m:^(?P<heading>\#{1,6}\ ))""",
    re.VERBOSE,
)


def wiki_markdown_reading(raw: str) -> tuple[str, list[int]]:
    """Strip wiki markdown from `raw`, keeping every word.

    Returns the reading text and, for each of its characters, the index of the raw
    character it was taken from, so that a locator in the reading text maps back to
    the file as received.
    """
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _WIKI_TOKEN.finditer(raw):
        out.append(raw[pos : m.start()])
        origin.extend(range(pos, m.start()))
        if m.group("link") is not None:
            out.append(m.group("link"))
            origin.extend(range(m.start("link"), m.end("link")))
        elif m.group("escaped") is not None:
            out.append(m.group("escaped"))
            origin.append(m.start("escaped"))
        pos = m.end()
    out.append(raw[pos:])
    origin.extend(range(pos, len(raw)))
    return "".join(out), origin


_READINGS = {
    "plain": lambda raw: (raw, list(range(len(raw)))),
    "wiki-markdown": wiki_markdown_reading,
}


@dataclass(frozen=True)
class Source:
    """One corpus document and what we know about it."""

    id: str
    title: str
    path: Path | None
    language: str
    kind: str
    reading: str = "plain"
    title_zh: str = ""
    title_en: str = ""
    author: str = ""
    publisher: str = ""
    date: str | None = None
    date_note: str = ""
    url: str | None = None
    archive_ref: str | None = None
    rights: str = ""
    note: str = ""
    # The metadata in Chinese, written by the project (the fields above are in English); the source's
    # own words (its title, its text) are never translated here.
    author_zh: str = ""
    publisher_zh: str = ""
    date_note_zh: str = ""
    rights_zh: str = ""
    note_zh: str = ""
    archive_ref_zh: str = ""
    sha256: str | None = None
    content: str | None = field(default=None, compare=False, repr=False)  # an uploaded text, held in memory
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def available(self) -> bool:
        """Whether the document's text can be read (a file on disk or an uploaded text)."""
        return self.content is not None or (self.path is not None and self.path.is_file())

    @cached_property
    def raw(self) -> str:
        """The document exactly as received."""
        if self.content is not None:
            return self.content
        return self._bytes.decode("utf-8")

    @cached_property
    def _bytes(self) -> bytes:
        """The file's bytes, read once: a regular file of at most SOURCE_MAX_BYTES (else DataFileError)."""
        if self.path is None:
            raise FileNotFoundError(f"source {self.id!r} has no text file")
        return read_limited(self.path, str(self.path), SOURCE_MAX_BYTES)

    @cached_property
    def _reading(self) -> tuple[str, list[int]]:
        return _READINGS[self.reading](self.raw)

    @property
    def text(self) -> str:
        """The reading text: what locators index and what the sources page shows."""
        return self._reading[0]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a reading-text span to the span of the file as received."""
        origin = self._reading[1]
        if start >= end:
            return (origin[start] if start < len(origin) else len(self.raw),) * 2
        return origin[start], origin[end - 1] + 1

    def digest(self) -> str:
        """The SHA-256 of the document as received: sources.yaml records it, so a changed file is caught."""
        if self.content is not None:
            return hashlib.sha256(self.content.encode("utf-8")).hexdigest()
        return hashlib.sha256(self._bytes).hexdigest()

    def locate(self, passage: str) -> list[tuple[int, int]]:
        """Every (start, end) at which `passage` stands verbatim in the reading text."""
        if not passage:
            return []
        spans, i = [], self.text.find(passage)
        while i != -1:
            spans.append((i, i + len(passage)))
            i = self.text.find(passage, i + 1)
        return spans

    def display_title(self, lang: str) -> str:
        """The document's title in `lang` where it has one, else its own."""
        if lang == "zh" and self.title_zh:
            return self.title_zh
        return self.title_en or self.title

    def described(self, name: str, lang: str) -> str:
        """The metadata field `name` (author, publisher, date_note, rights, note, archive_ref) in `lang`
        where the corpus gives it, else in English."""
        if lang != "en":
            translated = getattr(self, f"{name}_{lang}", "")
            if translated:
                return translated
        return getattr(self, name) or ""


READINGS = tuple(_READINGS)
