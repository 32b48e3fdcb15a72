"""In headless Chromium with no network: the map shows its markers and a click shows the source's words.

Every wait is on what the page shows (Streamlit's run state, the Leaflet map, a row or a mark found by
its role or label), never a fixed sleep or a guessed pixel offset."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

# Streamlit marks its root with the state of the script run: "notRunning" once a run has finished.
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"

# The map is still: no zoom or pan animation, no cluster zooming in or spreading out.
_STILL = """() => !window.map._animatingZoom && !(window.map._panAnim && window.map._panAnim._inProgress)
    && !window.map._mapPane.classList.contains("leaflet-cluster-anim")"""

# Where in the map's frame one of `ids` is: its own circle if shown, else the cluster that holds it
# (Leaflet's own `latLngToContainerPoint` of the marker, plus where the map's container is in the frame).
_FIND = """(ids) => {
    let target = null;
    const box = window.map.getContainer().getBoundingClientRect();
    window.map.eachLayer(group => {
        if (!(group instanceof L.MarkerClusterGroup) || (target && target.single)) return;
        for (const m of group.getLayers()) {
            if (!ids.includes(m.feature.properties.id)) continue;
            const shown = m._map ? m : group.getVisibleParent(m);  // a spread-out circle is on the map itself
            if (!shown) continue;
            const p = window.map.latLngToContainerPoint(shown.getLatLng());
            target = {x: box.left + p.x, y: box.top + p.y, single: shown === m, stamp: L.stamp(shown)};
            if (target.single) break;
        }
    });
    return target;
}"""


def settled(page) -> None:
    """The script run that the page is showing has finished (call it once the run's content is there)."""
    page.wait_for_selector(IDLE, timeout=60_000)


def open_map(page, url):
    page.goto(url, wait_until="domcontentloaded")
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    frame.wait_for_function(
        "() => window.map && window.L && L.MarkerClusterGroup && "
        "Object.values(window.map._layers).some(g => g instanceof L.MarkerClusterGroup) && "
        # the events are placed (and the first view fitted to them, render/js/view.js): a test that moves the
        # map itself does so after that, never before
        "window.atlasShown !== undefined",
        timeout=60_000,
    )
    return frame


def frame_with(page, selector: str):
    """The first frame of the page that holds `selector` (components render in frames of their own, from
    this origin): waits until one does."""
    index = page.wait_for_function(
        """(selector) => 1 + [...document.querySelectorAll("iframe")]
            .findIndex(f => f.contentDocument && f.contentDocument.querySelector(selector))""",
        arg=selector,
        timeout=60_000,
    ).json_value()
    return page.query_selector_all("iframe")[index - 1].content_frame()


def count_markers(frame) -> int:
    return frame.evaluate(
        "() => { let n = 0; window.map.eachLayer(g => { "
        "if (g instanceof L.MarkerClusterGroup) n += g.getLayers().length; }); return n; }"
    )


def click_event(page, frame, ids: list[str]) -> None:
    """Click with the mouse, as a reader would: on the cluster until it opens, then on the circle."""
    for _ in range(8):
        # Wait for one, on a still map: the layer may still be arriving, or a cluster still spreading out.
        target = frame.wait_for_function(
            f"(ids) => ({_STILL})() && ({_FIND})(ids)", arg=ids, timeout=30_000
        ).json_value()
        # Where the map is now: an element drawn above it since (a notice, a longer caption) moves it down.
        box = page.query_selector("iframe[title*='st_folium']").bounding_box()
        page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
        if target["single"]:
            return
        # The cluster zooms in or spreads out: wait until something else shows the event.
        frame.wait_for_function(
            f"([ids, stamp]) => {{ const t = ({_FIND})(ids); return t && t.stamp !== stamp; }}",
            arg=[ids, target["stamp"]],
            timeout=30_000,
        )
    raise AssertionError(f"could not reach a single marker of {ids}")


def test_map_shows_every_marker_offline(page, server, corpus):
    frame = open_map(page, server.url)
    assert count_markers(frame) == len(corpus.events)
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-interactive').length") > 0
    # The 1962 base map arrived from this server: country outlines are drawn.
    frame.wait_for_function(
        "() => document.querySelectorAll('.leaflet-atlas-countries-pane path').length > 0", timeout=30_000
    )
    assert page.outside_requests == [], "requests left the machine"
    assert page.errors == []


def test_click_on_khorgos_shows_the_source_passage(page, server, corpus):
    frame = open_map(page, server.url)
    khorgos = [e.id for e in corpus.events if e.place == "khorgos"]
    click_event(page, frame, khorgos)
    panel = page.wait_for_selector(".atlas-panel", timeout=30_000)
    event = corpus.event(panel.get_attribute("data-event"))
    assert event is not None and event.id in khorgos
    quotes = [q.inner_text().strip() for q in page.query_selector_all(".atlas-excerpt")]
    assert quotes, "the panel shows no excerpt"
    for quote in quotes:
        assert any(quote == ex.text and ex.text in corpus.sources[ex.source].text for ex in event.excerpts), quote
    page.screenshot(path=str(ARTIFACTS / "khorgos-click.png"))
    assert page.outside_requests == []
    assert page.errors == []


# What each page shows once its run is done (the map's markers are waited for by open_map).
SHOWS = {
    "map": "[data-testid=stDataFrame]",
    "timeline": "[data-testid=stVegaLiteChart] [aria-roledescription=bar]",
    "present": ".atlas-present .atlas-excerpt",
    "sources": "iframe[title='st.iframe']",
    "upload": "[data-testid=stFileUploader] input[type=file]",
    "lesson": "[data-testid=stFileUploader] input[type=file]",  # its lesson file's uploader
    "about": "[data-testid=stMain] h1",
}


def choose_first_row_by_keyboard(page, grid, title: str) -> None:
    """With the keyboard in the list's grid: to the first row's title cell (glide-cell-COLUMN-ROW), which must
    read `title`, and Shift+Space chooses that row."""
    page.keyboard.press("ArrowDown")
    cell = grid.get_by_role("gridcell", selected=True, include_hidden=True)
    expect(cell).to_have_count(1)
    for _ in range(50):
        where = cell.get_attribute("data-testid")
        column, row = map(int, where.rsplit("-", 2)[1:])
        if (column, row) == (1, 0):
            break
        page.keyboard.press("ArrowUp" if row else "ArrowLeft" if column > 1 else "ArrowRight")
        expect(cell).not_to_have_attribute("data-testid", where)
    expect(cell).to_have_attribute("data-testid", "glide-cell-1-0")
    expect(cell).to_have_text(title)
    page.keyboard.press("Shift+Space")


def click_timeline_bar(page, title: str) -> None:
    """Click the timeline's bar of the event titled `title` (Vega labels each bar "title: date, place, ...")."""
    bar = page.locator(f"[data-testid=stVegaLiteChart] [aria-roledescription=bar][aria-label^='{title}: ']")
    expect(bar).to_have_count(1, timeout=60_000)
    settled(page)
    bar.click()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", ["map", "timeline", "present", "sources", "upload", "about"])
def test_page_screenshot(page, server, path, lang):
    url = f"{server.url}/{'' if path == 'map' else path}?lang={lang}"  # the map is the default page, at /
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1, .atlas-progress", timeout=60_000)
    if path == "map":
        open_map(page, url)
    page.wait_for_selector(SHOWS[path], state="attached", timeout=60_000)  # what the page is for
    settled(page)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    assert not page.query_selector("[data-testid='stException']")
    assert not page.query_selector("[role='dialog']"), "a dialog (page not found?) covers the page"
    page.screenshot(path=str(ARTIFACTS / f"page-{path}-{lang}.png"))
    assert page.outside_requests == []


def test_read_in_context_opens_the_document_at_the_excerpt(page, server, corpus):
    event = corpus.event("border-refuses-piecemeal-returns-1963")
    ex = event.excerpts[0]
    page.goto(f"{server.url}/?event={event.id}", wait_until="domcontentloaded")
    page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
    page.locator(".atlas-cite a").first.click()
    page.wait_for_url(f"**/sources?source={ex.source}*", timeout=30_000)
    doc = frame_with(page, f"mark#x-{ex.start}.focus")  # the document, not the sidebar's copy-link frame
    mark = doc.query_selector(f"mark#x-{ex.start}.focus")
    assert mark.inner_text() == ex.text
    # The highlighted passage is scrolled into view, and it links back to its event on the map.
    assert doc.evaluate(
        "(el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }", mark
    )
    assert mark.query_selector("a").get_attribute("href") == f"/?event={event.id}&lang=en"
    assert not page.query_selector("[role='dialog']"), "a dialog (page not found?) opened"
    page.screenshot(path=str(ARTIFACTS / "read-in-context.png"))
    assert page.outside_requests == []


@pytest.mark.parametrize("zoom", [4, 6, 8])
@pytest.mark.parametrize("where, lat, lon", [("ili", 44.0, 80.9), ("tacheng", 46.6, 82.9)])
def test_base_map_screenshots_offline(page, server, where, lat, lon, zoom):
    """The 1962 map around Ili and Tacheng at zoom 4, 6 and 8, drawn with no network at all."""
    frame = open_map(page, f"{server.url}/?from=1962&to=1962")
    frame.evaluate("([lat, lon, z]) => window.map.setView([lat, lon], z, {animate: false})", [lat, lon, zoom])
    frame.wait_for_function(
        "() => document.querySelectorAll('.leaflet-atlas-countries-pane path').length > 0 && "
        "document.querySelectorAll('.leaflet-atlas-lines-pane path').length >= 2",
        timeout=30_000,
    )
    # The view is the one asked for, and the browser has painted it (two animation frames).
    frame.wait_for_function(f"() => ({_STILL})() && window.map.getZoom() === {zoom}", timeout=30_000)
    frame.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))")
    page.query_selector("iframe[title*='st_folium']").screenshot(path=str(ARTIFACTS / f"map-{where}-z{zoom}.png"))
    assert page.outside_requests == []
    assert page.errors == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_presentation_follows_the_clicker_keys(page, server, lang):
    page.goto(f"{server.url}/present?lang={lang}", wait_until="domcontentloaded")
    progress = page.wait_for_selector(".atlas-progress", timeout=60_000)
    total = progress.inner_text().split("/")[1].strip()
    assert progress.inner_text().startswith("1 /")
    # The page's key listener (render/js/present_keys.js) is installed by the page's script.
    page.wait_for_function("() => window.atlasPresentKeys === true", timeout=60_000)
    for key, expected in (("PageDown", 2), ("ArrowRight", 3), ("PageUp", 2)):
        page.keyboard.press(key)
        page.wait_for_function(
            f"() => document.querySelector('.atlas-progress').innerText.startsWith('{expected} /')", timeout=30_000
        )
    assert page.inner_text(".atlas-progress") == f"2 / {total}"
    page.wait_for_selector(".atlas-present .atlas-excerpt")
    settled(page)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.screenshot(path=str(ARTIFACTS / f"present-1920x1080-{lang}.png"))
    assert page.outside_requests == []


def test_handout_download_prints_offline(page, server, corpus, tmp_path):
    page.goto(f"{server.url}/?from=1962&to=1963&region=ili&region=tacheng&region=altay", wait_until="domcontentloaded")
    button = page.wait_for_selector(".st-key-handout button", timeout=60_000)
    with page.expect_download() as info:
        button.click()
    path = tmp_path / "handout.html"
    info.value.save_as(path)
    html = path.read_text(encoding="utf-8")
    expected = [
        e
        for e in corpus.events
        if e.region in ("ili", "tacheng", "altay") and e.when.start.year <= 1963 and e.when.end.year >= 1962
    ]
    assert (
        html.count("<li><h3>") == len(expected) and "<svg" in html
    )  # one entry per event (the works cited are <li> too)
    viewer = page.context.new_page()
    viewer.goto(path.as_uri(), wait_until="load")
    viewer.wait_for_selector("svg")
    viewer.screenshot(path=str(ARTIFACTS / "handout.png"), full_page=True)
    viewer.pdf(path=str(ARTIFACTS / "handout.pdf"), format="A4")
    viewer.close()
    assert page.outside_requests == []


def test_a_copied_link_restores_the_view_in_another_browser(page, browser, server, corpus):
    frame = open_map(page, f"{server.url}/?lang=zh&from=1960&to=1965&region=ili&q=Khorgos")
    click_event(page, frame, [e.id for e in corpus.events if e.place == "khorgos"])
    chosen = page.wait_for_selector(".atlas-panel", timeout=30_000).get_attribute("data-event")
    link_frame = frame_with(page, "#copy")
    link_frame.wait_for_function(
        f"() => document.getElementById('url').value.includes('event={chosen}')", timeout=30_000
    )
    link = link_frame.eval_on_selector("#url", "el => el.value")
    other = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        second = other.new_page()
        second.goto(link, wait_until="domcontentloaded")
        panel = second.wait_for_selector(".atlas-panel", timeout=60_000)
        assert panel.get_attribute("data-event") == chosen
        assert second.inner_text(".atlas-title") == corpus.event(chosen).title["zh"]
        # The panel can arrive before the sidebar's widgets are drawn (a run may follow the first): each is
        # waited for as it shows, not read once.
        expect(second.locator("[data-testid='stSidebar']")).to_contain_text("伊犁州直属县市", timeout=30_000)
        years = second.locator("[data-testid='stMain'] [data-testid='stSlider']")  # above the map
        expect(years).to_contain_text("1960", timeout=30_000)
        expect(years).to_contain_text("1965")
        expect(second.locator("[data-testid='stSidebar'] [data-testid=stTextInputField]")).to_have_value("Khorgos")
        second.screenshot(path=str(ARTIFACTS / "restored-link.png"))
    finally:
        other.close()


def test_play_steps_the_years_forward(page, server):
    """Play reveals a year per step, on a timer in the page (Streamlit runs a fragment's `run_every` on
    a setInterval); Pause turns playing off and the timer is gone. The page's live intervals are kept
    by a wrapper installed before the app loads, so the test waits on them instead of sleeping."""
    from ui.years import PLAY_STEP

    page.add_init_script(
        """(() => { const live = window.__intervals = new Map(), set = window.setInterval, clear = window.clearInterval;
        window.setInterval = function (fn, ms, ...rest) { const id = set.call(this, fn, ms, ...rest); live.set(id, ms); return id; };
        window.clearInterval = function (id) { live.delete(id); return clear.call(this, id); }; })()"""
    )
    step_timers = f"() => [...window.__intervals.values()].filter(ms => ms === {int(PLAY_STEP * 1000)}).length"
    page.goto(f"{server.url}/?from=1960&to=1960", wait_until="domcontentloaded")
    play = page.locator(".st-key-play button")
    expect(play).to_contain_text("Play the years", timeout=60_000)
    settled(page)
    assert page.evaluate(step_timers) == 0
    play.click()
    page.wait_for_url("**to=1962*", timeout=30_000)  # two steps
    assert page.evaluate(step_timers) == 1, "no step timer while playing"
    play.click()
    expect(play).to_contain_text("Play the years", timeout=30_000)  # the page reran with playing off
    page.wait_for_function(f"() => ({step_timers})() === 0", timeout=30_000)  # and the step timer is gone
    settled(page)
    assert "from=1960" in page.url and re.search(r"to=196[23]\b", page.url), page.url


def test_choosing_a_row_in_the_list_selects_the_event(page, server, corpus):
    from events.query import select
    from events.table import events_frame

    first = events_frame(select(corpus.events, (1969, 1969)), corpus.places, {}, "en").iloc[0]
    page.goto(f"{server.url}/?from=1969&to=1969", wait_until="domcontentloaded")
    grid = page.locator("[data-testid=stDataFrame]")
    # The grid draws on a canvas and mirrors its rows in an accessible table: the first row is the first event.
    rows = grid.get_by_role("row", include_hidden=True)  # inside the canvas: not drawn
    expect(rows.nth(1)).to_contain_text(first["title"], timeout=60_000)
    settled(page)
    assert not page.query_selector(".atlas-panel")
    # As a keyboard reader: into the grid, to the first row's first cell, and Shift+Space chooses that row.
    grid.locator("canvas[data-testid=data-grid-canvas]").focus()
    choose_first_row_by_keyboard(page, grid, first["title"])
    panel = page.wait_for_selector(".atlas-panel", timeout=30_000)
    assert panel.get_attribute("data-event") == first["id"]


def test_clicking_the_timeline_selects_the_event(page, server):
    # Vega draws the chart as SVG with a label on each mark (views/timeline.py: "title: date, place, category"):
    # Nixon's bar is found by its title.
    page.goto(f"{server.url}/timeline?from=1972&to=1972", wait_until="domcontentloaded")
    click_timeline_bar(page, "Nixon visits China")
    panel = page.wait_for_selector(".atlas-panel", timeout=30_000)
    assert panel.get_attribute("data-event") == "nixon-in-china-1972"
    page.screenshot(path=str(ARTIFACTS / "timeline-click.png"))


def test_filter_changes_keep_the_map_its_pan_and_zoom(page, server, corpus):
    """The years slider, the search box and the region filter swap the event layer in place: the same
    Leaflet map stays mounted while the markers change; the years keep the reader's own pan and zoom (a new
    search or choice of regions fits the map to its events: tests/test_view.py)."""
    from events.query import select
    from events.search import SearchIndex
    from geo.regions import region_ids

    frame = open_map(page, server.url)
    frame.wait_for_function("() => window.atlasRenders >= 1", timeout=30_000)
    # The reader pans and zooms; the map object is marked so that a re-mounted map would be seen.
    frame.evaluate("() => { window.map.setView([44.0, 81.0], 7, {animate: false}); window.map.__reader = true; }")
    renders = frame.evaluate("() => window.atlasRenders")

    def changed(step: str, expected: int, kept: bool = True) -> None:
        nonlocal renders
        frame.wait_for_function(f"() => window.atlasRenders > {renders}", timeout=30_000)
        renders = frame.evaluate("() => window.atlasRenders")
        state = frame.evaluate(
            "() => ({same: window.map.__reader === true, zoom: window.map.getZoom(),"
            " lat: window.map.getCenter().lat, lng: window.map.getCenter().lng, shown: window.atlasShown})"
        )
        assert state["same"], f"{step}: the map was re-mounted"
        if kept:
            assert state["zoom"] == 7 and abs(state["lat"] - 44.0) < 1e-6, (step, state)
            assert abs(state["lng"] - 81.0) < 1e-6, (step, state)
        assert state["shown"] == expected, (step, state)

    end = page.locator("[data-testid=stSlider] input[type=range]").last
    end.focus()
    end.press("Home")  # the years 1917–1917
    changed("years", len(select(corpus.events, (1917, 1917))))
    end.press("End")  # back to 1917–1991
    changed("years", len(corpus.events))
    search = page.locator("[data-testid='stSidebar'] [data-testid=stTextInputField]")
    search.fill("Khorgos")
    search.press("Enter")
    changed(
        "search",
        len(select(corpus.events, (1917, 1991), None, SearchIndex(corpus.events, corpus.places).ids("Khorgos"))),
        kept=False,
    )
    search.fill("")
    search.press("Enter")
    changed("search cleared", len(corpus.events), kept=False)
    page.get_by_role("combobox", name="Regions").click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # the first region in the list
    changed("region", len(select(corpus.events, (1917, 1991), [region_ids()[0]])), kept=False)
    assert page.errors == []
