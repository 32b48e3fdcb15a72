"""A teacher's sheet in Chromium: the example sheet and its source text uploaded together, a row with a
mistake left out and counted, and a sheet's event opening its quote, found in the text, on the map."""

from __future__ import annotations

import csv
import io

import pytest

from events import sheet
from tests.conftest import ARTIFACTS
from tests.test_browser import click_event, settled

OPEN_MAP_ZH = "打开地图"


def _with_a_mistake(lang: str) -> list[tuple[str, bytes, str]]:
    (name, data), (text_name, text) = sheet.example_files(lang)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    rows.append(["A fourth event", "", "", "Gulj", "", "", "a quote", sheet.EXAMPLE_SOURCE, "flight", ""])
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return [(name, ("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv"), (text_name, text, "text/plain")]


def _metric(page, label: str) -> str:
    return page.locator("[data-testid=stMetric]", has_text=label).locator("[data-testid=stMetricValue]").inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_example_sheet_with_one_bad_row_reaches_the_map(page, server, lang):
    page.goto(f"{server.url}/upload?lang={lang}", wait_until="domcontentloaded")
    page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
    files = _with_a_mistake(lang)
    page.set_input_files("input[type=file]", [{"name": n, "mimeType": m, "buffer": d} for n, d, m in files])
    page.wait_for_selector("[data-testid=stMetric]", timeout=60_000)
    settled(page)
    added, left_out = (
        ("Events added to the map", "Events left out") if lang == "en" else ("已加入地图的事件", "未加入的事件")
    )
    assert (_metric(page, added), _metric(page, left_out)) == ("3", "1")
    assert "Traceback" not in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / f"sheet-upload-{lang}.png"))
    page.get_by_role("link", name="Open the map" if lang == "en" else OPEN_MAP_ZH).click()  # the same session
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    frame.wait_for_function("() => window.atlasShown > 0", timeout=60_000)
    click_event(page, frame, ["counterrevolutionary-riots-in-yining"])
    panel = page.wait_for_selector(".atlas-panel[data-event=counterrevolutionary-riots-in-yining]", timeout=30_000)
    # the quote as the source has it (the sheet broke it over two lines): the text found, not the text typed
    assert "the counterrevolutionary riots that took place in Yining [Gulja] last year" in panel.inner_text()
    page.screenshot(path=str(ARTIFACTS / f"sheet-panel-{lang}.png"))
    assert not page.errors, page.errors
