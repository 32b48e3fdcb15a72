"""The load test (python -m loadtest): its parts, and a small class through a real server and through nginx."""

from __future__ import annotations

import json
import random

import pytest

from loadtest.__main__ import main, percentile
from loadtest.client import AgentClient
from loadtest.student import MAP_PAGE, check, choose_change

PAGE = {
    "status": "ready",
    "page": {"url_path": ""},
    "pages": [{"url_path": ""}, {"url_path": "timeline"}, {"url_path": "sources"}],
    "tree": {"type": "root", "children": [
        {"type": "radio", "key": "lang", "props": {"options": ["English", "中文"]}, "value": "English"},
        {"type": "text_input", "key": "q", "props": {}, "value": ""},
        {"type": "slider", "key": "years", "props": {"min_value": 1917, "max_value": 1991}, "value": [1917, 1991]},
        {"type": "multiselect", "key": "regions", "props": {"options": ["Ili", "Tacheng", "Altay"]}, "value": []},
        {"type": "components.v1.declare_component", "key": "map"},
    ]},
}  # fmt: skip


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50, 95, 99)
    assert percentile([3.0], 95) == 3.0 and percentile([], 50) is None


def test_changes_take_legal_values_from_the_page():
    rng = random.Random(7)
    kinds = set()
    for _ in range(300):
        kind, value = choose_change(rng, PAGE)
        kinds.add(kind)
        if kind == "years":
            assert 1917 <= value[0] <= value[1] <= 1991
        elif kind == "regions":
            assert set(value) <= {"Ili", "Tacheng", "Altay"} and len(value) <= 2
        elif kind == "lang":
            assert value == "中文"
        elif kind == "page":
            assert value in ("timeline", "sources")
    assert kinds == {"years", "regions", "lang", "q", "page"}


def test_on_a_page_without_the_years_a_student_changes_something_else():
    """The years slider is on the map and the timeline only: on the sources page a student searches,
    picks regions, switches language or goes to another page."""
    sources = {**PAGE, "page": {"url_path": "sources"},
               "tree": {"children": [c for c in PAGE["tree"]["children"] if c.get("key") not in ("years", "map")]}}  # fmt: skip
    rng = random.Random(7)
    kinds = {choose_change(rng, sources)[0] for _ in range(300)}
    assert kinds == {"regions", "lang", "q", "page"}


def test_a_page_without_the_change_is_an_error():
    assert check(PAGE, "years", [1917, 1991]) is None
    assert "holds" in check(PAGE, "years", [1960, 1962])
    assert "raised" in check({**PAGE, "status": "error"}, "years", [1917, 1991])
    assert "asked for page" in check(PAGE, "page", "timeline")
    no_map = {**PAGE, "tree": {"children": PAGE["tree"]["children"][:-1]}}
    assert check(no_map, "page", MAP_PAGE) == "the map page has no map"


def test_only_this_machine_is_load_tested():
    with pytest.raises(ValueError, match="only talks to this machine"):
        AgentClient("http://example.org:8501")


@pytest.mark.ops
@pytest.mark.parametrize("target", [[], ["--cluster", "2"]], ids=["one server", "nginx and two processes"])
def test_a_small_class_works_without_errors(tmp_path, target):
    out = tmp_path / "latest.json"
    assert main(["--sessions", "4", "--changes", "3", "--out", str(out), *target]) == 0
    (row,) = json.loads(out.read_text())["rows"]
    assert row["errors"] == 0 and row["changes_done"] == 12, row["error_samples"]
    assert row["change_s"]["n"] == 12 and row["change_s"]["p95"] > 0 and row["throughput_per_s"] > 0
    assert row["rss_before_bytes"] > 50 * 2**20 and row["rss_after_bytes"] > 0
