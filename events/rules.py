"""The editorial rules every event must keep, checked as data by `python -m events check`.

Each rule stops the atlas from misleading a reader silently:

- an exact date (a month or a day) that no excerpt states carries a `kind: date` note citing where
  it comes from;
- an event drawn within 30 km of a town quotes a passage that names that town, or says why it is
  drawn there (`stands_for: government`, or a `kind: place` note);
- an event drawn on a Corps farm quotes a passage that names that farm;
- at least one excerpt supports the event (a note never replaces an excerpt);
- every historians' note cites an entry of the bibliography.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

NEAR_TOWN_KM = 30
TOWN_KINDS = frozenset({"capital", "city", "town", "crossing"})
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km (haversine, mean Earth radius)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _month_day_patterns(month: int, day: int | None) -> list[re.Pattern]:
    name = MONTHS[month - 1]
    abbr = name[:3]
    if day is None:
        return [re.compile(rf"\b(?:{name}|{abbr}\.?)\b"), re.compile(rf"(?<!\d){month}\s*月")]
    d = rf"0?{day}(?:st|nd|rd|th)?"
    return [
        re.compile(rf"\b(?:{name}|{abbr}\.?)\s+{d}\b"),  # April 22
        re.compile(rf"(?<!\d){d}\s+(?:of\s+)?(?:{name}|{abbr})\b"),  # 22 April, the 18th of July
        re.compile(rf"(?<!\d){month}\s*月\s*{day}\s*日"),  # 4月22日
        re.compile(rf"(?<!\d)\d{{4}}-0?{month}-0?{day}(?!\d)"),  # 1962-04-22
    ]


def _parts(edtf: str) -> list[tuple[int, int | None]]:
    """(month, day or None) for each end of an EDTF date that is given to the month or the day."""
    out = []
    for part in edtf.split("/"):
        core = part.strip().rstrip("?~%").lstrip("-")
        bits = core.split("-")
        if len(bits) >= 2 and bits[1].isdigit() and 1 <= int(bits[1]) <= 12:
            day = int(bits[2]) if len(bits) >= 3 and bits[2].isdigit() else None
            out.append((int(bits[1]), day))
    return out


def date_stated(edtf: str, texts: Iterable[str]) -> bool:
    """Whether the excerpts state every month and day that the date gives ('1962-04-22': 'April 22')."""
    texts = list(texts)
    for month, day in _parts(edtf):
        if not any(p.search(t) for p in _month_day_patterns(month, day) for t in texts):
            return False
    return True


def names_place(place, texts: Iterable[str]) -> bool:
    """Whether a passage names the place, by any of its gazetteer names (case-insensitive, whole words
    for names in Latin or Cyrillic letters)."""
    texts = [t.casefold() for t in texts]
    names = set()
    for name in place.all_names():
        # A display name such as "Beijing (Peking)" or "Baketu (Bakhty) crossing" stands for each of its parts.
        names.add(name)
        names.update(part for part in re.split(r"[()（）]", name) if part.strip())
    for name in sorted(names):
        name = name.strip().casefold()
        if not name:
            continue
        if re.search(r"[a-zа-я]", name):
            pattern = re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])")
            if any(pattern.search(t) for t in texts):
                return True
        elif any(name in t for t in texts):
            return True
    return False


def editorial_problems(
    raw: dict, place, places: dict, bibliography: dict | None, corpus: bool = True
) -> list[tuple[tuple, str]]:
    """(field path, message) for each editorial rule that the event mapping `raw` breaks.

    `raw` has passed the schema; `place` is its gazetteer Place (or None when unknown, reported
    elsewhere); `bibliography` is {reference id: Reference}, or None when the corpus has none. With
    `corpus` False (a reader's own upload) only the rules of form apply: notes cite the bibliography,
    and some excerpt supports the event; the date and place rules bind the atlas's own corpus.
    """
    found: list[tuple[tuple, str]] = []
    notes = raw.get("notes") or []
    note_kinds = {n["kind"] for n in notes}
    texts = [ex["text"] for ex in raw["excerpts"]]
    supporting = [ex["text"] for ex in raw["excerpts"] if ex.get("role", "supports") == "supports"]

    for k, note in enumerate(notes):
        if not bibliography or note["ref"] not in bibliography:
            found.append(
                (("notes", k, "ref"), f"{note['ref']!r} is not in the bibliography (bibliography.yaml of the corpus)")
            )
    if not supporting:
        found.append((("excerpts",), "no excerpt supports the event: a note never replaces an excerpt"))
    if not corpus:
        return found
    if "date" not in note_kinds and not date_stated(raw["when"], texts):
        found.append(
            (
                ("when",),
                f"{raw['when']!r} gives a month or day that no excerpt states: quote the passage that does, or "
                "add a note of kind 'date' citing where the date comes from",
            )
        )
    if place is None or place.kind == "area":
        return found
    if place.kind == "farm":
        if not names_place(place, texts):
            found.append(
                (
                    ("place",),
                    f"drawn on the farm {place.id!r} but no excerpt names it: draw it over the area the passage "
                    "speaks of (e.g. xinjiang-soviet-border)",
                )
            )
        return found
    if raw.get("stands_for") or "place" in note_kinds:
        return found
    for town in places.values():
        if town.kind not in TOWN_KINDS or km(place.lon, place.lat, town.lon, town.lat) > NEAR_TOWN_KM:
            continue
        if not names_place(town, texts):
            found.append(
                (
                    ("place",),
                    f"drawn within {NEAR_TOWN_KM} km of {town.label('en')} ({town.id}) but no excerpt names it: "
                    "quote a passage that does, draw it on the area the passage speaks of, or say why "
                    "(stands_for: government, or a note of kind 'place')",
                )
            )
            break
    return found
