"""The categories of events: the one table of their ids, names (en, zh), colours, glyphs and order.

The map's markers, its key, the timeline's colours, the handout and the list view all read it; the
event schema's `category` enum must list the same ids in the same order (tests/test_layers.py checks).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """A kind of event, named in both languages, with the colour its markers are drawn in and the glyph
    drawn on them (colour is never the only sign of a category: WCAG 1.4.1, and readers who do not see red)."""

    id: str
    name: dict  # {"en": ..., "zh": ...}
    colour: str  # CSS colour of its markers, key swatch and timeline bars
    glyph: dict  # {"en": ..., "zh": ...}: one character on its markers and its key swatch

    def label(self, lang: str = "en") -> str:
        """The category's name in `lang`, else in English."""
        return self.name.get(lang) or self.name["en"]

    def mark(self, lang: str = "en") -> str:
        """The glyph drawn on the category's markers in `lang`, else the English one."""
        return self.glyph.get(lang) or self.glyph["en"]

    @property
    def ink(self) -> str:
        """The colour of a glyph on this category's colour: white or near-black, whichever contrasts more."""
        return ink_on(self.colour)


# In the order the key and the timeline list them. The glyphs: the English name's initial letter (Armed
# conflict's A, the Corps' C), and in Chinese the name's key character.
CATEGORIES = (
    Category("flight", {"en": "Flight across the border", "zh": "边民外逃"}, "#c0392b", {"en": "F", "zh": "逃"}),
    Category("diplomacy", {"en": "Diplomacy", "zh": "外交"}, "#2c6fbb", {"en": "D", "zh": "交"}),
    Category("conflict", {"en": "Armed conflict", "zh": "武装冲突"}, "#7d3c98", {"en": "A", "zh": "战"}),
    Category("politics", {"en": "Politics and ideology", "zh": "政治与意识形态"}, "#b9770e", {"en": "P", "zh": "政"}),
    Category(
        "corps", {"en": "Production and Construction Corps", "zh": "生产建设兵团"}, "#1e8449", {"en": "C", "zh": "兵"}
    ),
    Category("treaty", {"en": "Treaties and agreements", "zh": "条约与协定"}, "#17a589", {"en": "T", "zh": "约"}),
    Category("uprising", {"en": "Uprisings and unrest", "zh": "起义与动乱"}, "#6e2c00", {"en": "U", "zh": "乱"}),
)
BY_ID = {c.id: c for c in CATEGORIES}
OTHER_COLOUR = "#555"  # a category the table does not know (never in a checked corpus)
OTHER_GLYPH = "?"


def category_name(category: str, lang: str = "en") -> str:
    """The reader's name of a category in `lang`, or its id if the table does not know it."""
    known = BY_ID.get(category)
    return known.label(lang) if known else category


def category_colour(category: str) -> str:
    """The colour a category's markers are drawn in."""
    known = BY_ID.get(category)
    return known.colour if known else OTHER_COLOUR


def category_glyph(category: str, lang: str = "en") -> str:
    """The glyph drawn on a category's markers in `lang`."""
    known = BY_ID.get(category)
    return known.mark(lang) if known else OTHER_GLYPH


def _luminance(colour: str) -> float:
    """The relative luminance of a #rrggbb colour (WCAG 2.1)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(one: str, other: str) -> float:
    """WCAG 2.1's contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


DARK_INK = "#1b1b1b"


def ink_on(colour: str) -> str:
    """White or near-black for text on `colour` (#rrggbb), whichever has the higher contrast ratio."""
    if not (len(colour) == 7 and colour.startswith("#")):
        return "#ffffff"
    return "#ffffff" if contrast_ratio(colour, "#ffffff") >= contrast_ratio(colour, DARK_INK) else DARK_INK


def category_ink(category: str) -> str:
    """The colour of the glyph on a category's markers."""
    return ink_on(category_colour(category))
