"""The benchmark's instruments: a websocket session as a browser's, and the interface floor (quick runs only)."""

import pytest

from bench.__main__ import APPS, CHANGES, Rerun
from bench.server import Server
from bench.wsclient import Session


@pytest.mark.ops
def test_a_websocket_session_reruns_the_app_with_the_slider_changed():
    server = Server(APPS["interface"], None, agent_api=False)
    try:
        session = Session(server.url)
        assert {"years", "lang", "q", "regions"} <= set(session.widgets)
        seconds, sent, payload = session.rerun({"years": [1960, 1965]})
        assert 0 < seconds < 60 and sent > 0 and payload == 0  # the interface floor has no map component
        # The script ran with the slider's new value: its label says so.
        labels = [e.slider.label for e in session.elements if e.WhichOneof("type") == "slider"]
        assert labels == ["Years: 1960–1965"], labels
        session.close()
    finally:
        server.stop()


@pytest.mark.ops
def test_the_atlas_map_payload_is_measured_per_change():
    server = Server(APPS["atlas"], None)
    try:
        rerun = Rerun(server)
        for way, measure in (("websocket", rerun.measure), ("agent", rerun.measure_agent)):
            rerun.start()
            for years in CHANGES[:3]:
                measure(years)
            rerun.stop(way)
        result = rerun.result()
    finally:
        server.stop()
    assert result["reruns"] == 3
    assert 1_000 < result["payload_bytes"] < 1_000_000  # the map component's arguments, sent whole
    assert result["sent_bytes"] > result["payload_bytes"]
    assert result["rerun_s"] > 0 and result["agent_rerun_s"] > 0
    assert result["cpu_s"] > 0 and result["agent_cpu_s"] > 0  # the server's CPU time, read from /proc


@pytest.mark.ops
def test_a_slider_change_reruns_only_the_years_fragment():
    """Over the websocket, as a browser: the change names the slider's fragment, and the run sends the
    view again (slider, map, list) but not the sidebar, the title or the navigation."""
    server = Server(APPS["atlas"], None, agent_api=False)
    try:
        session = Session(server.url)
        first = [e.WhichOneof("type") for e in session.elements]
        assert session.widgets["years"][2], "the years slider is in a fragment"
        session.rerun({"years": [1960, 1965]})
        kinds = [e.WhichOneof("type") for e in session.elements]
        headings = [e.heading.body for e in session.elements if e.WhichOneof("type") == "heading"]
        session.close()
    finally:
        server.stop()
    sidebar = {"radio", "text_input", "multiselect", "iframe"}
    assert sidebar | {"button"} <= set(first)  # the whole page came first, with the play button
    assert {"slider", "component_instance", "dataframe", "download_button"} <= set(kinds), kinds
    assert not (sidebar | {"button"}) & set(kinds), kinds
    assert headings == ["Events in this view"]  # the list's, not the page's title


def test_the_targets_are_judged_on_cpu_time():
    from bench.__main__ import targets

    def row(corpus, atlas_floor, naive_atlas=100.0, payload=20_000):
        return {"corpus": corpus, "atlas": {"payload_bytes": payload}, "cpu_atlas_vs_floor": atlas_floor,
                "agent_cpu_atlas_vs_floor": atlas_floor, "cpu_naive_vs_atlas": naive_atlas}  # fmt: skip

    met = targets([row("shipped", 2.1), row("10,000 events", 4.0)])
    assert len(met) == 6 and all(t["met"] for t in met)
    missed = targets([row("shipped", 2.6), row("10,000 events", 11.0, naive_atlas=9.0, payload=2_000_000)])
    assert not any(t["met"] for t in missed)


def test_the_load_benchmark_times_each_size_and_layout(tmp_path):
    """`python -m bench --load`, at toy sizes: every copied event loads without an error, in both layouts."""
    from bench import load

    result = load.run(tmp_path, sizes=(30, 60), page=False)
    assert [(r["events"], r["layout"]) for r in result["rows"]] == [
        (30, "one-line"), (30, "indented"), (60, "one-line"), (60, "indented")]  # fmt: skip
    assert all(r["loaded"] == r["events"] and r["errors"] == 0 for r in result["rows"])
    assert {(r["layout"], r["from"], r["to"]) for r in result["ratios"]} == {("one-line", 30, 60), ("indented", 30, 60)}
    assert not list(tmp_path.iterdir())  # the corpora are removed once timed
