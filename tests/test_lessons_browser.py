"""In headless Chromium: a teacher builds a lesson from the map (Add to lesson, reorder, a note and a
question), presents it, downloads it, and gets it back in a fresh browser from its file; a lesson file
with the teacher's own events brings them back too. Every wait is on what the page shows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from events.lessons import Lesson, Step, open_bundle, plain, write_bundle
from tests.conftest import ARTIFACTS
from tests.test_browser import _STILL, click_event, open_map, settled
from tests.test_lessons import _own_files

pytestmark = pytest.mark.browser

NOTE = "Read the first paragraph aloud <b>slowly</b>."
QUESTION = "Who gained from this crossing?"


def _fresh_page(browser):
    """A page in a new browser context: no cookie, no session, nothing of the first teacher's."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return context, page


def _upload_lesson(page, server, path) -> None:
    page.goto(f"{server.url}/lesson", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid=stFileUploader] input[type=file]", state="attached", timeout=60_000)
    settled(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    page.wait_for_selector("[data-testid=stAlertContentSuccess]", timeout=60_000)
    settled(page)


def _present(page):
    page.get_by_role("button", name="Open in Present").click()
    page.wait_for_selector(".atlas-present .atlas-panel", timeout=60_000)
    settled(page)


def test_a_lesson_is_built_presented_and_restored_from_its_file(page, server, browser, corpus, tmp_path):
    first = "yining-riot-1962"
    frame = open_map(page, f"{server.url}/?event={first}")
    settled(page)
    page.get_by_role("button", name="Add to lesson").click()
    expect(page.get_by_role("button", name="In your lesson: step 1")).to_be_disabled(timeout=30_000)

    # A second event, chosen with the mouse on the map (the same session: the lesson holds the first).
    khorgos = [e.id for e in corpus.events if e.place == "khorgos"]
    page.locator("iframe[title*='st_folium']").scroll_into_view_if_needed()  # the button scrolled the map away
    click_event(page, frame, khorgos)
    page.wait_for_function(
        "(ids) => { const p = document.querySelector('.atlas-panel'); return p && ids.includes(p.dataset.event); }",
        arg=khorgos,
        timeout=30_000,
    )
    frame.wait_for_function(_STILL, timeout=30_000)  # no click of the map's still on its way to the server
    settled(page)
    page.get_by_role("button", name="Add to lesson").click()
    expect(page.get_by_role("button", name="In your lesson: step 2")).to_be_disabled(timeout=30_000)
    second = page.locator(".atlas-panel").get_attribute("data-event")  # drawn in the run that drew the button
    assert second in khorgos

    # The Lesson page: the second event first, a note and a question for it, a title.
    page.get_by_role("link", name=re.compile("Open your lesson")).click()
    expect(page.locator(".st-key-lesson-step-1")).to_contain_text(corpus.event(second).label("en"), timeout=60_000)
    settled(page)
    page.locator(".st-key-up-1 button").click()
    expect(page.locator(".st-key-lesson-step-0")).to_contain_text(corpus.event(second).label("en"), timeout=30_000)
    settled(page)
    for kind, text in (("note", NOTE), ("question", QUESTION)):
        area = page.locator(f".st-key-lesson-{kind}-{second} textarea")
        area.fill(text)
        area.press("Control+Enter")
        settled(page)
    title = page.locator(".st-key-lesson-title input")
    title.fill("Spring 1962")
    title.press("Enter")
    settled(page)
    page.screenshot(path=str(ARTIFACTS / "lesson-built.png"), full_page=True)

    # Presented at once: the reordered first step, with its note (as text, never HTML) and question.
    _present(page)
    expect(page.locator(".atlas-progress")).to_have_text("1 / 2")
    assert page.locator(".atlas-present .atlas-panel").get_attribute("data-event") == second
    notes = page.locator(".atlas-step-notes")
    expect(notes).to_contain_text(NOTE)  # the tags show as typed: escaped
    expect(notes).to_contain_text(QUESTION)
    assert page.locator(".atlas-step-notes b").count() == 0
    page.screenshot(path=str(ARTIFACTS / "lesson-presented.png"))

    # Downloaded as a file that holds the lesson.
    page.get_by_role("link", name="Your lesson", exact=True).click()  # the sidebar is hidden in Present
    page.wait_for_selector(".st-key-lesson-download button", timeout=60_000)
    settled(page)
    with page.expect_download(timeout=60_000) as download:
        page.locator(".st-key-lesson-download button").click()
    assert download.value.suggested_filename == "yita-lesson-spring-1962.zip"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    lesson_bytes, files, problems = open_bundle(path.read_bytes(), path.name)
    assert problems == [] and files == [] and NOTE.encode() in lesson_bytes

    # Next year, another browser: the file brings the lesson back, and it presents as before.
    context, fresh = _fresh_page(browser)
    try:
        _upload_lesson(fresh, server, path)
        expect(fresh.locator("[data-testid=stAlertContentSuccess]")).to_contain_text(
            "“Spring 1962” is back, with 2 steps"
        )
        expect(fresh.locator(".st-key-lesson-step-0")).to_contain_text(corpus.event(second).label("en"))
        expect(fresh.locator(f".st-key-lesson-question-{second} textarea")).to_have_value(QUESTION)
        _present(fresh)
        assert fresh.locator(".atlas-present .atlas-panel").get_attribute("data-event") == second
        expect(fresh.locator(".atlas-step-notes")).to_contain_text(QUESTION)
        fresh.get_by_role("button", name=re.compile("Next")).click()
        expect(fresh.locator(".atlas-progress")).to_have_text("2 / 2", timeout=30_000)
        assert fresh.locator(".atlas-present .atlas-panel").get_attribute("data-event") == first
        assert fresh.errors == []
    finally:
        context.close()
    assert page.outside_requests == [] and page.errors == []


def test_a_lesson_file_with_own_events_brings_them_back(browser, server, tmp_path):
    lesson = Lesson("x", plain("My trucks"), (Step("my-dawn-trucks", question=plain("When did they come?")),))
    path = tmp_path / "yita-lesson-my-trucks.zip"
    path.write_bytes(write_bundle(lesson, _own_files()))
    context, page = _fresh_page(browser)
    try:
        _upload_lesson(page, server, path)
        _present(page)
        panel = page.locator(".atlas-present .atlas-panel")
        assert panel.get_attribute("data-event") == "my-dawn-trucks"
        expect(panel).to_contain_text("The trucks came at dawn")  # the excerpt, from the bundled source text
        expect(page.locator(".atlas-step-notes")).to_contain_text("When did they come?")
        page.screenshot(path=str(ARTIFACTS / "lesson-own-events-presented.png"))
        assert page.errors == []
    finally:
        context.close()


def test_a_link_opens_its_lesson_in_present(page, server):
    from events.lessons import link_value

    lesson = Lesson("x", plain("By link"), (Step("secret-speech-1956", note=plain("From a link")),))
    page.goto(f"{server.url}/present?plan={link_value(lesson)}", wait_until="domcontentloaded")
    page.wait_for_selector(".atlas-present .atlas-panel", timeout=60_000)
    settled(page)
    assert page.locator(".atlas-present .atlas-panel").get_attribute("data-event") == "secret-speech-1956"
    expect(page.locator(".atlas-step-notes")).to_contain_text("From a link")
    expect(page.locator(".atlas-progress")).to_have_text("1 / 1")
    assert page.outside_requests == [] and page.errors == []


def test_a_reload_asks_first_while_the_lesson_is_not_downloaded(page, server, tmp_path):
    """Before a lesson built in the browser is downloaded, leaving the page asks first (the browser's own
    dialog) and staying keeps the lesson; the download ends the asking, and a change after it asks again."""
    open_map(page, f"{server.url}/?event=yining-riot-1962")
    settled(page)
    page.get_by_role("button", name="Add to lesson").click()
    expect(page.get_by_role("button", name="In your lesson: step 1")).to_be_disabled(timeout=30_000)
    page.wait_for_function("() => window.__atlasUnsaved === true", timeout=30_000)
    with page.expect_event("dialog", timeout=30_000) as asked:
        page.close(run_before_unload=True)  # what a reload or closing the tab does first
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()  # "stay on the page"
    expect(page.get_by_role("button", name="In your lesson: step 1")).to_be_visible()  # still here, still held

    page.get_by_role("link", name=re.compile("Open your lesson")).click()
    page.wait_for_selector(".st-key-lesson-download button", timeout=60_000)
    settled(page)
    with page.expect_download(timeout=60_000) as download:
        page.locator(".st-key-lesson-download button").click()
    download.value.save_as(tmp_path / "lesson.zip")
    page.wait_for_function("() => window.__atlasUnsaved === false", timeout=30_000)

    title = page.locator(".st-key-lesson-title input")  # a change after the download: asked again
    title.fill("Spring 1962")
    title.press("Enter")
    page.wait_for_function("() => window.__atlasUnsaved === true", timeout=30_000)
    assert page.errors == []
