"""The upload page: a reader's own events, checked, shown for the session only, removable; hostile
files give their messages on the page, never a traceback; HTML in data never runs (AppTest and Chromium)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from events.interchange import to_geojson
from events.loader import shipped_corpus
from events.upload import ACCEPTED
from tests.conftest import ARTIFACTS
from tests.test_browser import settled
from tests.test_hostile import CASES, XSS, _geojson

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EVIL_TEXT = f"A letter of 1962. {XSS} The end."


def _mixed() -> bytes:
    """Two good events and three bad ones (a clash, an impossible date, an unknown place)."""
    data = to_geojson(shipped_corpus())
    features = [f for f in data["features"] if f["geometry"]["type"] == "Point"][:5]
    ids = ["my-first-event", "my-second-event", features[2]["properties"]["id"], "my-bad-date", "my-lost-place"]
    for feature, new_id in zip(features, ids, strict=True):
        feature["id"] = feature["properties"]["id"] = new_id
    features[0]["properties"]["title"] = {"en": "My first event", "zh": "我的第一个事件"}
    features[3]["properties"]["when"] = "1962-13-45"
    features[4]["properties"]["place"] = "atlantis"
    features[4]["geometry"] = None
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1).encode()


def _evil() -> list[tuple[str, bytes, str]]:
    """An uploaded text with HTML in it, and an event citing it with HTML in every text field."""
    start = EVIL_TEXT.index(XSS)

    def mutate(props, feature, data):
        props["id"] = feature["id"] = "evil-event"
        props["title"] = {"en": XSS, "zh": XSS}
        props["summary"] = {"en": XSS, "zh": XSS}
        props["place_name"] = XSS
        props.pop("place")
        feature["geometry"]["coordinates"] = [75.0, 45.0]  # alone on the map, in the Kazakh SSR
        props["excerpts"] = [{"source": "evil", "text": XSS, "start": start, "end": start + len(XSS),
                              "gloss": {"en": XSS, "zh": XSS}}]  # fmt: skip

    return [("evil.txt", EVIL_TEXT.encode(), "text/plain"), ("evil.geojson", _geojson(mutate), "application/json")]


def upload_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    return at.switch_page("views/upload.py").run()


def _map_ids(at: AppTest) -> set[str]:
    from tests.test_app import map_event_ids

    return map_event_ids(at)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_upload_page_states_its_limits(lang):
    at = upload_page(lang)
    assert not at.exception
    [info] = at.info
    assert "5 MB" in info.value and "20,000" in info.value and "20" in info.value


def test_good_events_reach_map_timeline_list_and_search_and_can_be_removed():
    from ui import session

    shipped = shipped_corpus()
    at = upload_page()
    at.file_uploader[0].set_value([("mine.geojson", _mixed(), "application/json")]).run()
    assert not at.exception, [e.value for e in at.exception]
    upload = at.session_state["user_upload"]
    assert {e.id for e in upload.events} == {"my-first-event", "my-second-event"}
    assert {p.item for p in upload.rejected()} >= {"my-bad-date", "my-lost-place"}
    problems = at.dataframe[-1].value
    assert {"mine.geojson"} == set(problems.iloc[:, 0]) and len(problems) == len(upload.problems)
    assert [b.label for b in at.get("download_button")]  # the error report
    # the map, with the shipped events and the reader's
    at.switch_page("views/map.py").run()
    assert not at.exception
    assert _map_ids(at) == {e.id for e in shipped.events} | {"my-first-event", "my-second-event"}
    # search finds a reader's event by its title
    at.text_input(key="q").set_value("My first event").run()
    assert _map_ids(at) == {"my-first-event"}
    list_titles = list(at.dataframe[0].value["title"])
    assert list_titles == ["My first event"]
    at.text_input(key="q").set_value("").run()
    # the timeline
    at.switch_page("views/timeline.py").run()
    assert not at.exception
    from tests.test_app import _arrow_rows

    [chart] = at.get("vega_lite_chart")
    assert "my-second-event" in {row["id"] for ds in chart.proto.datasets for row in _arrow_rows(ds.data)}
    # removed with the button: the shipped corpus again, and exactly the cached objects
    at.switch_page("views/upload.py").run()
    at.button(key="remove-upload").click().run()
    assert not at.exception and at.session_state["user_upload"] is None
    at.switch_page("views/map.py").run()
    assert _map_ids(at) == {e.id for e in shipped.events}
    assert session.shipped() is shipped or session.shipped().events == shipped.events


def test_every_hostile_file_gives_its_message_on_the_page():
    at = upload_page()
    # Streamlit itself refuses a name outside the uploader's types (evil.exe) before the page runs.
    for case in [c for c in CASES if Path(c.name).suffix.lstrip(".") in ACCEPTED]:
        at.file_uploader[0].set_value([(case.name, case.data, "application/octet-stream")]).run()
        assert not at.exception, (case.name, [e.value for e in at.exception])
        upload = at.session_state["user_upload"]
        assert upload.files == (case.name,)
        if case.expect:
            shown = at.dataframe[-1].value
            assert any(case.expect in m for m in shown.iloc[:, -1]), (case.name, list(shown.iloc[:, -1]))
            assert set(shown.iloc[:, 0]) == {case.name}
        assert len(upload.events) == case.accepted, case.name


def test_the_sources_page_escapes_an_uploaded_text_and_its_marks():
    from events.upload import read_upload
    from i18n import translator
    from render.documents import document_html

    files = [(name, data) for name, data, _mime in _evil()]
    upload = read_upload(files, shipped_corpus())
    [event] = upload.events
    source = upload.sources["evil"]
    html = document_html(source, [(ex.start, ex.end, event.id, event.label("en")) for ex in event.excerpts], None,
                         "en", translator("en"))  # fmt: skip
    assert "<img" not in html and "<script>window" not in html and "&lt;img src=x onerror" in html


# ---------------------------------------------------------------- in Chromium


def _upload_in_browser(page, server, files, lang: str = "en") -> None:
    page.goto(f"{server.url}/upload?lang={lang}", wait_until="domcontentloaded")
    page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
    page.set_input_files("input[type=file]", [{"name": n, "mimeType": m, "buffer": d} for n, d, m in files])
    page.wait_for_selector("[data-testid=stMetric]", timeout=60_000)
    settled(page)


def _pwned(page) -> list:
    return [frame.evaluate("() => typeof window.pwned") for frame in page.frames]


# Markup from the data that became elements: an image with an error handler, a script that sets pwned.
_INJECTED = """() => [...document.querySelectorAll("[onerror]")].map(e => e.outerHTML)
    .concat([...document.scripts].filter(s => s.text.includes("pwned")).map(s => s.outerHTML))"""


@pytest.mark.browser
def test_html_in_an_uploaded_event_never_runs(page, server):
    from tests.test_browser import click_event

    _upload_in_browser(page, server, _evil())
    assert "evil.geojson" not in page.inner_text("[data-testid=stException]") if page.query_selector(
        "[data-testid=stException]") else True  # fmt: skip
    page.get_by_role("link", name="Open the map").click()
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    frame.wait_for_function("() => window.atlasShown > 0", timeout=60_000)
    click_event(page, frame, ["evil-event"])
    panel = page.wait_for_selector(".atlas-panel", timeout=30_000)
    assert "<img src=x onerror=window.pwned=1>" in panel.inner_text()
    tip = frame.evaluate("() => { let t = ''; map.eachLayer(l => { if (l.getTooltip && l.getTooltip()) "
                         "t += l.getTooltip().getContent(); }); return t; }")  # fmt: skip
    settled(page)
    # No frame holds an element made from the data's markup (so nothing can run later), and nothing ran.
    assert [frame.evaluate(_INJECTED) for frame in page.frames] == [[] for _ in page.frames]
    assert set(_pwned(page)) == {"undefined"}, _pwned(page)
    assert not page.errors, page.errors
    # The evil event's tooltip is among the map's: its markup is there as escaped text.
    assert "&lt;img src=x onerror=window.pwned=1&gt;" in tip and "<img" not in tip
    page.screenshot(path=str(ARTIFACTS / "upload-evil-panel.png"))


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_upload_page_screenshot_after_a_mixed_file(page, server, lang):
    _upload_in_browser(page, server, [("mine.geojson", _mixed(), "application/json")], lang)
    text = page.inner_text("section[data-testid=stMain]") if page.query_selector(
        "section[data-testid=stMain]") else page.inner_text("body")  # fmt: skip
    assert "Traceback" not in text
    assert ("Events left out" if lang == "en" else "未加入的事件") in text
    page.screenshot(path=str(ARTIFACTS / f"upload-mixed-{lang}.png"), full_page=False)
    assert not page.errors, page.errors
