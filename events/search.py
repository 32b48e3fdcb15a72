"""Finding events by words in any script or spelling: 伊宁, 伊寧, Yining, Gulja, Кульджа, yining."""

from __future__ import annotations

import re
import unicodedata

import opencc
from pypinyin import lazy_pinyin

from events.model import Event
from geo.gazetteer import Place

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_T2S = opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Lower case, Traditional to Simplified, accents dropped (Ürümqi -> urumqi), spaces collapsed."""
    text = _T2S.convert(text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.casefold()).strip()


def pinyin(text: str) -> str:
    """Toneless pinyin of the Chinese characters in `text`, run together (伊宁 -> yining)."""
    han = "".join(_HAN.findall(text))
    return "".join(lazy_pinyin(han)) if han else ""


def haystack(event: Event, place: Place | None) -> tuple[str, str]:
    """What search looks in for an event: its titles, excerpts, glosses, summary and place names, folded, and as
    pinyin."""
    parts = [*event.title.values(), *(ex.text for ex in event.excerpts)]
    parts += [g for ex in event.excerpts for g in ex.gloss.values()]
    if event.summary:
        parts += list(event.summary.values())
    if place is not None:
        parts += place.all_names()
    text = " | ".join(parts)
    return fold(text), pinyin(_T2S.convert(text))


class SearchIndex:
    """Every event's searchable text, built once per corpus: `ids(query)` is what the search box filters by."""

    def __init__(self, events: list[Event], places: dict[str, Place]):
        self._rows = [(e.id, *haystack(e, places.get(e.place))) for e in events]

    def ids(self, query: str) -> set[str]:
        """Ids of the events that match every word of `query`."""
        words = [w for w in fold(query).split(" ") if w]
        if not words:
            return {row[0] for row in self._rows}
        out = set()
        for eid, text, py in self._rows:
            if all(w in text or (not _HAN.search(w) and w.replace("'", "") in py) for w in words):
                out.add(eid)
        return out
