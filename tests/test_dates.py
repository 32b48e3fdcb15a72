"""Dates carry their precision; impossible dates are refused with a clear message."""

import datetime as dt

import pytest

from datafiles.dates import DateError, parse_when


@pytest.mark.parametrize(
    "text, start, end, precision, en, zh",
    [
        ("1962-04-22", dt.date(1962, 4, 22), dt.date(1962, 4, 22), "day", "22 April 1962", "1962年4月22日"),
        ("1962-04", dt.date(1962, 4, 1), dt.date(1962, 4, 30), "month", "April 1962", "1962年4月"),
        ("1962", dt.date(1962, 1, 1), dt.date(1962, 12, 31), "year", "1962", "1962年"),
        ("1962~", dt.date(1962, 1, 1), dt.date(1962, 12, 31), "year", "c. 1962", "约1962年"),
        (
            "1962-04/1963-10",
            dt.date(1962, 4, 1),
            dt.date(1963, 10, 31),
            "interval",
            "April 1962 – October 1963",
            "1962年4月至1963年10月",
        ),
        ("196X", dt.date(1960, 1, 1), dt.date(1969, 12, 31), "decade", "the 1960s", "1960年代"),
        # "afterwards", no end given: shown as such, filtered over the edtf library's ten years
        (
            "1962/",
            dt.date(1962, 1, 1),
            dt.date(1972, 12, 31),
            "interval",
            "from 1962 (end not given)",
            "1962年以后（止期不详）",
        ),
    ],
)
def test_edtf_dates(text, start, end, precision, en, zh):
    when = parse_when(text)
    assert (when.start, when.end, when.precision) == (start, end, precision)
    assert when.label("en") == en and when.label("zh") == zh


@pytest.mark.parametrize(
    "bad", ["1962-13-45", "1962-02-30", "22 April 1962", "", None, 1962, "1963/1962", "١٩٦٢", "１９６２-04-22"]
)  # EDTF digits are ASCII
def test_impossible_dates_are_refused(bad):
    with pytest.raises(DateError) as err:
        parse_when(bad)
    assert "EDTF" in str(err.value) or "before it starts" in str(err.value)


# ---------------------------------------------------------------- one grammar (issue 15)
# EDTF forms the edtf library parses but the atlas cannot show faithfully (a time of day, a season, a set,
# significant digits, a qualifier on one part): each is refused everywhere with a message saying what to
# write instead, never accepted by the checker and then crashing a page.


@pytest.mark.parametrize(
    "text, words",
    [
        ("1962-04-22T10:00:00", "time of day"),
        ("1962-04-22T10:00:00Z", "time of day"),
        ("1962-21", "season"),
        ("1962-24", "season"),
        ("{1962,1963}", "set of dates"),
        ("[1962,1963]", "set of dates"),
        ("1962S2", "significant digits"),
        ("?1962-04-22", "at the end"),
        ("1962?-04", "at the end"),
        ("1962-04?-22", "at the end"),
        ("%1962", "at the end"),
        ("/1962", "needs its start"),
        ("../1962", "needs its start"),
        ("1962-04-22/..", "leave the end empty"),
        ("1962-XX", "unspecified"),
        ("1962-XX-22", "unspecified"),
        ("19XX", "unspecified"),
        ("1XXX", "unspecified"),
        ("1600", "between 1678 and 2200"),
        ("9999", "between 1678 and 2200"),
        ("1962-13", "not a valid EDTF date"),
        ("1962-02-29", "not a valid EDTF date"),
        ("1962~/1961", "before it starts"),
    ],
)
def test_edtf_the_atlas_cannot_show_is_refused_saying_what_to_write(text, words):
    with pytest.raises(DateError) as err:
        parse_when(text)
    assert words in str(err.value) and repr(text) in str(err.value)


@pytest.mark.parametrize(
    "text, en",
    [
        ("1962-04-22?", "22 April 1962 (uncertain)"),
        ("1962-04~", "c. April 1962"),
        ("1962%", "c. 1962 (uncertain)"),
        ("196X~", "c. the 1960s"),
        ("1962~/1963?", "c. 1962 – 1963 (uncertain)"),
        ("196X/198X", "the 1960s – the 1980s"),
        ("1962-04-22/", "from 22 April 1962 (end not given)"),
        ("1678", "1678"),
        ("2200/", "from 2200 (end not given)"),
    ],
)
def test_every_accepted_form_renders(text, en):
    when = parse_when(text)
    assert when.label("en") == en and when.label("zh")


def test_parsing_is_memoised():
    """Loading parses the same few dates thousands of times; each distinct string is parsed once."""
    assert parse_when("1962-04-22") is parse_when(" 1962-04-22 ")
