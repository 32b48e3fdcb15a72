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


@pytest.mark.parametrize("bad", ["1962-13-45", "1962-02-30", "22 April 1962", "", None, 1962, "1963/1962"])
def test_impossible_dates_are_refused(bad):
    with pytest.raises(DateError) as err:
        parse_when(bad)
    assert "EDTF" in str(err.value) or "before it starts" in str(err.value)
