"""The one place where data becomes HTML: every string from data passes through `esc`."""

from __future__ import annotations

import html

# Beyond HTML's five, neutralise what breaks the map script or the templates it passes
# through: backticks and `${` (JavaScript template strings), braces (Jinja `{{ }}`).
_EXTRA = str.maketrans({"`": "&#96;", "$": "&#36;", "{": "&#123;", "}": "&#125;"})


def esc(value: object) -> str:
    """Escape any value for use as HTML text or a quoted attribute value."""
    return html.escape("" if value is None else str(value), quote=True).translate(_EXTRA)


def tag(name: str, text: object = "", /, **attrs: object) -> str:
    """An element whose text and attribute values are escaped; `text` may be pre-built via `raw`."""
    attributes = "".join(
        f' {key.rstrip("_").replace("_", "-")}="{esc(value)}"' for key, value in attrs.items() if value is not None
    )
    body = text.html if isinstance(text, Raw) else esc(text)
    return f"<{name}{attributes}>{body}</{name}>"


class Raw:
    """HTML already built by `tag`/`join` (never from data directly)."""

    __slots__ = ("html",)

    def __init__(self, html_text: str):
        self.html = html_text

    def __str__(self) -> str:
        return self.html


def join(*parts: str | Raw) -> Raw:
    """Pieces built by `tag` (or plain strings already escaped) as one piece of HTML."""
    return Raw("".join(p.html if isinstance(p, Raw) else p for p in parts))
