"""The Present page on a projector: one step to a screen at 1024×768, 1280×800 and 1920×1080, the map at
the step, long passages folded, full screen (F), a blank screen (B), a link and a QR code per step, and the
Chinese gloss beside an English excerpt. Pure tests first, then AppTest, then headless Chromium (every wait
on what the page shows, never a fixed sleep)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from events.lessons import load_lessons
from geo.areas import AREAS_FILE
from i18n import translator
from render.copylink import copy_link_html
from render.panel import event_panel
from render.projector import MAP_SIZE, step_query, step_view
from render.qr import qr_html, qr_svg
from tests.conftest import ARTIFACTS

APP = str(Path(__file__).resolve().parent.parent / "app.py")
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
MAP = "iframe[title*='st_folium']"


@pytest.fixture(scope="module")
def lesson(corpus):
    [found] = [lesson for lesson in load_lessons({e.id for e in corpus.events})[0] if lesson.id == "yita-1962"]
    return found


def _pixels(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    scale = 256 * 2**zoom
    return (lon + 180) / 360 * scale, (1 - y / math.pi) / 2 * scale


def test_every_step_is_seen_whole_with_a_country_name(corpus, lesson):
    """At the zoom chosen, the step's place (or its whole area) and the name of its country lie inside the
    smallest map a step is drawn in."""
    from geo.areas import load_areas
    from geo.layers import layer

    names = [f["properties"]["label_point"] for f in layer("countries_1962")["features"]]
    areas = load_areas()
    for step in lesson.event_ids:
        event = corpus.event(step)
        (lat, lon), zoom = step_view(event)
        cx, cy = _pixels(lon, lat, zoom)

        def inside(x_lon, y_lat, zoom=zoom, cx=cx, cy=cy):
            x, y = _pixels(x_lon, y_lat, zoom)
            return abs(x - cx) <= MAP_SIZE[0] / 2 and abs(y - cy) <= MAP_SIZE[1] / 2

        assert 3 <= zoom <= 7, step
        assert inside(event.lon, event.lat), step
        if event.area:
            west, south, east, north = areas[event.area].bounds
            assert inside(west, south) and inside(east, north), (step, "area cut off")
        assert sum(inside(*point) for point in names) >= 2, (step, "fewer than two country names in view")


def test_border_steps_are_nearer_than_the_capitals(corpus):
    """A step in Ili is seen closer than one in Moscow, whose view reaches the Soviet Union's name."""
    assert step_view(corpus.event("khorgos-crossing-1962-04-22"))[1] > step_view(corpus.event("secret-speech-1956"))[1]


def test_a_step_link_names_the_lesson_the_step_and_a_language_other_than_english():
    assert step_query("yita-1962", 3, "en") == "?lesson=yita-1962&step=3"
    assert step_query("yita-1962", 3, "zh") == "?lesson=yita-1962&step=3&lang=zh"
    assert step_query("a&b=c", 1, "en") == "?lesson=a%26b%3Dc&step=1"


def test_the_qr_code_is_an_svg_that_carries_nothing_of_the_link():
    link = "http://example.org/present?lesson=<script>alert(1)</script>&step=1"
    svg = qr_svg(link)
    assert svg.startswith("<svg") and 'viewBox="' in svg and "width=" not in svg
    assert "script" not in svg and "example" not in svg
    shown = qr_html(link, 'QR "code"')
    assert "<script>" not in shown and "&lt;script&gt;" in shown and 'alt="QR &quot;code&quot;"' in shown
    assert re.search(r'<img src="data:image/svg\+xml;[^"<>]*" ', shown)


def test_the_copy_control_for_a_step_copies_the_pages_address_with_the_steps_query():
    html = copy_link_html("Copy <step>", "Link", "Copied", query="?lesson=x&step=2", show_url=False)
    assert "Copy &lt;step&gt;" in html and "<step>" not in html.split("<script>")[0]
    assert '"?lesson=x\\u0026step=2"' in html  # JSON for HTML: no raw & < > in the script
    assert "here.origin + here.pathname + query" in html
    plain = copy_link_html("Copy a link to this view", "Link", "Copied")
    assert "const query = null" in plain and "margin-top:.3rem" in plain


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_slide_folds_long_passages_and_keeps_the_chinese_gloss(corpus, lesson, lang):
    _ = translator(lang)
    for step in lesson.event_ids:
        e = corpus.event(step)
        full = event_panel(e, corpus.sources, e.place, "-", lang, _, corpus.bibliography)
        slide = event_panel(e, corpus.sources, e.place, "-", lang, _, corpus.bibliography, fold=True)
        assert "<details" not in full, step  # the map's panel is as it was
        # Every passage is still there, behind a toggle if need be; after the first (two, disputed), folded.
        assert slide.count('class="atlas-excerpt"') == full.count('class="atlas-excerpt"'), step
        shown = 2 if e.disputed else 1
        if len(e.excerpts) > shown:
            assert _("More passages ({n})", n=len(e.excerpts) - shown) in slide, step
        if lang == "zh":  # an English passage has its Chinese gloss beside it, labelled as the project's
            for ex in e.excerpts:
                if corpus.sources[ex.source].language == "en":
                    assert "本项目译文" in slide and ex.gloss["zh"].split("，")[0] in slide, step
    long = corpus.event("soviet-trucks-khorgos-1962-04")  # one passage of 296 characters
    slide = event_panel(long, corpus.sources, "-", "-", "en", translator("en"), fold=True)
    assert 'class="atlas-fold"' in slide and 'class="atlas-more"' in slide


def _present(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("views/present.py")
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_a_step_link_opens_that_step_and_the_url_follows_the_teacher(lesson):
    at = _present(lesson="yita-1962", step="5")
    assert not at.exception
    assert at.session_state["event"] == lesson.event_ids[4]
    at.button(key="next").click().run()
    assert at.session_state["event"] == lesson.event_ids[5]
    assert at.query_params["step"] == "6" and at.query_params["lesson"] == "yita-1962"
    assert any(f"Copy a link to step 6 of {len(lesson.event_ids)}" in f.proto.srcdoc for f in at.get("iframe"))


@pytest.mark.parametrize(
    "query, message",
    [
        ({"lesson": "yita-1962", "step": "99"}, "is not a step of this lesson"),
        ({"lesson": "yita-1962", "step": "two"}, "is not a step of this lesson"),
        ({"lesson": "no-such-lesson", "step": "2"}, "There is no lesson"),
    ],
)
def test_a_bad_step_link_says_what_it_shows_instead(lesson, query, message):
    at = _present(**query)
    assert not at.exception
    assert any(message in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.session_state["event"] in lesson.event_ids


# --- In the browser ---------------------------------------------------------------------------------


def _open(page, url: str):
    """The Present page at `url`, its run finished, its map showing the step: returns the map's frame."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".atlas-present .atlas-excerpt", timeout=90_000)
    frame = page.wait_for_selector(MAP, timeout=60_000).content_frame()
    frame.wait_for_function("() => window.atlasShown > 0", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return frame


def _progress(page, n: int) -> None:
    page.wait_for_function(f"() => document.querySelector('.atlas-progress').innerText.startsWith('{n} /')",
                           timeout=30_000)  # fmt: skip


_IN_VIEW = """(sel) => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null).map(e => {
    const r = e.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, w: r.width, h: r.height,
            clipped: e.scrollWidth > e.clientWidth + 1};
})"""


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(1024, 768), (1280, 800), (1920, 1080)])
def test_a_step_fits_one_screen(page, server, corpus, lesson, size, lang):
    """No scrolling: the buttons show their words, the map takes a real share of the screen at the step's
    view with country names in it, the title and the first passage are on the screen, the sidebar is not."""
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    number = lesson.event_ids.index("khorgos-crossing-1962-04-22") + 1
    frame = _open(page, f"{server.url}/present?lang={lang}&lesson=yita-1962&step={number}")
    main = page.query_selector("[data-testid=stMain]")
    assert main.evaluate("(m) => m.scrollHeight <= m.clientHeight + 1"), "the page scrolls"
    assert not page.is_visible("[data-testid=stSidebar]")
    _ = translator(lang)
    for key, words in (("prev", _("◀ Previous")), ("next", _("Next ▶"))):
        [button] = page.evaluate(_IN_VIEW, f".st-key-{key} button")
        assert not button["clipped"] and button["bottom"] <= height, key
        assert page.inner_text(f".st-key-{key} button").strip() == words
    [shown] = page.evaluate(_IN_VIEW, MAP)
    assert shown["w"] >= 0.4 * width and shown["h"] >= 0.6 * height and shown["bottom"] <= height, shown
    for sel in (".atlas-present .atlas-title", ".atlas-present .atlas-excerpt", ".st-key-present-share iframe"):
        box = page.evaluate(_IN_VIEW, sel)[0]
        assert 0 <= box["top"] and box["bottom"] <= height + 1, (sel, box)
    # The map is at the step's own view, the step's marker inside it, and two countries named in it.
    event = corpus.event(lesson.event_ids[number - 1])
    (lat, lon), zoom = step_view(event)
    frame.wait_for_function(f"() => window.map.getZoom() === {zoom}", timeout=30_000)
    assert frame.evaluate(f"() => window.map.getBounds().contains([{event.lat}, {event.lon}])")
    frame.wait_for_function(
        """() => { const box = window.map.getContainer().getBoundingClientRect();
            return [...document.querySelectorAll('.atlas-label div')].filter(el => {
                const r = el.getBoundingClientRect();
                return el.textContent && r.left >= box.left && r.right <= box.right && r.top >= box.top
                    && r.bottom <= box.bottom; }).length >= 2; }""",
        timeout=30_000,
    )
    # The step's own place is named beside its marker, at a zoom where other towns' names are not drawn.
    name = corpus.places[event.place].label(lang)
    frame.wait_for_function(
        """(name) => { const here = [...document.querySelectorAll('.atlas-place.atlas-here')];
            return here.length === 1 && here[0].textContent === name && here[0].checkVisibility(); }""",
        arg=name, timeout=30_000)  # fmt: skip
    assert zoom < 7 and not frame.evaluate("() => document.querySelector('.atlas-place.atlas-minor:not(.atlas-here)')"
                                           ".checkVisibility()")  # fmt: skip
    page.screenshot(path=str(ARTIFACTS / f"present-{width}x{height}-{lang}.png"))
    assert page.outside_requests == [] and page.errors == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_area_steps_map_names_its_area(page, server, corpus, lesson, lang):
    """A step about a whole region shades it and names it beside its diamond (its towns' names are not drawn
    at the zoom that shows a region)."""
    areas = json.loads(AREAS_FILE.read_text("utf-8"))
    names = {f["properties"]["id"]: f["properties"]["name"][lang] for f in areas["features"]}
    number = next(i for i, e in enumerate(lesson.event_ids, start=1) if corpus.event(e).area)
    page.set_viewport_size({"width": 1024, "height": 768})
    frame = _open(page, f"{server.url}/present?lang={lang}&lesson=yita-1962&step={number}")
    name = names[corpus.event(lesson.event_ids[number - 1]).area]
    frame.wait_for_function(
        """(name) => { const here = [...document.querySelectorAll('.atlas-area-name')];
            return here.length === 1 && here[0].textContent === name && here[0].checkVisibility(); }""",
        arg=name, timeout=30_000)  # fmt: skip


def test_a_long_passage_folds_behind_more(page, server, lesson):
    page.set_viewport_size({"width": 1024, "height": 768})
    number = lesson.event_ids.index("soviet-trucks-khorgos-1962-04") + 1
    _open(page, f"{server.url}/present?lesson=yita-1962&step={number}")
    quote = page.wait_for_selector(".atlas-present .atlas-fold .atlas-excerpt")
    assert quote.evaluate("(q) => q.scrollHeight > q.clientHeight + 2"), "the passage is not clamped"
    page.click(".atlas-present .atlas-more summary")
    page.wait_for_function(
        "() => { const q = document.querySelector('.atlas-present .atlas-fold .atlas-excerpt');"
        " return q.scrollHeight <= q.clientHeight + 1; }",
        timeout=10_000,
    )
    assert page.inner_text(".atlas-present .atlas-more summary").strip() == "less"


def test_full_screen_and_blank_screen_from_the_keys_and_the_button(page, server):
    page.set_viewport_size({"width": 1024, "height": 768})
    _open(page, f"{server.url}/present?lesson=yita-1962&step=2")
    full = "() => document.documentElement.classList.contains('atlas-full')"
    page.keyboard.press("f")
    page.wait_for_function(full, timeout=10_000)
    for hidden in ("[data-testid=stHeader]", ".st-key-lesson", ".st-key-present-share", "[data-testid=stSidebar]"):
        assert not page.is_visible(hidden), hidden
    assert page.is_visible(".st-key-next button") and page.is_visible(".atlas-present .atlas-title")
    assert page.inner_text(".atlas-full-button").strip() == "Leave full screen"
    page.keyboard.press("f")
    page.wait_for_function(f"() => !({full})()", timeout=10_000)
    assert page.is_visible(".st-key-lesson")
    page.click(".atlas-full-button")
    page.wait_for_function(full, timeout=10_000)
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => !({full})()", timeout=10_000)
    # B blanks the screen; any key (here the clicker's "next") brings the same step back.
    page.keyboard.press("b")
    page.wait_for_function(
        "() => document.elementFromPoint(innerWidth / 2, innerHeight / 2).id === 'atlas-blank'", timeout=10_000
    )
    assert page.evaluate("() => getComputedStyle(document.getElementById('atlas-blank')).backgroundColor") == (
        "rgb(0, 0, 0)"
    )
    page.keyboard.press("PageDown")
    page.wait_for_function("() => !document.getElementById('atlas-blank')", timeout=10_000)
    assert page.inner_text(".atlas-progress").startswith("2 /")
    page.keyboard.press("PageDown")
    _progress(page, 3)
    page.screenshot(path=str(ARTIFACTS / "present-after-blank.png"))
    assert page.errors == []


def test_keys_do_nothing_while_typing(page, server):
    _open(page, f"{server.url}/present?lesson=yita-1962&step=2")
    field = page.wait_for_selector(".st-key-lesson input")
    field.click()
    for key in ("f", "b", "ArrowRight", "PageDown"):
        page.keyboard.press(key)
    page.keyboard.press("Escape")  # closes the list, leaves full screen that never started
    # A key that did act would have changed one of these at once (classes and the blank cover are set
    # synchronously; a step change first starts a run, which IDLE waits out).
    page.wait_for_selector(IDLE, timeout=60_000)
    assert not page.evaluate("() => document.documentElement.classList.contains('atlas-full')")
    assert not page.query_selector("#atlas-blank")
    assert page.inner_text(".atlas-progress").startswith("2 /")
    # Out of the field, the clicker's keys work again.
    page.click(".atlas-present .atlas-title")
    page.keyboard.press("ArrowRight")
    _progress(page, 3)
    # A click on the map puts the keyboard in the map's frame: the clicker's Page Down still moves on.
    box = page.query_selector(MAP).bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.6)
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.tagName === 'IFRAME'", timeout=10_000
    )
    page.keyboard.press("PageDown")
    _progress(page, 4)


def test_a_step_link_opens_its_step_and_the_copy_control_and_qr_code_name_it(page, browser, server, corpus, lesson):
    page.set_viewport_size({"width": 1280, "height": 800})
    _open(page, f"{server.url}/present?lesson=yita-1962&step=5")
    _progress(page, 5)
    title = corpus.event(lesson.event_ids[4]).label("en")
    assert page.inner_text(".atlas-present .atlas-title") == title
    page.click(".st-key-next button")
    _progress(page, 6)
    page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '6'", timeout=30_000)
    link = f"{server.url}/present?lesson=yita-1962&step=6"
    copy = page.wait_for_selector(".st-key-present-share iframe").content_frame()
    copy.wait_for_function(
        f"() => document.getElementById('copy').textContent === 'Copy a link to step 6 of {len(lesson.event_ids)}'"
        f" && document.getElementById('url').value === {link!r}",
        timeout=30_000,
    )
    # The QR code of the same link, big enough for the back of the room.
    page.click(".st-key-present_qr label")
    code = page.wait_for_selector(".atlas-qr img", timeout=30_000)
    page.wait_for_function("() => { const i = document.querySelector('.atlas-qr img');"
                           " return i.complete && i.naturalWidth > 0; }", timeout=30_000)  # fmt: skip
    assert page.inner_text(".atlas-qr-link") == link
    box = code.bounding_box()
    assert box["height"] >= 0.4 * 800 and box["width"] == pytest.approx(box["height"], abs=2)
    page.screenshot(path=str(ARTIFACTS / "present-qr.png"))
    # The link, opened in another browser, opens step 6.
    other = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    other.goto(link, wait_until="domcontentloaded")
    other.wait_for_function(
        "() => document.querySelector('.atlas-progress') && "
        "document.querySelector('.atlas-progress').innerText.startsWith('6 /')",
        timeout=90_000,
    )
    assert other.inner_text(".atlas-present .atlas-title") == corpus.event(lesson.event_ids[5]).label("en")
    other.context.close()
    assert page.outside_requests == []


def test_in_chinese_an_english_passage_shows_its_chinese_gloss(page, server, corpus, lesson):
    page.set_viewport_size({"width": 1024, "height": 768})
    _open(page, f"{server.url}/present?lang=zh&lesson=yita-1962&step=1")
    event = corpus.event(lesson.event_ids[0])
    assert corpus.sources[event.excerpts[0].source].language == "en"
    gloss = page.wait_for_selector(".atlas-present .atlas-gloss")
    assert gloss.is_visible() and gloss.get_attribute("lang") == "zh"
    assert page.inner_text(".atlas-present .atlas-gloss .atlas-gloss-label").startswith("本项目译文")
    box = gloss.bounding_box()
    assert box["y"] + box["height"] <= 768
