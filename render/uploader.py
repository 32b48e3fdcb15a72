"""The file uploader's own texts (its button, its limits line, its drop hint) in the reader's language.

Streamlit writes them in English whatever the page's language, and its limits line names only the
size; CSS hides each text and shows ours in its place (`content:`), the usual way to relabel a widget
whose markup one does not write. The selectors are those of Streamlit 1.67's uploader (pinned)."""

from __future__ import annotations

_SAFE = set(" .,;:()-·/")


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: letters, digits and a few marks as they are, everything else as a
    CSS escape (so no quote, backslash or `</style>` in a translation can end the string or the rule)."""
    return '"' + "".join(c if c.isalnum() or c in _SAFE else f"\\{ord(c):x} " for c in text) + '"'


def uploader_css(button: str, limits: str, drop: str) -> str:
    """A style element that relabels the page's uploader: `button` on its button, `limits` as its limits
    line (wrapping, never cut), `drop` while files are dragged over it. The button's own word is hidden from
    the eye only: a screen reader still has a name for the button (axe's button-name)."""
    zone = "[data-testid=stFileUploaderDropzone]"
    hint = f"{zone} > div:not([data-testid]):has(> span:only-child)"  # shown only while dragging
    return f"""<style>
{zone} [data-testid=stBaseButton-secondary] [data-testid=stMarkdownContainer] p {{ position: absolute; width: 1px;
  height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }}
{zone} [data-testid=stBaseButton-secondary] [data-testid=stMarkdownContainer]::after {{ content: {css_string(button)}; }}
[data-testid=stFileUploaderDropzoneInstructions] > div > span {{ display: none; }}
[data-testid=stFileUploaderDropzoneInstructions] > div::after {{ content: {css_string(limits)};
  font-size: .875rem; color: rgba(49, 51, 63, .7); white-space: normal; }}
{hint} > span {{ display: none; }}
{hint}::after {{ content: {css_string(drop)}; font-size: .875rem; font-weight: 800; color: #b03a2e; }}
</style>"""
