"""The "copy a link to this view" control as HTML: a button and the address it copies (the URL holds the
whole view, so the link reproduces it)."""

from __future__ import annotations

from render import scripts
from render.html import esc

_SCRIPT = scripts.template("copy_link.js")


def copy_link_html(copy_label: str, link_label: str, copied: str) -> str:
    """The control, labelled in the reader's language (every label escaped or passed as JSON)."""
    return (
        '<button id="copy" style="width:100%;padding:.45rem;border:1px solid #bbb;border-radius:.5rem;'
        f'background:#fff;font:14px sans-serif;cursor:pointer">{esc(copy_label)}</button>'
        '<input id="url" readonly style="width:100%;margin-top:.3rem;font:12px monospace;box-sizing:border-box"'
        f' aria-label="{esc(link_label)}">'
        f"<script>{_SCRIPT.render(copied=copied, copy_label=copy_label)}</script>"
    )
