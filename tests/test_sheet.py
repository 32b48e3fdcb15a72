"""A teacher's sheet (events/sheet.py): dates as people write them, CSV in UTF-8 or GB18030 and Excel .xlsx,
quotes found in the uploaded text, and every problem of every row at once, in the reader's language."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from datafiles.dates import natural_edtf, parse_when
from events import sheet
from events.interchange import write_csv
from events.loader import shipped_corpus
from events.upload import read_upload
from render.html import esc

LETTER = (
    "Dear Anna,\n\n"
    "We left the farm at dawn.\n\n"
    "On 22 April 1962 the crowd at the   port grew;\nthe guards said: “The gate is closed.” "
    "Nobody went home.\n\n"
    "在伊宁，人们说：“苏联领事馆发了证件。”\n"
)
HEAD = ["title", "date", "place", "quote", "source", "category"]


def _csv(rows: list[list[str]], head: list[str] = HEAD, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([head, *rows])
    return out.getvalue().encode(encoding)


def _upload(sheet_bytes: bytes, name: str = "my-sheet.csv", lang: str = "en", letter: bool = True):
    files = [(name, sheet_bytes)] + ([("my-letter.txt", LETTER.encode())] if letter else [])
    return read_upload(files, shipped_corpus(), lang)


GOOD = ["The crowd at the port", "22 April 1962", "Khorgos", "the crowd at the port grew", "my-letter.txt", "flight"]


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "written, edtf",
    [
        ("1962", "1962"),
        ("1962-04", "1962-04"),
        ("1962-04-22", "1962-04-22"),
        ("22 April 1962", "1962-04-22"),
        ("April 1962", "1962-04"),
        ("April 22, 1962", "1962-04-22"),
        ("22nd Apr. 1962", "1962-04-22"),
        ("1962/4/22", "1962-04-22"),
        ("1962年4月22日", "1962-04-22"),
        ("1962年4月", "1962-04"),
        ("1962年", "1962"),
        ("about 1962", "1962~"),
        ("c. 1962", "1962~"),
        ("circa April 1962", "1962-04~"),
        ("约1962年", "1962~"),
        ("1962年前后", "1962~"),
        ("1962-1963", "1962/1963"),
        ("1962–1963", "1962/1963"),
        ("1962 to 1963", "1962/1963"),
        ("1962年至1963年", "1962/1963"),
        ("April 1962 – June 1962", "1962-04/1962-06"),
        ("1962/1963", "1962/1963"),
        ("1962~", "1962~"),
        ("196X", "196X"),
        ("1962-04/1962-06", "1962-04/1962-06"),
    ],
)
def test_each_written_date_becomes_the_edtf_the_atlas_reads(written, edtf):
    assert natural_edtf(written) == edtf
    parse_when(edtf)  # and the atlas's own grammar reads it


@pytest.mark.parametrize("written", ["spring 1962", "the sixties", "22/04/62", "", "April"])
def test_what_is_not_a_date_is_none(written):
    assert natural_edtf(written) is None


def test_a_date_that_cannot_be_read_says_which_forms_can():
    upload = _upload(_csv([[GOOD[0], "spring 1962", *GOOD[2:]], [GOOD[0], "31 April 1962", *GOOD[2:]]]))
    unreadable, impossible = (p for p in upload.problems if p.field == "date")
    assert "'spring 1962' is not a date the atlas can read" in unreadable.message
    assert "22 April 1962" in unreadable.example and "1962年4月22日" in unreadable.example
    assert "not a day of the calendar" in impossible.message
    assert "EDTF" not in unreadable.message + impossible.message


# ---------------------------------------------------------------- encodings and formats


def test_utf8_with_and_without_a_byte_order_mark():
    plain = _csv([GOOD])
    for data in (plain, b"\xef\xbb\xbf" + plain):
        upload = _upload(data)
        assert upload.added == 1 and not upload.errors, upload.problems


def test_gb18030_as_chinese_excel_writes_it():
    head = ["标题", "日期", "地点", "引文", "来源", "类别", "备注"]
    row = [
        "伊宁的传言",
        "1962年4月",
        "伊宁",
        "在伊宁，人们说：“苏联领事馆发了证件。”",
        "my-letter.txt",
        "边民外逃",
        "据信件",
    ]
    data = _csv([row], head, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    upload = _upload(data, lang="zh")
    assert not upload.errors, upload.problems
    (event,) = upload.events
    assert event.title == {"en": "伊宁的传言", "zh": "伊宁的传言"} and event.summary["zh"] == "据信件"
    assert (event.when.edtf, event.place, event.category) == ("1962-04", "yining", "flight")
    assert event.excerpts[0].paragraph == 4 and event.excerpts[0].verified


def test_semicolons_as_some_excels_write_them():
    data = _csv([GOOD]).replace(b",", b";")
    assert _upload(data).added == 1


def test_headings_in_either_language_in_any_case_and_spacing():
    head = [" Title / 标题 ", "DATE", "地点（必填）", "Quote", "source", "Category"]
    assert [sheet.heading_key(h) for h in head] == ["title", "date", "place", "quote", "source", "category"]
    assert _upload(_csv([GOOD], head)).added == 1


def test_the_export_csv_still_goes_the_old_way():
    out = io.StringIO()
    write_csv(shipped_corpus(), out)
    data = out.getvalue().encode()
    assert not sheet.is_sheet("export.csv", data)
    assert sheet.is_sheet("mine.csv", _csv([GOOD])) and sheet.is_sheet("mine.xlsx", b"")


def _filled_template(lang: str) -> bytes:
    book = load_workbook(io.BytesIO(sheet.template_xlsx(lang)))
    ws = book.active
    ws.append(["Crowds at the port", None, dt.datetime(1962, 4, 22), "Gulja", None, None,
               "the crowd at the port grew", "my-letter.txt", "Flight across the border", "from a letter"])  # fmt: skip
    ws.append(["A month", None, dt.datetime(1962, 4, 1), "Khorgos", None, None, "Nobody went home.",
               "my-letter.txt", "flight", None])  # fmt: skip
    ws.cell(row=4, column=3).number_format = "mmmm yyyy"  # typed as 'April 1962': Excel keeps a date
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_xlsx_template_filled_in_reads_back(lang):
    upload = _upload(_filled_template(lang), "my-sheet.xlsx", lang)
    assert not upload.errors, upload.problems
    assert upload.rows_read == 2 and upload.added == 2  # the hint row is not read
    first, second = upload.events
    assert (first.when.edtf, first.place, first.summary["en"]) == ("1962-04-22", "yining", "from a letter")
    assert second.when.edtf == "1962-04"  # the cell's format shows the month: no day is made up


def test_the_templates_have_both_languages_headings_and_hints():
    text = sheet.template_csv("en").decode("utf-8")
    assert text.startswith("\ufeff")
    head, hints = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert head[0] == "title / 标题" and "日期" in head[2] and hints[0].startswith("#")
    zh_head = next(csv.reader(io.StringIO(sheet.template_csv("zh").decode("utf-8-sig"))))
    assert zh_head[0] == "标题 / title"
    assert [sheet.heading_key(h) for h in head] == list(sheet.KEYS) == [sheet.heading_key(h) for h in zh_head]
    ws = load_workbook(io.BytesIO(sheet.template_xlsx("zh"))).active
    assert ws["A1"].value == "标题 / title" and ws["A1"].comment is not None
    # a template with nothing filled in: no events, no errors
    upload = _upload(sheet.template_csv("en"), letter=False)
    assert upload.rows_read == 0 and not upload.errors


def test_a_formula_whose_value_was_never_saved_is_named():
    book = Workbook()
    book.active.append(HEAD)
    book.active.append([GOOD[0], '=TEXT(1962,"0")', *GOOD[2:]])  # openpyxl saves no calculated value
    out = io.BytesIO()
    book.save(out)
    upload = _upload(out.getvalue(), "formula.xlsx")
    (problem,) = upload.errors
    assert (problem.line, problem.field) == (2, "date") and "formula" in problem.message


@pytest.mark.parametrize("data", [b"not a zip at all", b"PK\x03\x04broken", b""])
def test_a_broken_xlsx_is_a_plain_message(data):
    upload = _upload(data, "broken.xlsx")
    assert upload.errors and upload.added == 0
    assert "xlsx" in upload.errors[0].message.lower() or "excel" in upload.errors[0].message.lower()


# ---------------------------------------------------------------- quotes


def test_a_quote_is_found_across_whitespace_quotation_marks_and_full_width_punctuation():
    typed = 'the guards said: "The gate is closed."   Nobody went home.'
    start, end = sheet.locate_quote(typed, LETTER)
    assert LETTER[start:end] == "the guards said: “The gate is closed.” Nobody went home."
    assert sheet.paragraph_of(LETTER, start) == 3
    chinese = '在伊宁,人们说:"苏联领事馆发了证件."'  # half-width for full-width, straight quotes for curly
    start, end = sheet.locate_quote(chinese, LETTER)
    assert LETTER[start:end] == "在伊宁，人们说：“苏联领事馆发了证件。”"
    assert sheet.paragraph_of(LETTER, start) == 4


def test_a_found_quote_stores_the_source_verbatim_and_where_it_stands():
    row = [*GOOD[:3], "the crowd at the port grew; the guards said", *GOOD[4:]]
    upload = _upload(_csv([row]))
    (event,) = upload.events
    ex = event.excerpts[0]
    source = upload.sources["my-letter"]
    assert ex.text == "the crowd at the   port grew;\nthe guards said" == source.text[ex.start : ex.end]
    assert ex.verified and ex.paragraph == 3 and not ex.unchecked
    assert sheet.locator(ex, source, "en") == "found in my-letter.txt, paragraph 3"
    assert sheet.locator(ex, source, "zh") == "见于 my-letter.txt 第 3 段"
    # The reader sees it so: the panel's citation says where the quote was found, not characters.
    html = _panel(event, upload, "en")
    assert "found in my-letter.txt, paragraph 3" in html and "characters" not in html


def _panel(event, upload, lang: str) -> str:
    from i18n import translator
    from render.panel import event_panel

    sources = {**shipped_corpus().sources, **upload.sources}
    return event_panel(event, sources, event.place, "-", lang, translator(lang), shipped_corpus().bibliography)


def test_a_quote_without_the_sources_quotation_marks_is_found_and_stored_with_them():
    """A teacher copies "the guards said: The gate is closed." without the source's marks: found, and the
    stored passage is the source's, marks and all, where they fall inside it."""
    start, end = sheet.locate_quote("the guards said: The gate is closed. Nobody", LETTER)
    assert LETTER[start:end] == "the guards said: “The gate is closed.” Nobody"
    start, end = sheet.locate_quote('"The gate is closed."', LETTER)  # the quote's own marks: kept
    assert LETTER[start:end] == "“The gate is closed.”"
    start, end = sheet.locate_quote("The gate is closed.", LETTER)  # none: the passage without them
    assert LETTER[start:end] == "The gate is closed."


def test_paragraphs_are_lines_when_the_text_has_no_blank_lines():
    text = "first line\nsecond line\nthird line\n"
    assert sheet.paragraph_of(text, text.index("third")) == 3


def test_a_quote_not_found_shows_the_nearest_passage():
    row = [*GOOD[:3], "the crowd at the harbour grew", *GOOD[4:]]
    upload = _upload(_csv([row]))
    (problem,) = upload.errors
    assert (problem.line, problem.field) == (2, "quote")
    assert "the quote is not in my-letter.txt; did you mean: 'On 22 April 1962 the crowd at the port grew;" in (
        problem.message
    )
    assert sheet.nearest_passage("something else entirely, about tractors", LETTER) is None


def test_a_cited_source_without_its_text_keeps_the_event_marked_not_checked():
    row = [*GOOD[:4], "Letter from A. & B., 1962, private collection", "flight"]
    upload = _upload(_csv([row]), letter=False)
    (event,) = upload.events
    ex = event.excerpts[0]
    assert ex.unchecked and not ex.verified and ex.paragraph is None
    assert upload.sources[ex.source].title == "Letter from A. & B., 1962, private collection"
    assert sheet.locator(ex, upload.sources[ex.source]) == "quote not checked against a source"
    for lang, said in (("en", "quote not checked against a source"), ("zh", "引文未与来源核对")):
        html = _panel(event, upload, lang)
        assert "Letter from A. &amp; B., 1962, private collection" in html and said in html, lang
        assert "characters" not in html and "字符" not in html and "unverified" not in html
    # its support says the same, not that no document supports it (a teacher's own work is not judged)
    assert event.support.unchecked == 1 and event.support.supporting == ()
    for lang, said in (("en", "not checked: quoted only from a work whose text is not in these sources"),
                       ("zh", "未经核对：仅引自本语料以外的著作")):  # fmt: skip
        html = _panel(event, upload, lang)
        assert said in html and "no document in these sources" not in html and "没有文献支持" not in html, lang
    (note,) = upload.problems
    assert note.severity == "unverified" and note.field == "source" and "not checked" in note.message
    assert upload.rejected() == []


def test_a_named_text_file_that_was_not_uploaded_is_said():
    upload = _upload(_csv([GOOD]), letter=False)
    assert upload.added == 1 and upload.events[0].excerpts[0].unchecked
    assert "no text file named my-letter.txt was uploaded" in upload.problems[0].message


_TEXT = st.text(st.sampled_from("ab “”\"'，,。.：: \n\u3000\u00a0伊宁—-ｆ…"), max_size=40)


@given(_TEXT)
def test_the_normaliser_maps_every_character_back_to_its_origin(text):
    normal, origin = sheet.normalise(text)
    assert len(normal) == len(origin)
    assert origin == sorted(origin) and all(0 <= i < len(text) for i in origin)
    assert not any(c.isspace() for c in normal)


@given(_TEXT, st.data())
def test_any_slice_of_a_text_is_found_where_it_stands(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = text[start:end]
    span = sheet.locate_quote(quote, text)
    if not sheet.normalise(quote)[0]:
        assert span is None
        return
    a, b = span
    assert sheet.normalise(text[a:b])[0] == sheet.normalise(quote)[0]


# ---------------------------------------------------------------- every problem at once


MISTAKES = [
    GOOD,  # row 2: fine
    [GOOD[0], "sometime", *GOOD[2:]],  # row 3: a date not read
    [GOOD[0], GOOD[1], "Gulj", *GOOD[3:]],  # row 4: an unknown place
    ["", *GOOD[1:]],  # row 5: no title
    [*GOOD[:5], "massacre"],  # row 6: an unknown category
    [*GOOD[:3], "the port was on fire", *GOOD[4:]],  # row 7: a quote not in the text
    ["Two at once", "1962-13", "Atlantis", *GOOD[3:5], ""],  # row 8: three mistakes in one row
]


def test_every_problem_of_every_row_at_once_with_row_and_column():
    upload = _upload(_csv(MISTAKES))
    where = {(p.line, p.field) for p in upload.errors}
    assert where == {(3, "date"), (4, "place"), (5, "title"), (6, "category"), (7, "quote"),
                     (8, "date"), (8, "place"), (8, "category")}  # fmt: skip
    assert upload.rows_read == 7 == upload.added + upload.left_out
    assert upload.added == 1 and [p.line for p in upload.rejected()] == [3, 4, 5, 6, 7, 8]
    by_row = {p.line: p for p in upload.errors}
    assert "did you mean Yining (Gulja)" in by_row[4].message
    assert "Flight across the border" in by_row[6].fix and "massacre" in by_row[6].what
    assert all(p.what and p.fix for p in upload.errors if p.line != 7)


def test_swapped_and_out_of_range_coordinates_say_so_plainly():
    head = ["title", "date", "place", "lat", "lon", "quote", "source", "category"]
    rows = [
        ["Swapped", "1962", "", "81.33", "43.91", *GOOD[3:]],  # lat and lon swapped, both in range
        ["Out of range", "1962", "", "181", "43.9", *GOOD[3:]],
        ["Half", "1962", "", "43.9", "", *GOOD[3:]],
        ["Own point", "1962", "Our village", "43.91", "81.33", *GOOD[3:]],
    ]
    upload = _upload(_csv(rows, head))
    swapped, out_of_range, half = upload.errors
    assert swapped.field == "lat" and "did you swap lat and lon" in swapped.message
    assert "lat must be between -90 and 90" in out_of_range.message and "swap" in out_of_range.message
    assert half.field == "lon" and "lon is missing" in half.message
    (event,) = upload.events
    assert upload.places[event.place].label("en") == "Our village" and (event.lat, event.lon) == (43.91, 81.33)
    assert "GeoJSON" not in " ".join(p.message for p in upload.problems)


def test_the_problems_are_in_chinese_when_the_interface_is():
    upload = _upload(_csv(MISTAKES), lang="zh")
    messages = {p.line: p.message for p in upload.errors}
    assert "“sometime”不是本图集能读懂的日期" in messages[3]
    assert "你是不是指伊宁" in messages[4] and "缺少标题" in messages[5]
    assert "边民外逃" in messages[6] and "my-letter.txt 中没有这段引文" in messages[7]


def test_a_heading_row_without_the_columns_says_which_are_missing():
    upload = _upload(_csv([["a", "b"]], ["Name", "Year"]))
    (problem,) = upload.errors
    assert problem.line == 1 and "title, date, place, quote, source, category" in problem.message


def test_ids_come_from_titles_and_are_unique():
    rows = [GOOD, GOOD, ["伊宁的传言", *GOOD[1:]]]
    ids = [e.id for e in _upload(_csv(rows)).events]
    assert ids == ["the-crowd-at-the-port", "the-crowd-at-the-port-2", "yiningdechuanyan"]  # pinyin for Chinese


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_example_files_upload_without_a_problem(lang):
    files = sheet.example_files(lang)
    assert [name for name, _ in files][-1] == sheet.EXAMPLE_SOURCE
    text = files[-1][1].decode("utf-8")
    assert text in (shipped_corpus().sources["fm-circular-74"].text)  # a real passage, verbatim
    upload = read_upload(files, shipped_corpus(), lang)
    assert not upload.problems and upload.added == upload.rows_read == 3
    assert all(e.excerpts[0].verified and e.excerpts[0].paragraph for e in upload.events)


def test_a_zip_that_is_not_a_workbook_and_a_cell_too_long_for_csv_are_plain_messages():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    upload = _upload(out.getvalue(), "zip.xlsx")
    assert (
        upload.errors
        and "open it in Excel and save it again" in upload.errors[0].message
        and "Error" not in upload.errors[0].message
    )
    assert "无法读取这个 Excel 文件" in _upload(out.getvalue(), "zip.xlsx", "zh").errors[0].message
    upload = _upload(_csv([[GOOD[0], GOOD[1], GOOD[2], "x" * 200_000, *GOOD[4:]]]))
    assert upload.errors and upload.added == 0 and upload.rows_read == 0


@pytest.mark.parametrize(
    "name, data, zh",
    [
        ("zip.xlsx", b"PK\x03\x04 not a workbook", "不是 Excel .xlsx 文件"),
        ("old.xlsx", b"\xd0\xcf\x11\xe0 an old .xls", "不是 Excel .xlsx 文件"),
        ("empty.csv", b"  \n", "文件是空的"),
        ("report.csv", b"%PDF-1.4 ...", "这是 PDF 文档"),
        ("latin1.csv", "title,date\nCaf\u00e9\xff".encode("latin-1") + b"\x81\x30\xff", "不是 UTF-8"),
        ("bell.csv", b"title,date\nbell\x07,1962\n", "控制字符 0x07"),
        ("my-letter.txt", b"", "文件是空的"),  # a source text, not a sheet
    ],
)
def test_a_file_that_cannot_be_read_at_all_is_said_in_the_readers_language(name, data, zh):
    """What is wrong with a whole file (not a row) reaches the reader in Chinese too, naming the file."""
    files = [(name, data)]
    english = read_upload(files, shipped_corpus(), "en").errors
    chinese = read_upload(files, shipped_corpus(), "zh").errors
    assert len(chinese) == len(english) == 1 and chinese[0].path == name
    assert zh in chinese[0].message, chinese[0].message
    assert not re.search(r"[A-Za-z]{5,}", re.sub(r"Excel|UTF|GB18030|CSV|xlsx|NUL", "", chinese[0].message))
    assert english[0].message != chinese[0].message and not re.search(r"[\u4e00-\u9fff]", english[0].message)


def test_the_nearest_passage_is_suggested_for_a_misquote_and_not_for_another_sources_words(corpus):
    """Measured on the corpus's own excerpts: each with one word changed and one dropped, looked for in its
    source, is suggested a passage; each looked for in another source is not (letters alone made passages
    about other things look alike: 24 of 195 were suggested one)."""
    texts = {sid: s.text for sid, s in corpus.sources.items() if s.available}
    excerpts = [x for e in corpus.events for x in e.excerpts if x.source in texts]
    others = sorted(texts)
    missed, wrong = [], []
    for n, x in enumerate(excerpts):
        words = x.text.split()
        if len(words) > 6:
            words[n % len(words)] = "zzz"
            del words[(3 * n + 1) % len(words)]
            misquote = " ".join(words)
        else:  # a Chinese excerpt: one character changed
            misquote = x.text[: len(x.text) // 2] + "某" + x.text[len(x.text) // 2 + 1 :]
        if sheet.nearest_passage(misquote, texts[x.source]) is None:
            missed.append(misquote)
        other = next(s for s in others[n % len(others) :] + others if s != x.source)
        if sheet.nearest_passage(x.text, texts[other]) is not None:
            wrong.append((x.text, other))
    assert len(excerpts) > 100
    assert len(missed) <= len(excerpts) // 50, missed
    assert len(wrong) <= len(excerpts) // 100, wrong


def test_the_example_gives_no_more_date_or_place_than_its_quotes_support(corpus):
    """The example teaches the habit: a day only where the quote has one, a town only where it names one;
    otherwise the year and the region, with a note saying how the quote was read."""
    upload = read_upload(sheet.example_files("en"), corpus, "en")
    assert upload.problems == () or list(upload.problems) == []
    for event in upload.events:
        quote = event.excerpts[0].text
        if event.when.precision == "day":
            assert str(event.when.start.day) in quote, event.id
        place = corpus.places.get(event.place) or upload.places.get(event.place)
        if not event.area:
            assert any(name.split(" (")[0] in quote for name in place.all_names()) or event.summary, event.id


@pytest.mark.parametrize(
    "written, lang, said",
    [
        ("unrest", "en", "did you mean Uprisings and unrest?"),
        ("diplomatic", "en", "did you mean Diplomacy?"),
        ("外逃", "zh", "你是不是想写“边民外逃”？"),
        ("兵团农场", "zh", "你是不是想写“生产建设兵团”？"),
    ],
)
def test_a_category_nearly_right_is_suggested_the_one_it_means(written, lang, said):
    upload = _upload(_csv([[*GOOD[:5], written]]), lang=lang)
    (problem,) = [p for p in upload.problems if p.field == "category"]
    assert said in problem.message
    # a word like no category gets the list alone, never a first category offered as if it were near
    upload = _upload(_csv([[*GOOD[:5], "tractors"]]), lang=lang)
    (problem,) = [p for p in upload.problems if p.field == "category"]
    assert "did you mean" not in problem.message and "是不是" not in problem.message
    assert "example" not in problem.message and "例如" not in problem.message


def test_an_event_with_one_title_shows_it_once_in_either_language():
    (event,) = _upload(_csv([GOOD])).events
    for lang in ("en", "zh"):
        html = _panel(event, _upload(_csv([GOOD])), lang)
        assert html.count(esc(GOOD[0])) == 1 and "atlas-subtitle" not in html, lang
