"""Shared fixtures: paths, the shipped corpus, a running atlas server and a headless Chromium; the
`browser` and `ops` markers (`./test fast` runs the tests that carry neither)."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Tests that use one of these fixtures are marked by it (as well as by hand, where a test starts its own).
BROWSER_FIXTURES = {"browser", "page"}  # drives headless Chromium
OPS_FIXTURES = {"server", "cluster"}  # starts atlas servers or nginx


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items):
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        elif used & OPS_FIXTURES:
            item.add_marker(pytest.mark.ops)


@pytest.fixture(autouse=True)
def _servers_only_in_marked_tests(request, monkeypatch):
    """A test that starts an atlas server (bench.server.Server: the benchmark, the load test, nginx's
    backends) must be marked `ops` or `browser`, or `./test fast` would start servers: it fails here."""
    if request.node.get_closest_marker("ops") or request.node.get_closest_marker("browser"):
        return
    from bench.server import Server

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"{request.node.nodeid} starts a server: mark it @pytest.mark.ops")

    monkeypatch.setattr(Server, "__init__", refuse)


@pytest.fixture
def deadline():
    """Nothing read may hang a test (a hostile file, a device, a FIFO): fail after 30 s. A module that reads such
    things uses it for every test: `pytestmark = pytest.mark.usefixtures("deadline")`."""

    def hung(signum, frame):
        raise TimeoutError("reading took more than 30 s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="session")
def corpus():
    from events.loader import shipped_corpus

    return shipped_corpus()


@pytest.fixture(scope="session")
def places():
    """The shipped gazetteer's places, read without a problem."""
    from geo.gazetteer import GAZETTEER, load_places

    found, problems = load_places(GAZETTEER)
    assert problems == []
    return found


@pytest.fixture(scope="session")
def server():
    """The atlas as a reader meets it: `streamlit run app.py` with the shipped config (agent API off)."""
    from bench.server import Server, free_port

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    s = Server(ROOT / "app.py", None, agent_api=False, log=ARTIFACTS / f"server-{free_port()}.log")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run ./test, which installs it (browser tests never skip)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    """A page whose every request is checked: anything not on this machine is blocked and recorded."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, device_scale_factor=1)
    page = context.new_page()
    page.outside_requests = []
    page.errors = []

    def guard(route):
        host = route.request.url.split("/")[2].split(":")[0] if "://" in route.request.url else ""
        if route.request.url.startswith(("data:", "blob:", "about:", "file:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            page.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()
