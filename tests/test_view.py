"""In headless Chromium: the map view of issue 16 (items 3-6). The chosen event is in sight wherever it was
chosen from; search says what it found and the map fits it; names, scale and title leave the map readable;
Play runs through the reader's years at the reader's speed.

Every wait is on the page's state: Streamlit's run state, the map's `atlasRenders` (a new event layer) and
`atlasView.moving` (render/js/view.js: true from a move's start to its `moveend`), never a fixed sleep."""

import re

import pytest
from playwright.sync_api import expect

from events.query import select
from events.search import SearchIndex
from geo.regions import region_ids
from tests.conftest import ARTIFACTS
from tests.test_browser import click_event, click_timeline_bar, open_map, settled

pytestmark = pytest.mark.browser

# The map has drawn a layer after `n` earlier ones and stands still (no fly-to, fit, zoom or cluster animation).
_STILL = """(n) => window.atlasRenders > n && window.atlasView && !window.atlasView.moving && !window.map._animatingZoom
    && !window.map._mapPane.classList.contains('leaflet-cluster-anim')"""

# The chosen event as the map draws it: out of the clusters? ringed? in the map's view?
_CHOSEN = """(id) => {
    let inCluster = false, alone = null;
    window.map.eachLayer(l => {
        if (l instanceof L.MarkerClusterGroup) inCluster = inCluster || l.getLayers().some(m => m.feature.properties.id === id);
        else if (l.feature && l.feature.properties && l.feature.properties.id === id) alone = l;
    });
    if (!alone) return {drawn: false, inCluster};
    const el = alone.getElement ? alone.getElement() : null;
    return {drawn: true, inCluster, inView: window.map.getBounds().contains(alone.getLatLng()),
            ringed: !!(el && el.querySelector('.atlas-mark-on, .atlas-area-on')), zoom: window.map.getZoom()};
}"""


def still(frame, renders: int = 0) -> None:
    frame.wait_for_function(_STILL, arg=renders, timeout=60_000)


def renders(frame) -> int:
    return frame.evaluate("() => window.atlasRenders || 0")


def assert_in_sight(frame, event_id: str) -> None:
    chosen = frame.evaluate(_CHOSEN, event_id)
    assert chosen["drawn"] and not chosen["inCluster"], chosen
    assert chosen["ringed"] and chosen["inView"], chosen


def all_in_view(frame) -> bool:
    """Every event the layer shows is inside the map's view."""
    return frame.evaluate(
        """() => { let all = true; window.map.eachLayer(g => { if (g instanceof L.MarkerClusterGroup)
            g.getLayers().forEach(m => { all = all && window.map.getBounds().contains(m.getLatLng()); }); });
            return all; }"""
    )


def away(frame) -> None:
    """The reader pans and zooms far from everything (the Arctic Ocean)."""
    frame.evaluate("() => window.map.setView([76, 60], 7, {animate: false})")


# Item 3: the chosen event is always in sight.


def test_a_link_to_an_event_opens_the_map_on_it(page, server):
    frame = open_map(page, f"{server.url}/?event=nixon-in-china-1972")
    still(frame)
    assert_in_sight(frame, "nixon-in-china-1972")
    assert frame.evaluate(_CHOSEN, "nixon-in-china-1972")["zoom"] >= 6
    assert page.errors == []


def test_on_a_projector_the_first_click_on_a_marker_opens_it_and_the_page_stays(page, server, corpus):
    """At 1024x768 the map is taller than what the window shows of it: the focus Leaflet takes on a mouse
    press scrolled the page under the pointer, and the first click on a marker was lost."""
    page.set_viewport_size({"width": 1024, "height": 768})
    frame = open_map(page, f"{server.url}/?event=yining-riot-1962")
    still(frame)
    settled(page)
    top = "() => document.querySelector('[data-testid=stMain]').scrollTop"
    before = page.evaluate(top)
    khorgos = [e.id for e in corpus.events if e.place == "khorgos"]
    click_event(page, frame, khorgos)
    panel = page.wait_for_selector(".atlas-panel:not([data-event=yining-riot-1962])", timeout=30_000)
    assert panel.get_attribute("data-event") in khorgos
    assert page.evaluate(top) == before


def test_choosing_from_the_timeline_flies_the_map_there_on_return(page, server):
    page.goto(f"{server.url}/timeline?from=1972&to=1972", wait_until="domcontentloaded")
    click_timeline_bar(page, "Nixon visits China")
    page.wait_for_selector(".atlas-panel[data-event=nixon-in-china-1972]", timeout=30_000)
    settled(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Map").click()
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    still(frame)
    assert_in_sight(frame, "nixon-in-china-1972")


def test_clicking_a_marker_then_choosing_from_search_and_list_keeps_the_event_in_sight(page, server, corpus):
    """A click on a marker draws it apart, ringed; a search fits its events; a row of the list chosen while
    the reader looks elsewhere flies the map back to the event."""
    # The search fits the map to Khorgos, where the events share a point: a cluster that spreads out on a click.
    frame = open_map(page, f"{server.url}/?from=1962&to=1962&q=Khorgos")
    still(frame)
    click_event(page, frame, ["khorgos-crossing-1962-04-22"])
    page.wait_for_selector(".atlas-panel[data-event=khorgos-crossing-1962-04-22]", timeout=30_000)
    still(frame, 1)
    assert_in_sight(frame, "khorgos-crossing-1962-04-22")

    # The list: the reader has panned away; choosing a row brings the map to its event. On a laptop's screen
    # the list is below the fold, under the map.
    page.set_viewport_size({"width": 1366, "height": 768})
    away(frame)
    n = renders(frame)
    grid = page.locator("[data-testid=stDataFrame]")
    settled(page)
    grid.locator("canvas[data-testid=data-grid-canvas]").focus()
    page.keyboard.press("ArrowDown")
    cell = grid.get_by_role("gridcell", selected=True, include_hidden=True)
    expect(cell).to_have_count(1)
    page.keyboard.press("Shift+Space")
    panel = page.wait_for_selector(".atlas-panel:not([data-event=khorgos-crossing-1962-04-22])", timeout=30_000)
    chosen = panel.get_attribute("data-event")
    still(frame, n)
    assert_in_sight(frame, chosen)
    # The list is under the map: the page scrolls back up to the map, with the event's panel beside it.
    page.wait_for_function(
        """() => { const f = document.querySelector("iframe[title*='st_folium']").getBoundingClientRect();
            return f.top >= 0 && f.top < innerHeight / 2; }""",
        timeout=30_000,
    )
    assert page.locator(".atlas-panel .atlas-title").is_visible()
    assert page.errors == []


def test_on_a_phone_the_chosen_event_scrolls_its_panel_into_view(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    frame = open_map(page, f"{server.url}/?event=yining-riot-1962")
    still(frame)
    page.wait_for_function(
        """() => { const p = document.querySelector('.atlas-panel[data-event=yining-riot-1962]');
            if (!p) return false; const r = p.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight / 2; }""",
        timeout=30_000,
    )
    page.screenshot(path=str(ARTIFACTS / "view-phone-panel.png"))


def test_other_reruns_leave_the_readers_own_view_alone(page, server):
    frame = open_map(page, f"{server.url}/?event=yining-riot-1962")
    still(frame)
    away(frame)
    n = renders(frame)
    end = page.locator("[data-testid=stSlider] input[type=range]").last
    end.focus()
    end.press("ArrowLeft")  # a year less: a new layer, the same chosen event and search
    still(frame, n)
    view = frame.evaluate(
        "() => ({lat: window.map.getCenter().lat, lng: window.map.getCenter().lng, z: window.map.getZoom()})"
    )
    assert view["z"] == 7 and abs(view["lat"] - 76) < 1e-6 and abs(view["lng"] - 60) < 1e-6, view


# Item 4: search a student trusts.


def search(page, text: str) -> None:
    box = page.locator("[data-testid='stSidebar'] [data-testid=stTextInputField]")
    box.fill(text)
    box.press("Enter")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_name_of_yining_says_the_same_results_and_the_map_fits_them(page, server, corpus, lang):
    found = SearchIndex(corpus.events, corpus.places).ids("Gulja")
    frame = open_map(page, f"{server.url}/?lang={lang}")
    still(frame)
    for name in ["Gulja", "伊寧", "Кульджа", "Ghulja"]:
        n = renders(frame)
        away(frame)
        search(page, name)
        line = page.locator(".atlas-results")
        expected = f"{len(found)} events for '{name}'" if lang == "en" else f"“{name}”：{len(found)} 个事件"
        expect(line).to_have_text(expected, timeout=30_000)
        still(frame, n)
        assert frame.evaluate("() => window.atlasShown") == len(found), name
        assert all_in_view(frame), f"{name}: the map does not show all the events found"
    page.screenshot(path=str(ARTIFACTS / f"view-search-{lang}.png"))
    n = renders(frame)
    page.locator(".st-key-clear-search button").click()
    expect(page.locator(".atlas-results")).to_have_count(0, timeout=30_000)
    expect(page.locator("[data-testid='stSidebar'] [data-testid=stTextInputField]")).to_have_value("")
    still(frame, n)
    assert frame.evaluate("() => window.atlasShown") == len(corpus.events)
    assert "q=" not in page.url
    assert page.errors == []


def test_a_search_or_region_with_no_events_says_so(page, server, corpus):
    frame = open_map(page, server.url)
    still(frame)
    search(page, "zzzz-no-such-word")
    expect(page.locator(".atlas-results")).to_have_text(
        "No events for 'zzzz-no-such-word' in these years and regions.", timeout=30_000
    )
    years, region = next(
        ((y, y), r) for y in range(corpus.span[0], corpus.span[1] + 1) for r in region_ids()
        if not select(corpus.events, (y, y), [r])
    )  # fmt: skip
    page.goto(f"{server.url}/?from={years[0]}&to={years[1]}&region={region}", wait_until="domcontentloaded")
    expect(page.locator(".atlas-results")).to_have_text("No events in these regions and years.", timeout=60_000)


# Item 5: a map that reads at a distance.


def test_at_1366x768_the_map_starts_high_and_its_first_view_fits_the_events(page, server, corpus):
    page.set_viewport_size({"width": 1366, "height": 768})
    frame = open_map(page, server.url)
    still(frame)
    title = page.locator("h1").first.bounding_box()
    box = page.query_selector("iframe[title*='st_folium']").bounding_box()
    assert title["y"] < 70, f"an empty band above the title: {title}"
    assert box["y"] < 768 - 480, f"the map starts at {box['y']} px: less than 480 px of it above the fold"
    assert frame.evaluate("() => window.atlasShown") == len(corpus.events)
    assert all_in_view(frame), "the first view does not show all the events"
    page.screenshot(path=str(ARTIFACTS / "view-1366.png"))


def test_place_names_sit_above_the_markers_large_and_the_scale_covers_none(page, server):
    page.set_viewport_size({"width": 1024, "height": 768})
    frame = open_map(page, f"{server.url}/?q=Gulja")
    still(frame)
    look = frame.evaluate(
        """() => {
        const z = name => +getComputedStyle(document.querySelector('.leaflet-' + name + '-pane')).zIndex;
        const place = document.querySelector('.leaflet-atlas-labels-pane .atlas-place');
        const scale = document.querySelector('.leaflet-control-scale').getBoundingClientRect();
        const covered = [...document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon, '
                                                    + '.leaflet-overlay-pane path.leaflet-interactive')]
            .map(el => el.getBoundingClientRect())
            .filter(r => r.right > scale.left && r.left < scale.right && r.bottom > scale.top && r.top < scale.bottom);
        return {labels: z('atlas-labels'), markers: z('marker'), font: parseFloat(getComputedStyle(place).fontSize),
                through: getComputedStyle(place).pointerEvents, covered: covered.length};
    }"""
    )
    assert look["labels"] > look["markers"], look
    assert look["font"] >= 15 and look["through"] == "none", look
    assert look["covered"] == 0, look


# Item 6: Play from the reader's first year to the last, at the reader's speed.


def test_play_runs_through_the_chosen_years_at_the_chosen_speed(page, server):
    # The page's address as it changes, and its live timers: the test waits on them, never on a clock.
    page.add_init_script(
        """(() => { const live = window.__intervals = new Map(), set = window.setInterval, clear = window.clearInterval;
        window.setInterval = function (fn, ms, ...rest) { const id = set.call(this, fn, ms, ...rest); live.set(id, ms); return id; };
        window.clearInterval = function (id) { live.delete(id); return clear.call(this, id); };
        window.__urls = []; const replace = history.replaceState, push = history.pushState;
        history.replaceState = function (...a) { window.__urls.push(String(a[2])); return replace.apply(this, a); };
        history.pushState = function (...a) { window.__urls.push(String(a[2])); return push.apply(this, a); }; })()"""
    )
    page.goto(f"{server.url}/?from=1960&to=1963", wait_until="domcontentloaded")
    play = page.locator(".st-key-play button")
    expect(play).to_contain_text("Play the years", timeout=60_000)
    settled(page)
    page.locator(".st-key-play_speed").click()
    page.get_by_role("option", name="0.5 s a year").click()
    settled(page)
    play.click()
    page.wait_for_function("() => [...window.__intervals.values()].includes(500)", timeout=30_000)
    expect(play).to_contain_text("Play the years", timeout=60_000)  # it stopped by itself
    settled(page)
    assert "from=1960&to=1963" in page.url, page.url
    steps = [tuple(map(int, m.groups())) for u in page.evaluate("() => window.__urls")
             if (m := re.search(r"from=(\d+)&to=(\d+)", u))]  # fmt: skip
    steps = [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]
    played = steps[steps.index((1960, 1960)) :]
    assert [to for _, to in played] == [1960, 1961, 1962, 1963], steps
    assert {lo for lo, _ in played} == {1960}, steps


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_1024x768_buttons_keep_their_words(page, server, lang):
    """A projector's width beside the sidebar: the Play button's words wrap to two lines, never "Play the …"."""
    page.set_viewport_size({"width": 1024, "height": 768})
    open_map(page, f"{server.url}/?lang={lang}")
    settled(page)
    clipped = page.eval_on_selector_all(
        "[data-testid=stMain] :is(.stButton, .stDownloadButton) button [data-testid=stMarkdownContainer]",
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)",
    )
    assert clipped == []
