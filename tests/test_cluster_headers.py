"""What nginx sends in front of the atlas (deploy/nginx.conf): a Content-Security-Policy the atlas works
under (checked in Chromium: the map draws, a click opens the panel, no violation), frame-ancestors
instead of X-Frame-Options, and Streamlit's metrics kept from the world."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from deploy.cluster import Cluster, frame_ancestors, main, nginx_conf
from tests.conftest import ARTIFACTS
from tests.test_browser import SHOWS, click_event, count_markers, open_map

# The page has finished its run and loaded its fonts: what it fetches is fetched (and any CSP violation reported).
SETTLED = "() => document.fonts.status === 'loaded' && !!document.querySelector('[data-test-script-state=notRunning]')"

pytestmark = pytest.mark.ops


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(2)  # as shipped: the agent API off
    yield c
    c.stop()


def fetch(url: str, method: str = "GET"):
    """(status, headers) of an answer, errors included."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def csp(headers) -> dict[str, list[str]]:
    (policy,) = headers.get_all("Content-Security-Policy")  # one policy: Streamlit sends none of its own
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


@pytest.mark.parametrize("path", ["/", "/_stcore/health", "/_stcore/host-config", "/no-such-page",
                                  "/component/streamlit_folium.st_folium/index.html", "/_stcore/metrics"])  # fmt: skip
def test_every_answer_carries_the_policy(cluster, path):
    _status, headers, _ = fetch(cluster.url + path)
    policy = csp(headers)
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"], "by default only the atlas itself may frame the atlas"
    assert policy["connect-src"] == ["'self'"], "the websocket goes to this server only"
    assert "'unsafe-inline'" not in policy["img-src"] and "*" not in policy["img-src"]
    assert policy["frame-src"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert not headers.get_all("X-Frame-Options"), "frame-ancestors decides; XFO cannot name a school's platform"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "nginx/" not in (headers.get("Server") or "")


def test_online_tile_layers_are_allowed_as_images_only(cluster):
    from render.mapbuild import TILES

    policy = csp(fetch(cluster.url + "/_stcore/health")[1])
    for name, provider in TILES:
        host = urlsplit(provider.url).hostname.replace("{s}", "a")
        allowed = [s for s in policy["img-src"] if s.startswith("https://")
                   and re.fullmatch(re.escape(s[8:]).replace(r"\*", r"[^.]+"), host)]  # fmt: skip
        assert allowed, f"{name}: {host} is not allowed under img-src"
        for directive in ("script-src", "connect-src", "style-src", "frame-src"):
            assert not any(host in s or s.endswith(host.split(".", 1)[1]) for s in policy[directive])


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics/", "//_stcore/metrics",
                                  "/_stcore//metrics", "/_stcore/METRICS", "/_stcore/%6detrics",
                                  "/_stcore/metrics?families=session_state"])  # fmt: skip
def test_metrics_are_not_served_to_the_world(cluster, path):
    status, headers, body = fetch(cluster.url + path)
    assert status == 403, (status, body[:200])
    assert "openmetrics" not in (headers.get("Content-Type") or "")


def test_metrics_stay_readable_on_the_server_itself(cluster):
    status, headers, body = fetch(cluster.backends[0].url + "/_stcore/metrics")
    assert status == 200 and "openmetrics" in headers["Content-Type"]


def test_a_school_platform_may_be_named_and_nothing_else_gets_in(tmp_path):
    text = nginx_conf(
        "127.0.0.1:1", [2, 3], tmp_path, "'self' https://lms.school.example https://*.moodle.example:8443"
    )
    assert "frame-ancestors 'self' https://lms.school.example https://*.moodle.example:8443\" always;" in text
    for bad in ("", "https://a.example; script-src *", 'https://a.example" always; add_header X 1', "'unsafe-inline'",
                "*", "https://a.example\nhttps://b.example;", "'none' 'self'", "javascript:alert(1)"):  # fmt: skip
        with pytest.raises(ValueError):
            frame_ancestors(bad)
    with pytest.raises(SystemExit) as refused:  # refused before anything starts
        main(["2", "--frame-ancestors", "https://a.example; script-src *"])
    assert refused.value.code == 2


@pytest.mark.browser
def test_the_atlas_works_under_the_policy_in_chromium(cluster, browser, corpus):
    """Through nginx: the map draws every marker, a click opens the panel, and the console reports
    no Content-Security-Policy violation (the page's, the component frame's or the map's)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
    try:
        frame = open_map(page, cluster.url)
        expected = len(corpus.events)
        frame.wait_for_function(  # the event layer may still be arriving on a busy machine
            "(n) => { let k = 0; window.map.eachLayer(g => { if (g instanceof L.MarkerClusterGroup) "
            "k += g.getLayers().length; }); return k === n; }", arg=expected, timeout=30_000)  # fmt: skip
        assert count_markers(frame) == expected
        frame.wait_for_function(
            "() => document.querySelectorAll('.leaflet-atlas-countries-pane path').length > 0", timeout=30_000
        )
        click_event(page, frame, [e.id for e in corpus.events if e.place == "khorgos"])
        panel = page.wait_for_selector(".atlas-panel", timeout=30_000)
        assert corpus.event(panel.get_attribute("data-event")).place == "khorgos"
        # the run over and every font in: a late violation (an image, a font) would be reported by now
        page.wait_for_function(SETTLED, timeout=30_000)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "cluster-csp.png"))
        # Every other page, and the map as a school platform embeds it.
        for path in ("timeline", "present", "sources", "upload", "about", "map?embed=true"):
            page.goto(f"{cluster.url}/{path}", wait_until="domcontentloaded")
            # what the page is for, drawn (the first element of a page may be a hidden helper frame)
            page.wait_for_selector(SHOWS[path.split("?")[0]], state="attached", timeout=60_000)
            page.wait_for_function(SETTLED, timeout=60_000)
    finally:
        context.close()
    violations = [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert not violations, violations
