"""Keyboard and screen reader (issue 16): every marker, cluster, flow arrow and list row is reached and opened
from the keyboard, focus goes to the panel and back, markers and clusters are named, frames are named, the
page's language follows the interface's, a category is never told by colour alone, and axe-core finds no
critical or serious violation on any page in either language.

Every wait is on the page's state (the run, the markers, the focused element), never a fixed sleep."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from events.categories import CATEGORIES
from i18n import translator
from tests.conftest import ARTIFACTS
from tests.test_browser import SHOWS, choose_first_row_by_keyboard, open_map, settled

MAP = "iframe[title*='st_folium']"
AXE_BAD = ("critical", "serious")

# What has the keyboard focus: in the page, or in the map's frame (same origin).
_FOCUS = """() => {
    const a = document.activeElement;
    if (a && a.tagName === 'IFRAME' && (a.title || '').includes('st_folium')) {
        const d = a.contentDocument.activeElement;
        return {where: 'map', key: d.getAttribute('data-atlas-key'), name: d.getAttribute('aria-label'),
                current: d.getAttribute('aria-current')};
    }
    return {where: 'page', tag: a ? a.tagName : null, cls: a ? String(a.className) : '', text: a ? a.innerText : ''};
}"""


def focus(page) -> dict:
    return page.evaluate(_FOCUS)


def tab_to(page, wanted, limit: int = 120) -> dict:
    """Press Tab from where the focus is until `wanted(focus)` holds: what a keyboard reader does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focus(page)
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached it in {limit} presses; the focus is at {focus(page)}")


def start(page, url: str):
    """The map page, its markers named, the run done, and the focus at the top of the page."""
    frame = open_map(page, url)
    frame.wait_for_selector("[data-atlas-key=event]", state="attached", timeout=60_000)
    settled(page)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.focus(); }")
    return frame


def in_map(key: str):
    return lambda f: f["where"] == "map" and f.get("key") == key


def test_tab_reaches_a_marker_enter_opens_its_panel_and_back_returns(page, server, corpus):
    start(page, f"{server.url}/?from=1962&to=1962")
    marker = tab_to(page, in_map("event"))
    page.keyboard.press("Enter")
    panel = page.wait_for_selector(".atlas-panel", timeout=30_000)
    event = corpus.event(panel.get_attribute("data-event"))
    assert event is not None
    assert marker["name"].startswith(event.title["en"] + ", "), (marker["name"], event.title["en"])
    assert page.inner_text(".atlas-title") == event.title["en"]
    # The focus is on the panel's title (a screen reader reads it), and the next stop is the way back.
    page.wait_for_function("() => document.activeElement.classList.contains('atlas-title')", timeout=30_000)
    page.keyboard.press("Tab")
    assert focus(page)["text"] == "Back to the map"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({_FOCUS})().where === 'map'", timeout=30_000)
    back = focus(page)
    assert back["key"] == "event" and back["current"] == "true" and back["name"] == marker["name"], back
    page.screenshot(path=str(ARTIFACTS / "a11y-back-to-map.png"))
    assert page.errors == []


def test_escape_in_the_panel_returns_to_the_marker(page, server):
    start(page, f"{server.url}/?from=1962&to=1962")
    marker = tab_to(page, in_map("event"))
    page.keyboard.press(" ")  # Space opens as Enter does
    page.wait_for_function("() => document.activeElement.classList.contains('atlas-title')", timeout=30_000)
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => ({_FOCUS})().where === 'map'", timeout=30_000)
    assert focus(page)["name"] == marker["name"]


def test_a_cluster_is_named_and_opened_by_keyboard(page, server, corpus):
    """Beijing's events of 1962 share one point: their cluster is "N events at Beijing"; Enter spreads it
    out and the focus goes to one of its events, which Enter then opens."""
    from events.query import select

    beijing = [e for e in select(corpus.events, (1962, 1962)) if e.place == "beijing"]
    assert len(beijing) >= 2
    name = f"{len(beijing)} events at {corpus.places['beijing'].label('en')}"
    start(page, f"{server.url}/?from=1962&to=1962")
    assert tab_to(page, lambda f: f["where"] == "map" and f.get("name") == name)["key"] == "cluster"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({_FOCUS})().key === 'event'", timeout=30_000)
    child = focus(page)
    titles = {e.title["en"]: e.id for e in beijing}
    assert any(child["name"].startswith(t + ", ") for t in titles), child
    page.keyboard.press("Enter")
    panel = page.wait_for_selector(".atlas-panel", timeout=30_000)
    assert panel.get_attribute("data-event") in titles.values()


def test_a_cluster_of_several_places_zooms_in_and_keeps_the_focus_inside(page, server):
    """A cluster of events at several points is named by its places, those with most events first ("15 events
    at Khorgos port, Yining (Gulja), Tacheng and 4 other places"; never "near" one of them, which would read as
    if all were there): Enter zooms in as a click does, and the focus goes to what now shows its first event (a
    marker, or a smaller cluster), inside the map."""
    frame = start(page, f"{server.url}/?from=1962&to=1962")
    zoom = frame.evaluate("() => window.map.getZoom()")
    near = tab_to(page, lambda f: f["where"] == "map" and f.get("key") == "cluster" and " other places" in f["name"])
    assert re.fullmatch(r"\d+ events at .+, .+, .+ and \d+ other places", near["name"]), near
    assert " near " not in near["name"]
    page.keyboard.press("Enter")
    frame.wait_for_function(f"() => window.map.getZoom() > {zoom}", timeout=30_000)
    page.wait_for_function(
        f"() => {{ const f = ({_FOCUS})(); return f.where === 'map' && f.key && f.name !== {near['name']!r}; }}",
        timeout=30_000,
    )


def test_a_flow_arrow_opens_its_event_by_keyboard(page, server, corpus):
    from geo.flows import load_flows

    flows = {f.name["en"]: f.events[0] for f in load_flows(corpus.places) if f.events}
    start(page, f"{server.url}/?from=1962&to=1962")
    arrow = tab_to(page, in_map("flow"))
    assert arrow["name"] in flows, arrow
    page.keyboard.press("Enter")
    panel = page.wait_for_selector(".atlas-panel", timeout=30_000)
    assert panel.get_attribute("data-event") == flows[arrow["name"]]
    page.wait_for_function("() => document.activeElement.classList.contains('atlas-title')", timeout=30_000)


def test_arrow_keys_move_between_markers_inside_the_map_only(page, server):
    start(page, f"{server.url}/?from=1962&to=1962")
    first = tab_to(page, in_map("event"))
    names = {first["name"]}
    for key in ("ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"):
        page.keyboard.press(key)
        now = focus(page)
        assert now["where"] == "map" and now["key"], (key, now)
        names.add(now["name"])
    assert len(names) > 1, "the arrow keys never left the first marker"
    # Outside the map the arrow keys are the page's own: on the years slider they move the years.
    end = page.locator("[data-testid=stSlider] input[type=range]").last
    end.focus()
    before = end.get_attribute("aria-valuenow")
    page.keyboard.press("ArrowLeft")
    expect(end).not_to_have_attribute("aria-valuenow", before)


def test_a_filter_change_never_moves_the_focus_into_the_map(page, server, corpus):
    frame = start(page, f"{server.url}/?from=1962&to=1962")
    renders = frame.evaluate("() => window.atlasRenders")
    end = page.locator("[data-testid=stSlider] input[type=range]").last
    end.focus()
    end.press("End")
    frame.wait_for_function(f"() => window.atlasRenders > {renders}", timeout=30_000)
    settled(page)
    frame.wait_for_selector("[data-atlas-key=event]", state="attached")
    assert page.evaluate("() => document.activeElement.getAttribute('type')") == "range"


def test_a_list_row_is_chosen_by_keyboard(page, server, corpus):
    """Streamlit 1.67's grid takes the keyboard: Tab reaches it, the arrows move between cells and
    Shift+Space selects the row, which selects its event (no other control is needed)."""
    from events.query import select
    from events.table import events_frame

    first = events_frame(select(corpus.events, (1969, 1969)), corpus.places, {}, "en").iloc[0]
    start(page, f"{server.url}/?from=1969&to=1969")
    grid = page.locator("[data-testid=stDataFrame]")
    expect(grid.get_by_role("row", include_hidden=True).nth(1)).to_contain_text(first["title"], timeout=60_000)
    tab_to(page, lambda f: f["where"] == "page" and f["tag"] == "CANVAS")
    choose_first_row_by_keyboard(page, grid, first["title"])
    panel = page.wait_for_selector(".atlas-panel", timeout=30_000)
    assert panel.get_attribute("data-event") == first["id"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_marker_carries_its_categorys_glyph_as_the_key_shows_it(page, server, corpus, lang):
    frame = start(page, f"{server.url}/?lang={lang}")
    marks = frame.evaluate(
        "() => [...document.querySelectorAll('[data-atlas-key=event] .atlas-mark, [data-atlas-key=event] "
        ".atlas-area-mark')].map(m => m.textContent)"
    )
    glyphs = {c.mark(lang) for c in CATEGORIES}
    assert marks and set(marks) <= glyphs, (marks, glyphs)
    key = page.eval_on_selector_all(".atlas-swatch", "els => els.map(e => e.textContent)")
    assert key == [c.mark(lang) for c in CATEGORIES]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_timeline_dot_carries_its_categorys_glyph(page, server, lang):
    """On the timeline too colour is not the only sign: each event's dot bears its category's glyph (the
    category is the last part of the dot's description), and the key above the chart shows the same."""
    page.goto(f"{server.url}/timeline?lang={lang}", wait_until="domcontentloaded")
    page.wait_for_selector(SHOWS["timeline"], state="attached", timeout=60_000)
    chart = "[data-testid=stVegaLiteChart] "
    dots = page.eval_on_selector_all(chart + "g.mark-symbol.role-mark path", "els => els.map(e => e.ariaLabel)")
    glyphs = page.eval_on_selector_all(chart + "g.mark-text.role-mark text", "els => els.map(e => e.textContent)")
    by_name = {c.label(lang): c.mark(lang) for c in CATEGORIES}
    assert dots and len(glyphs) == len(dots)
    separator = "，" if lang == "zh" else ", "
    assert glyphs == [by_name[d.rsplit(separator, 1)[1]] for d in dots]
    key = page.eval_on_selector_all(".tl-legend .atlas-swatch", "els => els.map(e => e.textContent)")
    assert key == [c.mark(lang) for c in CATEGORIES if c.mark(lang) in glyphs]


def _axe(page) -> list[dict]:
    """axe-core's violations on the page and in every frame of it (axe runs in each frame and reports back)."""
    from axe_playwright_python.sync_playwright import Axe

    script = Axe().axe_script
    for frame in page.frames:
        frame.evaluate(script)
    return page.evaluate("() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")


def _readable(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' >> '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append(f"        {node['failureSummary'][:300]}".replace("\n", " | "))
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", ["map", "timeline", "present", "lesson", "sources", "upload", "about"])
def test_axe_finds_no_serious_violation_and_the_page_speaks_its_language(page, server, path, lang):
    _ = translator(lang)
    url = f"{server.url}/{'' if path == 'map' else path}?lang={lang}"
    page.goto(url, wait_until="domcontentloaded")
    if path == "map":
        frame = open_map(page, url)
        frame.wait_for_selector("[data-atlas-key=event]", state="attached", timeout=60_000)
    page.wait_for_selector(SHOWS[path], state="attached", timeout=60_000)
    settled(page)
    expected = {"en": "en", "zh": "zh-Hans"}[lang]
    page.wait_for_function(f"() => document.documentElement.lang === {expected!r}", timeout=30_000)
    # Every frame is named for what it holds, in the reader's language (the map and the copy-link control are on
    # every page's sidebar or main column).
    copy = _("Copy a link to this view")
    page.wait_for_function(
        "(name) => [...document.querySelectorAll('iframe')].some(f => f.getAttribute('aria-label') === name)",
        arg=copy,
        timeout=30_000,
    )
    if path == "map":
        assert page.get_attribute(MAP, "aria-label") == _("Map of the events")
    violations = [v for v in _axe(page) if v["impact"] in AXE_BAD]
    page.screenshot(path=str(ARTIFACTS / f"a11y-{path}-{lang}.png"))
    assert not violations, f"axe on {url}:\n{_readable(violations)}"


def test_axe_on_the_map_with_an_event_opened_from_the_keyboard(page, server):
    """The panel as a keyboard reader meets it: focused, with the way back added."""
    start(page, f"{server.url}/?from=1962&to=1962&lang=zh")
    tab_to(page, in_map("event"))
    page.keyboard.press("Enter")
    page.wait_for_selector(".atlas-panel .atlas-back", timeout=30_000)
    assert page.inner_text(".atlas-back") == "返回地图"
    settled(page)
    violations = [v for v in _axe(page) if v["impact"] in AXE_BAD]
    assert not violations, _readable(violations)


def test_glyphs_tell_the_categories_apart_in_each_language():
    for lang in ("en", "zh"):
        glyphs = [c.mark(lang) for c in CATEGORIES]
        assert len(set(glyphs)) == len(glyphs) and all(len(g) == 1 for g in glyphs), (lang, glyphs)


def test_a_categorys_glyph_contrasts_with_its_colour():
    """WCAG's 4.5:1 for the small glyph on the marker, for each category's colour and the ink chosen for it."""
    from events.categories import contrast_ratio

    for c in CATEGORIES:
        assert contrast_ratio(c.colour, c.ink) >= 4.5, (c.id, c.colour, c.ink, contrast_ratio(c.colour, c.ink))


def test_a_markers_name_is_its_title_and_date_escaped_like_its_tooltip(corpus):
    """The name travels escaped (no data string travels raw: tests/test_escaping.py) and reads back as the
    plain "title, date" (keyboard.js reads it back as text); an area event names its area."""
    import html

    from render.eventfile import event_features

    event = corpus.event("khorgos-crossing-1962-04-22")
    area = next(e for e in corpus.events if e.area)
    props = {
        f["properties"]["id"]: f["properties"]
        for f in event_features([event, area], "zh", lambda e: e.when.label("zh"), corpus.places)["features"]
    }
    assert html.unescape(props[event.id]["label"]) == f"{event.title['zh']}，{event.when.label('zh')}"
    assert html.unescape(props[event.id]["place"]) == corpus.places[event.place].label("zh")
    assert corpus.places[area.place].label("zh") in html.unescape(props[area.id]["label"])
