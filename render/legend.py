"""The map's key as HTML: the category colours and glyphs, the area mark and the flows with their caveat."""

from __future__ import annotations

from events.categories import CATEGORIES, Category
from render.html import esc, join, tag

SWATCH_CSS = (
    ".atlas-key{margin-right:1rem;display:inline-block;max-width:100%}"  # a long name wraps inside its column
    ".atlas-swatch{display:inline-flex;align-items:center;justify-content:center;width:1.25rem;height:1.25rem;"
    "border-radius:50%;vertical-align:middle;border:1px solid #fff;box-shadow:0 0 0 1px #999;font-size:.7rem;"
    "font-weight:700;line-height:1}"
)


def key_item(category: Category, lang: str) -> str:
    """One category in a key: its colour with the glyph its marks carry, hidden from screen readers, which
    read the category's name beside it."""
    swatch = tag("span", category.mark(lang), class_="atlas-swatch", aria_hidden="true",
                 style=f"background:{category.colour};color:{category.ink}")  # fmt: skip
    return tag("span", join(swatch, " ", esc(category.label(lang))), class_="atlas-key")


def legend_html(lang: str, _, flows: bool) -> str:
    """The map's key: each category's colour with the glyph its markers carry (colour is never the only sign
    of a category), and the flows with their caveat. The glyph is hidden from screen readers, which read the
    category's name beside it."""
    items = [key_item(category, lang) for category in CATEGORIES]
    items.append(
        tag(
            "span",
            join(
                tag("span", "", class_="atlas-diamond"),
                " ",
                esc(_("An event about a whole region: the shaded area is what its passages speak of")),
            ),
            class_="atlas-key atlas-flows-key",
        )
    )
    if flows:
        items.append(
            tag(
                "span",
                join(
                    tag("span", "", class_="atlas-arrow"),
                    " ",
                    esc(
                        _(
                            "The 1962 flight: equal widths, for the sources give only a total (60,000-plus or 67,000-plus, disputed). Click an arrow for its sources."
                        )
                    ),
                ),
                class_="atlas-key atlas-flows-key",
            )  # fmt: skip
        )
    return (
        "<style>.atlas-legend{font-size:.85rem;color:#333;line-height:1.9;margin-bottom:.8rem}"
        + SWATCH_CSS
        + ".atlas-flows-key{white-space:normal;display:block;line-height:1.5;margin:.2rem 0}"
        ".atlas-arrow{display:inline-block;width:1.6rem;height:.35rem;"
        "background:#8e1b10;vertical-align:middle}.atlas-diamond{display:inline-block;width:.7rem;height:.7rem;"
        "transform:rotate(45deg);background:#888;border:1px solid #fff;box-shadow:0 0 0 1px #555;vertical-align:middle;"
        "margin:0 .1rem}</style>" + tag("div", join(*items), class_="atlas-legend")
    )
