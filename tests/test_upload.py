"""The upload page: a reader's own events, checked, shown for the session only, removable; hostile
files give their messages on the page, never a traceback; HTML in data never runs (AppTest and Chromium)."""

from __future__ import annotations

import html
import json
import re
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


def problem_rows(at: AppTest, table: int = -1) -> list[list[str]]:
    """The cells of each row of a problems table on the page (render.problems), as the reader reads them."""
    tables = [h.value for h in at.html if 'class="atlas-problems"' in h.value]
    body = tables[table].split("<tbody>", 1)[1]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body)]  # fmt: skip


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
    listed = problem_rows(at)  # every problem, in full, in the last table
    assert len(listed) == len(upload.problems) and {row[0] for row in listed} == {"mine.geojson"}
    assert [row[-1] for row in listed] == [p.message for p in upload.problems]
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
            shown = problem_rows(at)
            assert any(case.expect in row[-1] for row in shown), (case.name, shown)
            assert {row[0] for row in shown} == {case.name}
        assert len(upload.events) == case.accepted, case.name
        at.button(key="remove-upload").click().run()  # files add up: each case on its own


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


def _pair(first: str, second: str, start: int = 5) -> bytes:
    """Two good events, with these ids, from shipped events with a point (none of the _mixed file's)."""
    data = to_geojson(shipped_corpus())
    features = [f for f in data["features"] if f["geometry"]["type"] == "Point"][start : start + 2]
    for feature, new_id in zip(features, [first, second], strict=True):
        feature["id"] = feature["properties"]["id"] = new_id
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def _choose(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "application/octet-stream") for name, data in files]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _held(at: AppTest) -> list[str]:
    return [name for name, _data in at.session_state["_user_files"]]


def _events(at: AppTest) -> set[str]:
    return {e.id for e in at.session_state["user_upload"].events}


def test_files_add_up_across_pages_and_a_second_file_keeps_the_first():
    at = _choose(upload_page(), ("mine.geojson", _mixed()))
    at.switch_page("views/map.py").run()
    at.switch_page("views/upload.py").run()  # the uploader is empty again: nothing is dropped
    assert _held(at) == ["mine.geojson"] and _events(at) == {"my-first-event", "my-second-event"}
    _choose(at, ("more.geojson", _pair("my-third-event", "my-fourth-event")))
    assert _held(at) == ["mine.geojson", "more.geojson"]
    assert _events(at) == {"my-first-event", "my-second-event", "my-third-event", "my-fourth-event"}
    assert at.file_uploader[0].value in (None, [])  # the uploader is for adding; the list below holds the files
    at.switch_page("views/map.py").run()
    assert {"my-first-event", "my-third-event"} <= _map_ids(at)


def test_a_text_uploaded_earlier_checks_the_quotes_of_a_later_file():
    (text, text_bytes, _m), (events, event_bytes, _n) = _evil()
    at = _choose(upload_page(), (text, text_bytes))
    assert _events(at) == set()
    _choose(at, (events, event_bytes))
    assert _events(at) == {"evil-event"} and not at.session_state["user_upload"].errors


def test_a_file_of_the_same_name_is_replaced_only_when_the_reader_says_so():
    at = _choose(upload_page(), ("mine.geojson", _mixed()))
    _choose(at, ("mine.geojson", _mixed()))  # the same bytes: nothing changes, and the page says so
    assert _held(at) == ["mine.geojson"] and any("unchanged" in i.value for i in at.info)
    newer = _pair("my-newer-event", "my-newest-event")
    _choose(at, ("mine.geojson", newer))
    assert _events(at) == {"my-first-event", "my-second-event"}  # not replaced silently
    assert any("mine.geojson" in h.value for h in at.html)  # the question names the file
    at.button(key="keep-mine.geojson").click().run()
    assert _events(at) == {"my-first-event", "my-second-event"} and not at.get("button_group")
    assert "replace-mine.geojson" not in [b.key for b in at.button]
    _choose(at, ("mine.geojson", newer))
    at.button(key="replace-mine.geojson").click().run()
    assert not at.exception and _held(at) == ["mine.geojson"]
    assert _events(at) == {"my-newer-event", "my-newest-event"}


def test_each_file_is_listed_and_removed_on_its_own():
    at = _choose(
        upload_page(), ("mine.geojson", _mixed()), ("more.geojson", _pair("my-third-event", "my-fourth-event"))
    )
    files = [h.value for h in at.html if "atlas-held-file" in h.value]
    assert len(files) == 2 and "mine.geojson" in files[0] and "2 event(s) added" in files[0]
    assert "more.geojson" in files[1] and "2 event(s) added, 0 left out; 0 problem(s)" in files[1]
    at.button(key="remove-0").click().run()
    assert _held(at) == ["more.geojson"] and _events(at) == {"my-third-event", "my-fourth-event"}
    at.button(key="remove-0").click().run()  # the last file: the session holds nothing
    assert at.session_state["user_upload"] is None and _held(at) == []


def test_the_counters_add_up_and_every_left_out_event_is_listed():
    at = _choose(upload_page(), ("mine.geojson", _mixed()))
    upload = at.session_state["user_upload"]
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["Events read"] == metrics["Events added to the map"] + metrics["Events left out"]
    assert metrics["Events added to the map"] == 2 and metrics["Events left out"] == len(upload.rejected()) >= 3
    left_out = problem_rows(at, 0)
    assert [row[2] for row in left_out] == [p.item for p in upload.rejected()]


def test_problems_are_in_html_that_wraps_and_escapes():
    from datafiles.problems import Problem
    from render.problems import PROBLEMS_CSS, problems_table

    long = "a message " * 60 + XSS
    html_text = problems_table([Problem("<b>x</b>.csv", 3, "-", "date", long)], {"path": "File", "message": "Why"},
                               str.upper)  # fmt: skip
    assert "<b>x</b>" not in html_text and "&lt;b&gt;x&lt;/b&gt;.csv" in html_text
    assert "<img" not in html_text and html_text.count("a message") == 60
    assert "nowrap" not in PROBLEMS_CSS and "td.message { min-width: 16rem; overflow-wrap: anywhere; }" in PROBLEMS_CSS
    assert '<table class="atlas-problems"><thead><tr><th scope="col">File</th>' in html_text
    assert "&lt;t" not in html_text  # the table's own markup is markup, not text
    assert 'data-label="Why"' in html_text  # a phone shows each cell with its column's name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_uploader_says_our_limits_in_the_readers_language(lang):
    at = upload_page(lang)
    [style] = [h.value for h in at.html if "stFileUploaderDropzoneInstructions" in h.value]
    if lang == "zh":
        assert "选择文件" in style and "20" in style and "MB" in style
    else:
        assert "Choose files" in style and "Up to 20 files, 5 MB each" in style


def test_a_css_string_cannot_end_its_rule():
    from render.uploader import css_string

    assert css_string('a"}</style><script>') == '"a\\22 \\7d \\3c /style\\3e \\3c script\\3e "'
    assert css_string("选择文件") == '"选择文件"'


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_guide_is_on_the_page_and_offers_the_template_and_example(lang):
    """The guide, the templates and the filled-in example (events.sheet); trying the example adds its three
    events, their quotes found in its source text."""
    from events.sheet import example_files

    at = upload_page(lang)
    assert not at.exception
    [guide] = at.expander
    text = " ".join(m.value for m in guide.markdown)
    assert ("One row is one event" if lang == "en" else "一行就是一个事件") in text
    assert "1962年4月22日" in text and "title_zh" in text
    keys = {b.key for b in at.get("download_button")}
    names = [name for name, _data in example_files(lang)]
    assert {"template-xlsx", "template-csv"} | {f"example-{n}" for n in names} <= keys
    at.button(key="example-add").click().run()  # try the example: its files are held, its events shown
    assert not at.exception and sorted(_held(at)) == sorted(names)
    upload = at.session_state["user_upload"]
    assert len(upload.events) == 3 and not upload.errors
    assert upload.rows_read == len(upload.events) + len(upload.rejected())


def test_a_session_that_lost_its_uploads_says_so_on_every_page():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["mine"] = "1"  # the mark of a session that held uploads, before the server restarted
    at.run()
    notice = [w.value for w in at.warning if "must be uploaded again" in w.value]
    assert notice and "mine" not in at.query_params  # said once the session starts; the mark is dropped
    at.switch_page("views/timeline.py").run()
    assert any("must be uploaded again" in w.value for w in at.warning)
    at.button(key="close-lost-uploads").click().run()
    assert not any("must be uploaded again" in w.value for w in at.warning)


def test_the_mark_follows_what_the_session_holds():
    at = _choose(upload_page(), ("mine.geojson", _mixed()))
    at.run()
    assert at.query_params["mine"] == "1"
    assert not any("must be uploaded again" in w.value for w in at.warning)
    at.button(key="remove-upload").click().run()
    at.run()
    assert "mine" not in at.query_params  # removed on purpose: no mark, and no notice
    assert not any("must be uploaded again" in w.value for w in at.warning)


def test_offer_adds_new_names_and_keeps_a_clash_aside():
    from ui.session import offer, replaced

    held = [("a.csv", b"1"), ("b.txt", b"2")]
    result = offer(held, [("a.csv", b"1"), ("b.txt", b"3"), ("c.csv", b"4"), ("d.csv", b"5")], limit=3)
    assert result.files == [*held, ("c.csv", b"4")] and result.added == ["c.csv"]
    assert result.unchanged == ["a.csv"] and result.clashes == [("b.txt", b"3")] and result.refused == ["d.csv"]
    assert replaced(held, "b.txt", b"3") == [("a.csv", b"1"), ("b.txt", b"3")]


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
