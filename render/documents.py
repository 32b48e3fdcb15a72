"""A source document as HTML: its reading text with each cited excerpt highlighted and linked to its event."""

from __future__ import annotations

from events.sources import Source
from render.html import esc, join, tag


def document_html(source: Source, marks: list[tuple[int, int, str, str]], focus: int | None, lang: str, _) -> str:
    """A document's reading text with each excerpt highlighted and linked to its event.

    `marks` are (start, end, event id, event title). Overlapping excerpts are drawn as one
    highlight that links to the first event. The page scrolls to the excerpt at `focus`.
    """
    text = source.text
    parts, pos = [], 0
    for start, end, event_id, title in sorted(marks):
        if start < pos:  # overlaps the previous highlight
            continue
        parts.append(esc(text[pos:start]))
        parts.append(
            tag(
                "mark",
                join(tag("a", text[start:end], href=f"/?event={event_id}&lang={lang}", target="_top", title=title)),
                id=f"x-{start}",
                class_="focus" if start == focus else None,
            )
        )
        pos = end
    parts.append(esc(text[pos:]))
    scroll = (
        f"<script>const el=document.getElementById('x-{int(focus)}');if(el){{el.scrollIntoView({{block:'center'}});}}</script>"
        if focus is not None
        else ""
    )
    return (
        "<style>body{margin:0;font:17px/1.65 Georgia,'Noto Serif CJK SC',serif;color:#222}"
        ".doc{white-space:pre-wrap;padding:0 1rem 2rem 0}mark{background:#fde9a9;padding:0 .1em}"
        "mark.focus{background:#f7b267;outline:3px solid #b03a2e}mark a{color:inherit;text-decoration:none}"
        "mark a:hover{text-decoration:underline}</style>"
        + tag("div", join(*parts), class_="doc", lang=source.language)
        + scroll
    )
