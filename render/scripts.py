"""The atlas's own JavaScript (render/js/*.js): each file a Jinja template, read and compiled once.

Data reach a script only through Jinja's `tojson` (HTML-safe JSON). A file's header comment says what
it is for; it is left out of what is sent, which travels to the browser on every rerun.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Template

JS = Path(__file__).parent / "js"


def source(name: str) -> str:
    """The text of render/js/`name`, without its header comment."""
    lines = (JS / name).read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and lines[0].startswith("//"):
        lines.pop(0)
    return "".join(lines)


def template(name: str) -> Template:
    """render/js/`name` compiled as a Jinja template (call once, at import)."""
    return Template(source(name))
