"""Historical dates as EDTF strings (Library of Congress Extended Date/Time Format)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException


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


def _day(t: time.struct_time) -> dt.date:
    return dt.date(t.tm_year, t.tm_mon, t.tm_mday)


def _precision(text: str) -> str:
    if "/" in text:
        return "interval"
    core = text.rstrip("?~%")
    if "X" in core:
        return "decade"
    return {4: "year", 7: "month", 10: "day"}.get(len(core.lstrip("-")), "day")


# An interval whose end the sources do not give ('1962/', EDTF's unknown end: "afterwards") is shown
# and filtered as reaching this many years past its start: the edtf library's own reading of an unknown
# end. The reader's label says the end is not given; nothing is drawn as a known end.
UNKNOWN_END_YEARS = 10


def parse_when(text: object) -> When:
    """Parse an EDTF string such as '1962-04-22', '1962-04', '1962~', '1962-04/1962-06' or '1962/'
    (from 1962, end not given)."""
    if not isinstance(text, str) or not text.strip():
        raise DateError(f"expected an EDTF date string such as '1962-04-22', got {text!r}")
    text = text.strip()
    try:
        parsed = parse_edtf(text)
        start = _day(parsed.lower_strict())
        if text.endswith("/"):
            end = dt.date(start.year + UNKNOWN_END_YEARS, 12, 31)
        else:
            end = _day(parsed.upper_strict())
    except (EDTFParseException, ValueError, OverflowError, AttributeError) as exc:
        raise DateError(f"{text!r} is not a valid EDTF date ({_short(exc)})") from None
    if end < start:
        raise DateError(f"{text!r} ends before it starts")
    return When(
        edtf=text,
        start=start,
        end=end,
        precision=_precision(text),
        approximate="~" in text or "%" in text,
        uncertain="?" in text or "%" in text,
    )


def _short(exc: Exception) -> str:
    return str(exc).split(". Please")[0]


_MONTHS_EN = ("January February March April May June July August September October November December").split()


def _one(text: str, lang: str) -> str:
    core = text.rstrip("?~%")
    parts = core.split("-")
    if "X" in core:
        decade = core.replace("X", "0")
        return f"{decade}年代" if lang == "zh" else f"the {decade}s"
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
