"""A link as a QR code (segno), in SVG, drawn from the link and never containing its text."""

from __future__ import annotations

import segno

from render.html import esc, join, tag

_STYLE = {"scale": 1, "border": 2, "omitsize": True, "dark": "#000000", "light": "#ffffff"}


def qr_svg(link: str) -> str:
    """The QR code of `link` as SVG that scales to its box (a viewBox and no fixed size).

    segno writes only the code's modules (one path), no title or text from the link; error correction
    "M" still scans from the back of a room on a dim projector.
    """
    return segno.make(link, error="m", micro=False).svg_inline(**_STYLE)


def qr_html(link: str, label: str) -> str:
    """The QR code of `link` as an image (a data: URI: Streamlit's HTML sanitiser drops inline SVG), with
    the link written under it, both escaped, for a projected page."""
    uri = segno.make(link, error="m", micro=False).svg_data_uri(**_STYLE)
    code = f'<img src="{esc(uri)}" alt="{esc(label)}" class="atlas-qr-code">'  # a void element: not `tag`
    return tag("figure", join(code, tag("figcaption", link, class_="atlas-qr-link")), class_="atlas-qr")
