"""The "copy a link to this view" control as HTML: a button and the address it copies (the URL holds the
whole view, so the link reproduces it)."""

from __future__ import annotations

from render import scripts
from render.html import esc

_SCRIPT = scripts.template("copy_link.js")


def copy_link_html(
    copy_label: str, link_label: str, copied: str, query: str | None = None, show_url: bool = True
) -> str:
    """The control, labelled in the reader's language (every label escaped or passed as JSON).

    Without `query` it copies the page's address as it is; with it, the page's own address (as the
    browser sees it: a server behind a proxy has another) followed by `query`, such as a step's link.
    `show_url=False` keeps the address out of sight (a button alone)."""
    shown = "margin-top:.3rem" if show_url else "position:absolute;left:-9999px"
    return (
        '<button id="copy" style="width:100%;padding:.45rem;border:1px solid #bbb;border-radius:.5rem;'
        f'background:#fff;font:14px sans-serif;cursor:pointer">{esc(copy_label)}</button>'
        f'<input id="url" readonly style="width:100%;{shown};font:12px monospace;box-sizing:border-box"'
        f' aria-label="{esc(link_label)}">'
        f"<script>{_SCRIPT.render(copied=copied, copy_label=copy_label, query=query)}</script>"
    )
