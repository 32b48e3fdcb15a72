"""Every page runs; the sidebar filters decide which events the map is given (AppTest, no browser)."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [
    "views/map.py",
    "views/timeline.py",
    "views/present.py",
    "views/sources.py",
    "views/upload.py",
    "views/about.py",
]


def run_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def map_event_ids(at: AppTest) -> set[str]:
    """The event ids the map shows: the visible bits of the published event file in the feature group."""
    from render.eventfile import shown_ids

    [component] = [el for el in at.get("component_instance") if "feature_group" in el.proto.json_args]
    return shown_ids(json.loads(component.proto.json_args)["feature_group"] or "")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(page, lang):
    at = run_app(lang=lang)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]


def test_map_gets_every_event_by_default(corpus):
    at = run_app()
    assert not at.exception
    assert map_event_ids(at) == {e.id for e in corpus.events}


def test_year_slider_changes_the_events_on_the_map(corpus):
    at = run_app()
    at.slider(key="years").set_value((1962, 1962)).run()
    assert not at.exception
    shown = map_event_ids(at)
    expected = {e.id for e in corpus.events if e.when.start.year <= 1962 <= e.when.end.year}
    assert shown == expected
    assert 0 < len(shown) < len(corpus.events)
    at.slider(key="years").set_value((1969, 1972)).run()
    later = map_event_ids(at)
    assert later and not (later & shown - {e.id for e in corpus.events if e.when.end.year >= 1969})


def test_region_filter_changes_the_events_on_the_map(corpus):
    at = run_app()
    at.multiselect(key="regions").set_value(["ili"]).run()
    shown = map_event_ids(at)
    assert shown == {e.id for e in corpus.events if e.region == "ili"}
    assert shown


def test_a_search_that_finds_nothing_leaves_an_empty_map_and_list(corpus):
    at = run_app()
    at.text_input(key="q").set_value("no-such-word-anywhere").run()
    assert not at.exception, [e.value for e in at.exception]
    assert map_event_ids(at) == set()
    assert at.slider(key="years").label == f"Years: 0 of {len(corpus.events)} events shown"
    assert at.dataframe[0].value.empty


@pytest.mark.ops
def test_filters_survive_a_page_switch_on_a_real_server(corpus):
    """Through Streamlit's agent API, as the load test drives it: set the filters on one page, switch to
    the map, and the filters (the years a range, not one year) are still the reader's."""
    from bench.server import Server
    from geo.regions import region_names

    server = Server(Path(APP), None)
    try:
        session = server.interact({})["session_id"]
        server.interact({"session_id": session, "widget_state": {"years": [1959, 1967]}})
        server.interact({"session_id": session, "page": "sources"})
        server.interact(
            {"session_id": session, "widget_state": {"q": "Tacheng", "regions": [region_names()["ili"]["en"]]}}
        )
        answer = server.interact({"session_id": session, "page": ""})
    finally:
        server.stop()
    assert answer["status"] == "ready", json.dumps(answer)[:2000]
    assert answer["query_params"] == {"from": ["1959"], "to": ["1967"], "region": ["ili"], "q": ["Tacheng"]}


def test_url_restores_the_view(corpus):
    at = run_app(**{"from": "1962", "to": "1963", "lang": "zh"})
    assert at.slider(key="years").value == (1962, 1963)
    assert at.radio(key="lang").value == "zh"


def test_atlas_corpus_geojson_is_what_the_map_shows(tmp_path, monkeypatch, corpus):
    """ATLAS_CORPUS may name a GeoJSON export; its excerpts without source texts are shown as unverified."""
    from events.interchange import to_geojson

    data = to_geojson(corpus)
    data["features"] = data["features"][:3]
    data["features"][0]["properties"]["excerpts"][0]["source"] = "an-archive-we-do-not-have"
    path = tmp_path / "mine.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("ATLAS_CORPUS", str(path))
    first = data["features"][0]["properties"]["id"]
    at = run_app(event=first)
    assert not at.exception
    assert map_event_ids(at) == {f["properties"]["id"] for f in data["features"]}
    panel = [h.proto.body for h in at.get("html") if "atlas-panel" in h.proto.body]
    assert panel and "unverified" in panel[0]


def test_atlas_corpus_directory(tmp_path, monkeypatch):
    import shutil

    from events.loader import SHIPPED

    root = tmp_path / "corpus"
    shutil.copytree(SHIPPED, root)
    for extra in sorted((root / "events").glob("*.yaml"))[1:]:
        extra.unlink()
    monkeypatch.setenv("ATLAS_CORPUS", str(root))
    at = run_app()
    assert not at.exception
    from events.corpora import load_corpus

    assert map_event_ids(at) == {e.id for e in load_corpus(root).events}


def test_presentation_steps_through_the_lesson(corpus):
    from events.lessons import load_lessons

    [lesson] = [lesson for lesson in load_lessons({e.id for e in corpus.events})[0] if lesson.id == "yita-1962"]
    at = run_app()
    at.switch_page("views/present.py").run()
    assert not at.exception
    assert at.session_state["event"] == lesson.event_ids[0]
    at.button(key="next").click().run()
    at.button(key="next").click().run()
    assert at.session_state["event"] == lesson.event_ids[2]
    assert any(f"3 / {len(lesson.steps)}" in h.proto.body for h in at.get("html"))
    at.button(key="prev").click().run()
    assert at.session_state["event"] == lesson.event_ids[1]


def test_timeline_gets_the_filtered_events(corpus):
    at = run_app(**{"from": "1969", "to": "1972"})
    at.switch_page("views/timeline.py").run()
    assert not at.exception
    [chart] = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    shown = set(re.findall(r'"id": "([a-z0-9-]+)"', json.dumps(spec)))
    shown |= {row["id"] for ds in chart.proto.datasets for row in _arrow_rows(ds.data)}
    assert shown == {e.id for e in corpus.events if e.when.start.year <= 1972 and e.when.end.year >= 1969}


def _arrow_rows(data) -> list[dict]:
    import pyarrow as pa

    if not data.data:
        return []
    return pa.ipc.open_stream(data.data).read_all().to_pylist()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_map_component_gets_exactly_what_st_folium_would_send(monkeypatch, lang):
    """ui.mapview renders the base map once and calls streamlit-folium's component itself: its
    arguments must stay those of st_folium (a streamlit-folium upgrade that changes them fails here)."""
    import streamlit_folium as sf

    from render import mapbuild
    from ui import mapview

    theirs, ours = {}, {}
    monkeypatch.setattr(sf, "_component_func", lambda **kwargs: theirs.update(kwargs))
    sf.st_folium(mapbuild.base_map(lang), key="atlas-map", height=640, use_container_width=True,
                 returned_objects=["last_active_drawing"])  # fmt: skip
    monkeypatch.setattr(sf, "_component_func", lambda **kwargs: ours.update(kwargs))
    mapview.show(lang, "", key="atlas-map", height=640, returned_objects=["last_active_drawing"])
    assert set(ours) == set(theirs)
    for name in set(theirs) - {"on_change", "feature_group"}:  # as the component sends them: JSON
        assert json.dumps(ours[name]) == json.dumps(theirs[name]), name


def test_the_list_view_stops_at_its_limit_and_says_so(tmp_path, monkeypatch):
    """A corpus larger than the list's limit: the map gets every event, the list the first, by date."""
    from bench.__main__ import synthetic_corpus
    from ui.session import LIST_LIMIT

    monkeypatch.setenv("ATLAS_CORPUS", str(synthetic_corpus(LIST_LIMIT + 200, tmp_path)))
    at = run_app()
    assert not at.exception, [e.value for e in at.exception]
    assert len(map_event_ids(at)) == LIST_LIMIT + 200
    assert len(at.dataframe[0].value) == LIST_LIMIT
    assert any(f"first {LIST_LIMIT:,} of the {LIST_LIMIT + 200:,} events" in c.value for c in at.caption)


def test_a_new_list_starts_with_no_row_ticked():
    """The row ticked in one list must not stay ticked in the next (a new search's): a click on that row of the
    new list would then change nothing, and its event would never open. Each list is a table of its own."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["q"] = "Yining"
    at.run()
    [first] = at.dataframe
    at.session_state["q"] = "Khorgos"
    at.run()
    [second] = at.dataframe
    assert not at.exception and first.key.startswith("event-table-") and first.key != second.key
