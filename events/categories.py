"""The categories of events: the one table of their ids, names (en, zh), colours and order.

The map's markers, its key, the timeline's colours, the handout and the list view all read it; the
event schema's `category` enum must list the same ids in the same order (tests/test_layers.py checks).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """A kind of event, named in both languages, with the colour its markers are drawn in."""

    id: str
    name: dict  # {"en": ..., "zh": ...}
    colour: str  # CSS colour of its markers, key swatch and timeline bars

    def label(self, lang: str = "en") -> str:
        """The category's name in `lang`, else in English."""
        return self.name.get(lang) or self.name["en"]


# In the order the key and the timeline list them.
CATEGORIES = (
    Category("flight", {"en": "Flight across the border", "zh": "边民外逃"}, "#c0392b"),
    Category("diplomacy", {"en": "Diplomacy", "zh": "外交"}, "#2c6fbb"),
    Category("conflict", {"en": "Armed conflict", "zh": "武装冲突"}, "#7d3c98"),
    Category("politics", {"en": "Politics and ideology", "zh": "政治与意识形态"}, "#b9770e"),
    Category("corps", {"en": "Production and Construction Corps", "zh": "生产建设兵团"}, "#1e8449"),
    Category("treaty", {"en": "Treaties and agreements", "zh": "条约与协定"}, "#17a589"),
    Category("uprising", {"en": "Uprisings and unrest", "zh": "起义与动乱"}, "#6e2c00"),
)
BY_ID = {c.id: c for c in CATEGORIES}
OTHER_COLOUR = "#555"  # a category the table does not know (never in a checked corpus)


def category_name(category: str, lang: str = "en") -> str:
    """The reader's name of a category in `lang`, or its id if the table does not know it."""
    known = BY_ID.get(category)
    return known.label(lang) if known else category


def category_colour(category: str) -> str:
    """The colour a category's markers are drawn in."""
    known = BY_ID.get(category)
    return known.colour if known else OTHER_COLOUR
