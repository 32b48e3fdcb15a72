"""In headless Chromium with no network: the map shows its markers and a click shows the source's words."""

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def open_map(page, url):
    page.goto(url, wait_until="domcontentloaded")
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    frame.wait_for_function(
        "() => window.map && document.querySelectorAll('path.leaflet-interactive').length > 0", timeout=60_000
    )
    return frame


def click_latlng(page, frame, lat, lon):
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }", [lat, lon]
    )
    box = page.query_selector("iframe[title*='st_folium']").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_map_shows_every_marker_offline(page, server, corpus):
    frame = open_map(page, server.url)
    markers = frame.evaluate("() => document.querySelectorAll('path.leaflet-interactive').length")
    assert markers == len(corpus.events)
    assert page.outside_requests == [], "requests left the machine"
    assert page.errors == []


def test_click_on_khorgos_shows_the_source_passage(page, server, corpus):
    frame = open_map(page, server.url)
    khorgos = corpus.places["khorgos"]
    click_latlng(page, frame, khorgos.lat, khorgos.lon)
    panel = page.wait_for_selector(".atlas-panel", timeout=30_000)
    event = corpus.event(panel.get_attribute("data-event"))
    assert event is not None and event.place == "khorgos"
    quotes = [q.inner_text().strip() for q in page.query_selector_all(".atlas-excerpt")]
    assert quotes, "the panel shows no excerpt"
    for quote in quotes:
        assert any(quote in corpus.sources[ex.source].text for ex in event.excerpts), quote
    page.screenshot(path=str(ARTIFACTS / "khorgos-click.png"))
    assert page.outside_requests == []
    assert page.errors == []


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", ["map", "sources", "about"])
def test_page_screenshot(page, server, path, lang):
    page.goto(f"{server.url}/{path}?lang={lang}", wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    if path == "map":
        frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
        frame.wait_for_function(
            "() => document.querySelectorAll('path.leaflet-interactive').length > 0", timeout=60_000
        )
    page.wait_for_timeout(500)
    assert not page.query_selector("[data-testid='stException']")
    page.screenshot(path=str(ARTIFACTS / f"page-{path}-{lang}.png"))
    assert page.outside_requests == []
