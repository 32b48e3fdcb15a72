"""The atlas's objects: an Event cites Excerpts of Sources and happens at a Place."""

from __future__ import annotations

from dataclasses import dataclass, field

from events.dates import When

CATEGORIES = ("flight", "diplomacy", "conflict", "politics", "corps", "treaty", "uprising")
CERTAINTIES = ("certain", "less-certain", "uncertain")


@dataclass(frozen=True)
class Excerpt:
    source: str
    text: str
    start: int
    end: int
    claim: dict | None = None  # {"en", "zh"}: what this source asserts, where sources disagree
    gloss: dict = field(default_factory=dict)  # the project's translation, by language
    verified: bool = True  # False when the source text is not available to check against


@dataclass(frozen=True)
class Event:
    id: str
    title: dict  # {"en", "zh"}
    when: When
    place: str
    lon: float
    lat: float
    category: str
    certainty: str
    excerpts: tuple[Excerpt, ...]
    disputed: bool = False
    summary: dict | None = None
    region: str = "elsewhere"
    origin: str = "corpus"  # corpus | user
    file: str = ""
    line: int | None = None

    def label(self, lang: str = "en") -> str:
        return self.title.get(lang) or self.title.get("en") or self.id
