"""The house's shape, checked: layers that import only downward, one category table, one adapter.

A small AST check rather than import-linter: it needs no package beyond the standard library, and it
checks what import-linter's contracts do not: that no import hides inside a function (the way the
old cycles between events and geo were dodged) and that no private name (`_x`) of one module is
imported by another. It reads the source, so it sees every import, taken or not.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top: a module may import its own package and any package of a lower layer, never a higher
# one. `datafiles` and `i18n` import nothing of the atlas.
LAYERS = (("datafiles", "i18n"), ("geo",), ("events",), ("render",), ("ui",), ("views", "app"))
RANK = {package: rank for rank, packages in enumerate(LAYERS) for package in packages}
STREAMLIT_FREE = ("datafiles", "i18n", "geo", "events", "render")  # Streamlit starts at the ui layer


def _modules() -> dict[str, Path]:
    """Every module of the layered packages (and app.py), by dotted name."""
    found = {"app": ROOT / "app.py"}
    for package in RANK:
        if package == "app":
            continue
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(tree: ast.Module, name: str = ""):
    """(node, imported module, names imported from it, at module level?) for each import statement of the
    module `name`; a relative import (`from .html import x`) is read as the absolute one it stands for."""
    top = set(map(id, tree.body))
    package = name.split(".") if name in MODULES and MODULES[name].name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name, (), id(node) in top
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                module = ".".join([*base, module] if module else base)
            if module:
                yield node, module, tuple(a.name for a in node.names), id(node) in top


def _atlas(module: str, names: tuple = ()) -> list[str]:
    """The atlas modules an import statement reaches: `from pkg import mod` names a module too."""
    if module.split(".")[0] not in RANK:
        return []
    reached = [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
    return reached or [module]


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {t for _, module, names, _ in _imports(tree, name) for t in _atlas(module, names) if t in MODULES}
    return graph


def test_every_module_imports_only_its_own_layer_or_lower():
    wrong = []
    for name, targets in _graph().items():
        for target in targets:
            if RANK[target.split(".")[0]] > RANK[name.split(".")[0]]:
                wrong.append(f"{name} imports {target}")
    assert not wrong, "an import points up the layers " + str(LAYERS) + ":\n" + "\n".join(sorted(wrong))


def test_no_import_cycle():
    graph, done, stack, cycles = _graph(), set(), [], []

    def visit(node: str) -> None:
        if node in stack:
            cycles.append(" -> ".join(stack[stack.index(node) :] + [node]))
            return
        if node in done:
            return
        stack.append(node)
        for target in sorted(graph[node]):
            visit(target)
        stack.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_a_relative_import_is_checked_as_the_absolute_one():
    """`from .html import _x` in render/legend.py is render.html's private name, as `from render.html ...`."""
    tree = ast.parse("from .html import _ATTR\nfrom . import panel\n")
    found = [(module, names) for _, module, names, _ in _imports(tree, "render.legend")]
    assert found == [("render.html", ("_ATTR",)), ("render", ("panel",))]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_are_at_the_top_of_the_module_and_never_private(name):
    """No import inside a function (to dodge a cycle or hide a dependency), and no `_private` name of one
    atlas module imported by another: what another module needs is public, and documented."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    inner, private = [], []
    for node, module, names, at_top in _imports(tree, name):
        if not at_top and not _is_guard(tree, node):
            inner.append(f"line {node.lineno}: import {module}")
        if module.split(".")[0] in RANK:
            private += [f"line {node.lineno}: from {module} import {n}" for n in names if n.startswith("_")]
    assert not inner, f"{name}: imports inside a function or block:\n" + "\n".join(inner)
    assert not private, f"{name}: imports another module's private names:\n" + "\n".join(private)


def _is_guard(tree: ast.Module, node: ast.AST) -> bool:
    """An import directly under `if __name__ == "__main__":` or `if TYPE_CHECKING:` at module level."""
    for block in tree.body:
        if isinstance(block, ast.If) and node in block.body:
            return "__main__" in ast.unparse(block.test) or "TYPE_CHECKING" in ast.unparse(block.test)
    return False


@pytest.mark.parametrize("name", [n for n in sorted(MODULES) if n.split(".")[0] in STREAMLIT_FREE])
def test_no_streamlit_below_the_ui(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = [m for _, m, _, _ in _imports(tree, name) if m.split(".")[0] in ("streamlit", "streamlit_folium")]
    assert not found, f"{name} imports {found}: Streamlit belongs to ui/ and views/"


def test_streamlit_folium_is_called_only_through_its_adapter():
    """ui/mapview.py owns every call of streamlit-folium (private functions included) and checks its version."""
    users = [
        name
        for name, path in MODULES.items()
        for _, module, _, _ in _imports(ast.parse(path.read_text(encoding="utf-8")), name)
        if module.split(".")[0] == "streamlit_folium"
    ]
    assert users == ["ui.mapview"]


def test_the_adapter_names_the_pinned_streamlit_folium():
    from ui import mapview

    pins = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line)
    assert mapview.PINNED == pins["streamlit-folium"]
    with pytest.raises(ImportError, match="pinned version"):
        mapview.check_version("9.9.9")


def test_one_category_table_matches_the_schema():
    """The categories' ids and order are the event schema's `category` enum; each has both names and a colour."""
    from events.categories import CATEGORIES

    schema = json.loads((ROOT / "events" / "schema" / "events.schema.json").read_text(encoding="utf-8"))
    enum = schema["$defs"]["event"]["properties"]["category"]["enum"]
    assert [c.id for c in CATEGORIES] == enum
    for c in CATEGORIES:
        assert c.name["en"] and c.name["zh"] and c.colour.startswith("#"), c


def test_one_select_callback_reads_each_control(monkeypatch):
    """A map click, a list row and a timeline bar each select through ui.selection.on_pick: the callback
    sets the event before the run it triggers (no st.rerun), and ignores what names no event."""
    import streamlit as st

    from render.mapbuild import clicked_event_id
    from ui import selection

    class Corpus:
        def event(self, event_id):
            return object() if event_id in ("a", "b", "c") else None

    state: dict = {}
    monkeypatch.setattr(st, "session_state", state)
    map_click = {"last_active_drawing": {"properties": {"id": "a"}}}
    for key, value, pick, expected in [
        ("atlas-map", map_click, clicked_event_id, "a"),
        ("event-table", {"selection": {"rows": [1]}}, selection.table_pick(["x", "b"]), "b"),
        ("timeline-chart", {"selection": {"pick": [{"id": "c"}]}}, selection.chart_pick("pick"), "c"),
        ("event-table", {"selection": {"rows": []}}, selection.table_pick(["x"]), "c"),  # a cleared row: kept
        ("timeline-chart", {"selection": {"pick": [{"id": "nope"}]}}, selection.chart_pick("pick"), "c"),
    ]:
        state[key] = value
        selection.on_pick(Corpus(), key, pick)()
        assert state[selection.EVENT] == expected, key
