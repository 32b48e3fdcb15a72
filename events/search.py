"""Finding events by words in any script or spelling: 伊宁, 伊寧, Yining, Gulja, Кульджа, yining.

Latin and Cyrillic words match whole words ("Ili" finds "Ili" and "Ili's", never "military"; an English
plural -s/-es is allowed: "Soviet" finds "Soviets"). Chinese has no spaces between words: a query in
Han characters matches anywhere in the text. Pinyin without tones matches whole syllables ("yining",
"zhouenlai", not "ini"). A query word or phrase that names a place of the gazetteer stands for all of
that place's names, and for the events at it or in a local area that contains it: every name of one
place finds the same events.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import opencc
import shapely
from pypinyin import lazy_pinyin

from events.model import Event
from geo.areas import AreasFileError, load_areas
from geo.gazetteer import Place

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_T2S = opencc.OpenCC("t2s")
# After folding (lower case, accents dropped): the letters and digits of a Latin or Cyrillic word.
_WORD = r"0-9a-z\u00df-\u024f\u0400-\u052f"
_NOT_WORD = re.compile(rf"[^{_WORD}\u3400-\u9fff\uf900-\ufaff]+")
# An area that contains a place named in a query stands for it when it is at most about the Yi–Ta region's
# size (Ili, Tacheng and Altay: 31 square degrees): a search for Yining finds the Yi–Ta exodus, not every
# event about Xinjiang (175) or China.
LOCAL_AREA = 40.0


def fold(text: str) -> str:
    """Lower case, Traditional to Simplified, accents dropped (Ürümqi -> urumqi), spaces collapsed."""
    text = _T2S.convert(text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.casefold()).strip()


def words(text: str) -> str:
    """`text` folded, with every run of punctuation and spaces one space ("Yining (Gulja)" -> "yining gulja")."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


def pinyin(text: str) -> str:
    """Toneless pinyin of the Chinese characters in `text`, run together (伊宁 -> yining)."""
    han = "".join(_HAN.findall(text))
    return "".join(lazy_pinyin(han)) if han else ""


def syllables(text: str) -> tuple[str, frozenset[int]]:
    """The toneless pinyin of each run of Chinese characters in `text` (runs apart by a space), and the
    offsets where a syllable starts or ends: a pinyin query matches only whole syllables."""
    out, edges, at = [], set(), 0
    for run in _HAN_RUN.findall(_T2S.convert(text)):
        edges.add(at)
        for syllable in lazy_pinyin(run):
            at += len(syllable)
            out.append(syllable)
            edges.add(at)
        out.append(" ")
        at += 1
    return "".join(out), frozenset(edges)


def haystack(event: Event, place: Place | None) -> tuple[str, str]:
    """What search looks in for an event: its titles, excerpts, glosses, summary and place names, folded, and as
    pinyin."""
    text = " | ".join(_texts(event, place))
    return fold(text), pinyin(_T2S.convert(text))


def _texts(event: Event, place: Place | None) -> list[str]:
    parts = [*event.title.values(), *(ex.text for ex in event.excerpts)]
    parts += [g for ex in event.excerpts for g in ex.gloss.values()]
    if event.summary:
        parts += list(event.summary.values())
    if place is not None:
        parts += place.all_names()
    return parts


@dataclass(frozen=True)
class _Row:
    id: str
    place: str
    text: str  # words(): " " between words, Han characters as they are
    py: str  # syllables()
    edges: frozenset[int]


def _latin(word: str) -> re.Pattern:
    """A whole Latin or Cyrillic word or phrase (words apart by one space), with an English plural allowed."""
    return re.compile(rf"(?<![{_WORD}]){re.escape(word)}(?:e?s)?(?![{_WORD}])")


class SearchIndex:
    """Every event's searchable text, built once per corpus: `ids(query)` is what the search box filters by."""

    def __init__(self, events: list[Event], places: dict[str, Place]):
        self._rows = []
        for e in events:
            text = " | ".join(_texts(e, places.get(e.place)))
            py, edges = syllables(text)
            self._rows.append(_Row(e.id, e.place, f" {words(text)} ", py, edges))
        # Every name of every place, as words -> the places it names (a name two places share names both).
        self._places: dict[str, set[str]] = {}
        for p in places.values():
            for name in p.all_names():
                if words(name):
                    self._places.setdefault(words(name), set()).add(p.id)
        self._longest = max((len(n.split(" ")) for n in self._places), default=0)
        self._names = {p.id: sorted({words(n) for n in p.all_names()} - {""}) for p in places.values()}
        self._within, self._inside = _area_relations(places)

    def ids(self, query: str) -> set[str]:
        """Ids of the events that match every word (or place name) of `query`."""
        terms = self.terms(query)
        return {row.id for row in self._rows if all(self._matches(row, term) for term in terms)}

    def terms(self, query: str) -> list[str | frozenset[str]]:
        """The query as terms: a place's name (the longest run of words that names one) becomes the set of
        the places it names; any other word stays a word."""
        ws = [w for w in words(query).split(" ") if w]
        out: list[str | frozenset[str]] = []
        i = 0
        while i < len(ws):
            for n in range(min(self._longest, len(ws) - i), 0, -1):
                named = self._places.get(" ".join(ws[i : i + n]))
                if named:
                    out.append(frozenset(named))
                    i += n
                    break
            else:
                out.append(ws[i])
                i += 1
        return out

    def _matches(self, row: _Row, term: str | frozenset[str]) -> bool:
        if isinstance(term, str):
            return self._word(row, term)
        return any(
            row.place == p
            or row.place in self._within.get(p, ())
            or row.place in self._inside.get(p, ())
            or any(self._word(row, n) for n in self._names[p])
            for p in term
        )

    @staticmethod
    def _word(row: _Row, word: str) -> bool:
        if _HAN.search(word):
            return word in row.text
        if _latin(word).search(row.text):
            return True
        # Pinyin: whole syllables, so "yining" finds 伊宁 and "ili" does not find 伊犁 (yi-li) halfway.
        joined, start = word.replace(" ", ""), row.py.find(word.replace(" ", ""))
        while start >= 0:
            if start in row.edges and start + len(joined) in row.edges:
                return True
            start = row.py.find(joined, start + 1)
        return False


def _area_relations(places: dict[str, Place]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """From one reading of the areas and one test of each place's point against each area:

    - {place id: the local areas (kind area, at most LOCAL_AREA square degrees) whose polygon contains its
      point}: a town's name finds the events about its surroundings;
    - {area place id: the places whose point lies in its polygon}: a search for an area ("Ili", 伊犁,
      "Xinjiang") finds the events at the towns in it (Yining, Khorgos), not only those about the whole area.

    Both are empty if the areas file cannot be read (search then matches by names and places alone)."""
    try:
        polygons = load_areas()
    except AreasFileError:
        return {}, {}
    areas = {a.id: polygons[a.geometry] for a in places.values() if a.is_area and a.geometry in polygons}
    within: dict[str, set[str]] = {p.id: set() for p in places.values()}
    inside: dict[str, set[str]] = {a: set() for a in areas}
    for area, shape in areas.items():
        local = shape.area <= LOCAL_AREA
        for p in places.values():
            if p.id != area and shapely.contains_xy(shape, p.lon, p.lat):
                inside[area].add(p.id)
                if local:
                    within[p.id].add(area)
    return within, inside
