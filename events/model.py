"""The atlas's objects: an Event cites Excerpts of Sources and happens at a Place."""

from __future__ import annotations

from dataclasses import dataclass, field

from datafiles.dates import When
from events.support import Support

CERTAINTIES = ("certain", "less-certain", "uncertain")


@dataclass(frozen=True)
class Excerpt:
    """A passage of a source, quoted verbatim at its locator (start, end in the source's reading text)."""

    source: str
    text: str
    start: int
    end: int
    claim: dict | None = None  # {"en", "zh"}: what this source asserts, where sources disagree
    gloss: dict = field(default_factory=dict)  # the project's translation, by language
    verified: bool = True  # False when the source text is not available to check against
    role: str = "supports"  # supports | contradicts: what this passage does to the event's claim
    paragraph: int | None = None  # a teacher's sheet: the paragraph of the source the quote was found in (1 = first)
    unchecked: bool = False  # a teacher's sheet cited a source whose text was not uploaded: quote not checked


@dataclass(frozen=True)
class Note:
    """A historians' note: the atlas's own voice, never a source's, citing a published reference."""

    kind: str  # correction | date | place | context
    text: dict  # {"en", "zh"}
    ref: str  # an id in the corpus's bibliography.yaml
    pages: str


@dataclass(frozen=True)
class Event:
    """Something that happened, at a place and a time, attested by excerpts of the sources."""

    id: str
    title: dict  # {"en", "zh"}
    when: When
    place: str
    lon: float
    lat: float
    category: str
    certainty: str  # derived from `support` by events.support.certainty_of, never typed
    excerpts: tuple[Excerpt, ...]
    disputed: bool = False
    summary: dict | None = None
    region: str = "elsewhere"  # the first of `regions`
    regions: tuple[str, ...] = ("elsewhere",)  # every region its place (a point or an area) lies in or meets
    notes: tuple[Note, ...] = ()
    stands_for: str | None = None  # "government": the place stands for a government seated there
    area: str | None = None  # the area's id when the place is an area (drawn and exported as a polygon)
    support: Support | None = None
    origin: str = "corpus"  # corpus | user
    file: str = ""
    line: int | None = None

    def label(self, lang: str = "en") -> str:
        """The event's title in `lang`, else in English, else its id."""
        return self.title.get(lang) or self.title.get("en") or self.id
