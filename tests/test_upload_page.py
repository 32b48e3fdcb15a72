"""The Your events page in Chromium, as a teacher uses it: files add up across pages, every problem is
shown whole at any width, the uploader speaks the reader's language, and a server restart says plainly
that uploaded events must be uploaded again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import bench.server
from tests.conftest import ARTIFACTS, ROOT
from tests.test_browser import settled
from tests.test_upload import _mixed, _pair

MAP = "iframe[title*='st_folium']"
LOST = "text=must be uploaded again"
# The event ids on the map: every marker of the clusters, and the selected one kept apart from them.
_MAP_IDS = """() => { const ids = [];
    window.map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) l.getLayers().forEach(m => ids.push(m.feature.properties.id));
                                else if (l.feature && l.feature.properties) ids.push(l.feature.properties.id); });
    return ids; }"""


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
    settled(page)


def _choose(page, *files: tuple[str, bytes]) -> None:
    """Choose files in the uploader and wait until each is listed among the held files."""
    page.set_input_files(
        "input[type=file]", [{"name": n, "mimeType": "application/json", "buffer": d} for n, d in files]
    )
    for name, _data in files:
        page.wait_for_selector(f".atlas-held-file:has-text('{name}')", timeout=60_000)
    settled(page)


def _map_has(page, ids: list[str]) -> None:
    frame = page.wait_for_selector(MAP, timeout=60_000).content_frame()
    frame.wait_for_function("() => window.atlasShown > 0", timeout=60_000)
    frame.wait_for_function(f"(ids) => {{ const on = ({_MAP_IDS})(); return ids.every(i => on.includes(i)); }}",
                            arg=ids, timeout=60_000)  # fmt: skip


def _nav(page, label: str) -> None:
    page.locator("[data-testid=stSidebarNav] a", has_text=label).first.click()


def test_files_uploaded_before_a_visit_to_the_map_stay_when_another_is_added(page, server):
    _open(page, f"{server.url}/upload")
    _choose(page, ("mine.geojson", _mixed()))
    _nav(page, "Map")
    _map_has(page, ["my-first-event", "my-second-event"])
    _nav(page, "Your events")
    page.wait_for_selector(".atlas-held-file:has-text('mine.geojson')", timeout=60_000)  # still held
    _choose(page, ("more.geojson", _pair("my-third-event", "my-fourth-event")))
    assert page.locator(".atlas-held-file").count() == 2
    _nav(page, "Map")
    _map_has(page, ["my-first-event", "my-second-event", "my-third-event", "my-fourth-event"])
    assert not page.errors, page.errors


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_file_nothing_could_be_used_from_is_never_announced_as_added(page, server, lang):
    """Chosen with a good file, a PDF named .csv is held and listed, its problem in the reader's language,
    and the page says nothing of it could be used: only the good file is announced as added."""
    _open(page, f"{server.url}/upload?lang={lang}")
    _choose(page, ("mine.geojson", _mixed()), ("report.csv", b"%PDF-1.4 not a sheet"))
    added = page.locator("[data-testid=stAlertContentSuccess]", has_text="mine.geojson")
    expect(added).to_have_count(1)
    expect(added).not_to_contain_text("report.csv")
    unused = page.locator("[data-testid=stAlertContentError]", has_text="report.csv")
    expect(unused).to_contain_text("中没有可用的内容" if lang == "zh" else "Nothing could be used from report.csv")
    said = "这是 PDF 文档，不是文本文件" if lang == "zh" else "this is a PDF document, not a text file"
    expect(page.locator("table.atlas-problems tr", has_text="report.csv").last).to_contain_text(said)
    assert not page.errors, page.errors


# A cell whose text is wider than the cell (cut or spilling), or a table wider than the page's column.
_CUT = """() => { const out = [];
    for (const t of document.querySelectorAll('table.atlas-problems')) {
        if (t.scrollWidth > t.parentElement.clientWidth + 1) out.push('table ' + t.scrollWidth);
        for (const c of t.querySelectorAll('td')) if (c.scrollWidth > c.clientWidth + 1) out.push(c.textContent);
    }
    return out; }"""


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(390, 844), (1024, 768), (1366, 768), (1920, 1080)])
def test_every_problem_is_shown_whole_at_every_width(page, server, lang, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    _open(page, f"{server.url}/upload?lang={lang}")
    _choose(page, ("mine.geojson", _mixed()))
    page.wait_for_selector("table.atlas-problems", timeout=60_000)
    assert page.locator("table.atlas-problems").count() == 2  # the events left out, and every problem
    assert page.evaluate(_CUT) == []
    assert "not a valid EDTF date" in page.inner_text("table.atlas-problems >> nth=0")
    page.screenshot(path=str(ARTIFACTS / f"upload-page-{lang}-{size[0]}x{size[1]}.png"))
    assert not page.errors, page.errors


_AFTER = "(el) => getComputedStyle(el, '::after').content"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_uploader_says_its_texts_and_our_limits_in_the_readers_language(page, server, lang):
    _open(page, f"{server.url}/upload?lang={lang}")
    zone = "[data-testid=stFileUploaderDropzone]"
    button = page.locator(f"{zone} [data-testid=stBaseButton-secondary] [data-testid=stMarkdownContainer]")
    limits = page.locator("[data-testid=stFileUploaderDropzoneInstructions] > div")
    # Streamlit's own English is not shown; ours is, in the reader's language.
    # Streamlit's own word is hidden from the eye only (a screen reader still names the button by it).
    assert page.locator(f"{zone} [data-testid=stBaseButton-secondary] p").evaluate(
        "e => e.getBoundingClientRect().width <= 1 && getComputedStyle(e).clipPath !== 'none'"
    )
    assert not page.locator("[data-testid=stFileUploaderDropzoneInstructions] span").is_visible()
    expected = {
        "en": ("Choose files", "Up to 20 files, 5 MB each"),
        "zh": ("选择文件", "最多 20 个文件，每个不超过 5 MB"),
    }
    assert expected[lang][0] in button.evaluate(_AFTER) and expected[lang][1] in limits.evaluate(_AFTER)
    # While files are dragged over it, the hint Streamlit shows is ours too.
    page.evaluate(f"""() => {{ const dt = new DataTransfer(); dt.items.add(new File(['x'], 'a.csv'));
        document.querySelector('{zone}').dispatchEvent(new DragEvent('dragenter', {{dataTransfer: dt, bubbles: true}})); }}""")  # fmt: skip
    hint = page.wait_for_selector(f"{zone} > div:not([data-testid]):has(> span:only-child)", timeout=30_000)
    assert ("Drop your files here" if lang == "en" else "把文件拖放到这里") in hint.evaluate(_AFTER)
    assert not page.is_visible(f"{zone} > div:not([data-testid]) > span")  # "Drag and drop files here"
    page.screenshot(path=str(ARTIFACTS / f"upload-uploader-dragging-{lang}.png"))


def test_a_restart_says_uploaded_events_must_be_uploaded_again(page, monkeypatch):
    """The browser reconnects to a restarted server (the same address) on its own: a new, empty session."""
    first = bench.server.Server(ROOT / "app.py", None, agent_api=False, log=ARTIFACTS / "server-restart-1.log")
    try:
        _open(page, f"{first.url}/upload")
        _choose(page, ("mine.geojson", _mixed()))
        page.wait_for_url("**mine=1**", timeout=30_000)
        assert not page.is_visible(LOST)
        # The mark is this browser's: a link copied to share the view does not carry it.
        control = page.frame_locator("[data-testid=stSidebar] iframe")
        control.locator("#copy").click()  # reads the address again, now that it carries the mark
        link = control.locator("#url")
        assert link.input_value(timeout=30_000).startswith(first.url) and "mine" not in link.input_value()
    finally:
        first.stop()
    monkeypatch.setattr(bench.server, "free_port", lambda: first.port)  # the same address again
    second = bench.server.Server(ROOT / "app.py", None, agent_api=False, log=ARTIFACTS / "server-restart-2.log")
    try:
        page.wait_for_selector(LOST, timeout=90_000)  # no reload: the page reconnected by itself
        expect(page.locator(".atlas-held-file")).to_have_count(0)  # the old run's list is gone once the new ends
        _nav(page, "Map")  # on every page, until the reader closes it or uploads again
        page.wait_for_selector(MAP, timeout=60_000)
        page.wait_for_selector(LOST, timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "upload-lost-after-restart.png"))
        page.get_by_role("button", name="Close this notice").click()
        page.wait_for_selector(LOST, state="detached", timeout=30_000)
    finally:
        second.stop()
