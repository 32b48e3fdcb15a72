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


# ---------------------------------------------------------------- dates as people write them

_MONTH_NUMBERS = {name.casefold(): k + 1 for k, name in enumerate(_MONTHS_EN)}
_MONTH_NUMBERS.update({name[:3].casefold(): k + 1 for k, name in enumerate(_MONTHS_EN)})
_MONTH_NUMBERS["sept"] = 9
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# One point in the ways people write it, each giving (year, month, day) groups.
_NATURAL_POINTS = (
    re.compile(rf"{_YEAR}(?:[-/.](?P<m>\d{{1,2}})(?:[-/.](?P<d>\d{{1,2}}))?)?"),  # 1962, 1962-4-22, 1962/4/22
    re.compile(rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}"),  # 22 April 1962
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"),  # April 22, 1962
    re.compile(rf"{_MONTH},?\s+{_YEAR}"),  # April 1962
    re.compile(r"(?P<year>\d{4})\s*年(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?)?"),  # 1962年4月22日
)
_ABOUT = re.compile(r"^(?:about|around|approximately|approx\.?|circa|ca\.?|c\.|c|大约|约|大概)\s*(?P<rest>.+)$", re.I)
_ABOUT_AFTER = re.compile(r"^(?P<rest>.+?)\s*(?:前后|左右|上下)$")
# Between the two ends of a span: a dash, 'to', 至 or 到, a wave dash; a hyphen only before a year.
_SPAN = re.compile(r"\s*(?:[–—―~～〜]|\bto\b|\buntil\b|至|到|-(?=\s*\d{4}(?!\d)))\s*", re.I)


def _natural_point(text: str) -> str | None:
    """One point written as people write it, as EDTF ('22 April 1962' -> '1962-04-22'), or None."""
    about = ""
    m = _ABOUT.match(text) or _ABOUT_AFTER.match(text)
    if m:
        text, about = m.group("rest").strip(), "~"
    if _POINT.fullmatch(text):  # EDTF already
        return text + about if not (about and text[-1] in "~?%") else text
    for pattern in _NATURAL_POINTS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        groups = m.groupdict()
        month = groups.get("month")
        month_number = _MONTH_NUMBERS.get(month.casefold()) if month else groups.get("m")
        if month and month_number is None:
            return None
        day = groups.get("day") or groups.get("d")
        out = groups["year"]
        if month_number is not None:
            out += f"-{int(month_number):02d}"
            if day is not None:
                out += f"-{int(day):02d}"
        return out + about
    return None


def natural_edtf(text: str) -> str | None:
    """A date as people write it, as the EDTF the atlas reads, or None if it is none of these forms:
    EDTF itself; '1962', '1962-04', '1962-04-22', '1962/4/22'; '22 April 1962', 'April 22, 1962',
    'April 1962' (months in English, whole or in three letters); '1962年', '1962年4月', '1962年4月22日';
    each after 'about', 'c.', 'circa' or 约 (or before 前后, 左右) for an approximate date ('1962~'); and two of
    them joined by a dash, 'to', 至 or 到 for a span ('1962–1963', '1962年至1963年' -> '1962/1963').

    The result is only written, not checked: parse_when says whether the day exists and the years are
    ones the atlas shows."""
    text = " ".join(str(text).split())
    if not text or len(text) > 60:
        return None
    if _POINT.fullmatch(text):
        return text  # EDTF already ('1962~' is not a span ending in a wave dash)
    if "/" in text and not re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", text):
        head, _, tail = text.partition("/")
        if _POINT.fullmatch(head) and (not tail or _POINT.fullmatch(tail)):
            return text  # an EDTF interval
    about = ""
    m = _ABOUT.match(text)
    if m and _SPAN.search(m.group("rest")):  # 'about 1962-1963': the whole span is approximate
        text, about = m.group("rest"), "~"
    parts = _SPAN.split(text)
    if len(parts) == 2 and all(parts):
        a, b = _natural_point(parts[0].strip()), _natural_point(parts[1].strip())
        if a is None or b is None:
            return None
        if about:
            a, b = (p if p[-1] in "~?%" else p + "~" for p in (a, b))
        return f"{a}/{b}"
    if len(parts) != 1:
        return None
    return _natural_point(text)
