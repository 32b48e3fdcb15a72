"""Historical dates as EDTF strings (Library of Congress Extended Date/Time Format): the one grammar that
the checker, the loader, the upload page and every page's display share.

The atlas reads this part of EDTF, all of it valid EDTF (levels 0 and 1):

    DATE      YYYY | YYYY-MM | YYYY-MM-DD | YYYX (a decade)
    POINT     DATE, optionally followed by one qualifier for the whole date: ~ approximate, ? uncertain, % both
    WHEN      POINT | POINT/POINT | POINT/ (from POINT, end not given)

with years from MIN_YEAR to MAX_YEAR (the years a timeline can draw). Other EDTF (a time of day, seasons
21-24, sets {..} and [..], significant digits S, qualifiers on one part, unspecified months or days XX,
centuries XX, open ends ..) is refused with a message saying what to write instead: nothing the checker
passes can fail to show on a page.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

# The years a date may name: every page can draw them (pandas' Timestamp, behind the timeline and the
# list, reaches from 1677-09-21 to 2262-04-11; an end not given reaches UNKNOWN_END_YEARS further).
MIN_YEAR = 1678
MAX_YEAR = 2200


@dataclass(frozen=True)
class When:
    """A date or span as the sources give it, with its precision kept."""

    edtf: str
    start: dt.date  # earliest day it can mean
    end: dt.date  # latest day it can mean
    precision: str  # day | month | year | decade | interval
    approximate: bool
    uncertain: bool

    def label(self, lang: str = "en") -> str:
        """A reader's rendering that never claims more precision than the source gives."""
        return format_when(self, lang)


class DateError(ValueError):
    """A date that is not valid EDTF, or not one the atlas can place on a time axis."""


# An interval whose end the sources do not give ('1962/', EDTF's unknown end: "afterwards") is shown
# and filtered as reaching this many years past its start: the edtf library's own reading of an unknown
# end. The reader's label says the end is not given; nothing is drawn as a known end.
UNKNOWN_END_YEARS = 10

_POINT = re.compile(
    r"(?P<y>[0-9]{3}[0-9X])(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?(?P<q>[~?%]?)"
)  # ASCII digits only: EDTF
_FORMS = (
    "write YYYY, YYYY-MM or YYYY-MM-DD, a decade YYYX, each optionally followed by ~ (approximate), "
    "? (uncertain) or % (both), or an interval START/END whose END may be left empty (end not given)"
)
# Valid EDTF that the atlas does not show, each with what to write instead: (pattern, why).
_UNSUPPORTED = (
    (
        re.compile(r"\d(T|t)\d"),
        "gives a time of day; the atlas dates events to the day: write the day alone, e.g. '1962-04-22'",
    ),  # fmt: skip
    (
        re.compile(r"[{}\[\]]"),
        "is a set of dates; the atlas shows one date or one span: give an interval ('1962/1963') or one event per date",
    ),  # fmt: skip
    (re.compile(r"\dS\d"), "uses significant digits (S); write the year ('1962') or a decade ('196X')"),
    (re.compile(r"\.\.$"), "has an open end (..); leave the end empty for an end not given ('1962/')"),
    (re.compile(r"^(\.\.)?/"), "needs its start; only the end may be left open ('1962/')"),
    (
        re.compile(r"[~?%](?!$|/)|(^|/)[~?%]"),
        "has a qualifier on one part; the atlas reads one qualifier for the whole date, at the end: e.g. '1962-04-22?'",
    ),  # fmt: skip
    (
        re.compile(r"^\d{4}-(2[1-9]|3\d|4[01])([~?%]|$|/)|/\d{4}-(2[1-9]|3\d|4[01])([~?%]|$)"),
        "is an EDTF season or part of a year (21-41), which the atlas cannot place on its time axis: give the "
        "months, e.g. '1962-03/1962-05'",
    ),  # fmt: skip
    (
        re.compile(r"X.*X|-X|X-|XX"),
        "has unspecified digits other than a decade's last (YYYX); write the year or the decade ('196X')",
    ),  # fmt: skip
)


def _point(text: str, whole: str) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, precision) of one POINT, or DateError."""
    m = _POINT.fullmatch(text)
    if not m:
        for pattern, why in _UNSUPPORTED:
            if pattern.search(whole):
                raise DateError(f"{whole!r} {why}")
        raise DateError(f"{whole!r} is not a valid EDTF date the atlas reads: {_FORMS}")
    year_text, month, day = m.group("y"), m.group("m"), m.group("d")
    if year_text.endswith("X"):
        if month:
            raise DateError(f"{whole!r} has unspecified digits other than a decade's last (YYYX)")
        first, last, precision = int(year_text[:3] + "0"), int(year_text[:3] + "9"), "decade"
    else:
        first = last = int(year_text)
        precision = "day" if day else "month" if month else "year"
    if first < MIN_YEAR or last > MAX_YEAR:
        raise DateError(f"{whole!r} is outside the years the atlas shows: between {MIN_YEAR} and {MAX_YEAR}")
    if month is None:
        return dt.date(first, 1, 1), dt.date(last, 12, 31), precision
    if not 1 <= int(month) <= 12:
        for pattern, why in _UNSUPPORTED:
            if pattern.search(whole):
                raise DateError(f"{whole!r} {why}")
        raise DateError(f"{whole!r} is not a valid EDTF date: there is no month {month}")
    month_days = calendar.monthrange(first, int(month))[1]
    if day is None:
        return dt.date(first, int(month), 1), dt.date(first, int(month), month_days), precision
    if not 1 <= int(day) <= month_days:
        raise DateError(f"{whole!r} is not a valid EDTF date: {calendar.month_name[int(month)]} {first} "
                        f"has {month_days} days")  # fmt: skip
    day_date = dt.date(first, int(month), int(day))
    return day_date, day_date, precision


def parse_when(text: object) -> When:
    """Parse an EDTF string such as '1962-04-22', '1962-04', '1962~', '196X', '1962-04/1962-06' or '1962/'
    (from 1962, end not given); refuse, with what to write instead, anything the atlas cannot show.

    Memoised: a corpus repeats the same few dates thousands of times (When is frozen)."""
    if not isinstance(text, str) or not text.strip():
        raise DateError(f"expected an EDTF date string such as '1962-04-22', got {text!r}")
    return _parse(text.strip())


@lru_cache(maxsize=65_536)
def _parse(text: str) -> When:
    if len(text) > 40:
        raise DateError(f"{text[:40]!r}… is not a valid EDTF date: {_FORMS}")
    head, slash, tail = text.partition("/")
    if slash and "/" in tail:
        raise DateError(f"{text!r} is not a valid EDTF date: an interval has one '/'")
    start, first_end, precision = _point(head, text)
    if slash and tail:
        _, end, _ = _point(tail, text)
        precision = "interval"
    elif slash:
        end, precision = dt.date(start.year + UNKNOWN_END_YEARS, 12, 31), "interval"
    else:
        end = first_end
    if end < start:
        raise DateError(f"{text!r} ends before it starts")
    return When(
        edtf=text,
        start=start,
        end=end,
        precision=precision,
        approximate="~" in text or "%" in text,
        uncertain="?" in text or "%" in text,
    )


_MONTHS_EN = ("January February March April May June July August September October November December").split()


def _one(text: str, lang: str) -> str:
    core = text.rstrip("?~%")
    parts = core.split("-")
    if "X" in core:
        decade = core.replace("X", "0")
        out = f"{decade}年代" if lang == "zh" else f"the {decade}s"
    else:
        year = int(parts[0])
        if lang == "zh":
            out = f"{year}年"
            if len(parts) > 1:
                out += f"{int(parts[1])}月"
            if len(parts) > 2:
                out += f"{int(parts[2])}日"
        else:
            out = str(year)
            if len(parts) > 1:
                out = f"{_MONTHS_EN[int(parts[1]) - 1]} {year}"
            if len(parts) > 2:
                out = f"{int(parts[2])} {out}"
    if "~" in text or "%" in text:
        out = ("约" + out) if lang == "zh" else "c. " + out
    if "?" in text or "%" in text:
        out += "（存疑）" if lang == "zh" else " (uncertain)"
    return out


def format_when(when: When, lang: str = "en") -> str:
    """A `when` as a reader writes it in `lang` ('22 April 1962', 'c. 1962', a range with its dash or 至)."""
    if when.edtf.endswith("/"):
        start = _one(when.edtf[:-1], lang)
        return f"{start}以后（止期不详）" if lang == "zh" else f"from {start} (end not given)"
    if "/" in when.edtf:
        a, b = when.edtf.split("/", 1)
        sep = "至" if lang == "zh" else " – "
        return _one(a, lang) + sep + _one(b, lang)
    return _one(when.edtf, lang)
