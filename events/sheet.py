"""A teacher's sheet: a spreadsheet of events (title, date, place, quote, source…) read into the atlas's events.

The sheet is what a teacher writes without knowing the atlas's formats: dates as people write them, places
by any name the gazetteer knows, quotes found in the uploaded source text for them. Every problem of
every row is reported at once, in the reader's language, with the row and column the teacher sees in
Excel, what is wrong, how to fix it and an example. The export CSV (`python -m events export`) is not a
sheet: it still goes through events.interchange.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import difflib
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from datafiles.dates import MAX_YEAR, MIN_YEAR, DateError, natural_edtf, parse_when
from datafiles.problems import DataFileError, Problem, file_problem
from datafiles.yamlfile import CONTROL, MAX_BYTES, decode
from events.categories import BY_ID, CATEGORIES, Category
from events.loader import MAX_EVENTS, SHIPPED, Corpus, build_event, with_regions
from events.model import Event, Excerpt
from events.search import fold, pinyin
from events.sources import Source
from geo.gazetteer import Place
from geo.land import on_land
from i18n import N_, translator

SUFFIXES = (".csv", ".xlsx")
MAX_UNZIPPED = 100_000_000  # an .xlsx is a ZIP: what it unpacks to is bounded before it is opened
MAX_SUGGESTIONS = 50  # quotes not found that get a nearest passage (each costs a pass over its source)
TITLE_MAX, QUOTE_MAX, NOTE_MAX = 2000, 5000, 2000  # the event schema's limits


@dataclass(frozen=True)
class Column:
    """A column of the teacher's sheet: its key (the English heading), its Chinese heading and other names
    a teacher may give it."""

    key: str
    zh: str
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("title", "标题", ("event", "name", "事件", "名称")),
    Column("title_zh", "中文标题", ("chinese title", "title (chinese)", "标题中文")),
    Column("date", "日期", ("when", "year", "时间", "年份")),
    Column("place", "地点", ("location", "where", "地名", "位置")),
    Column("lat", "纬度", ("latitude",)),
    Column("lon", "经度", ("longitude", "lng", "long")),
    Column("quote", "引文", ("excerpt", "passage", "摘录", "原文")),
    Column("source", "来源", ("source file", "citation", "出处", "文献")),
    Column("category", "类别", ("kind", "type", "类型", "分类")),
    Column("note", "备注", ("notes", "comment", "说明", "注释")),
)
KEYS = tuple(c.key for c in COLUMNS)
_EXPORT_HEADINGS = {"excerpt_start", "title_en"}  # the export CSV's: read by events.interchange


def _squash(text: str) -> str:
    """A heading without case, width, spaces, underscores, 'required' marks or a trailing colon."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\((?:required|optional)\)|\(必填\)|\(选填\)|\*", "", text)
    return re.sub(r"[\s_\-:.]+", "", text)


_HEADINGS = {
    _squash(name): c.key for c in COLUMNS for name in (c.key, c.zh, *c.aliases)
}  # every name of every column, squashed


def heading_key(heading: object) -> str | None:
    """The column a heading names ('Title', 'title / 标题', '日期（必填）' …), or None."""
    text = "" if heading is None else str(heading)
    for part in re.split(r"[/／|]", text):
        key = _HEADINGS.get(_squash(part))
        if key:
            return key
    return None


def is_export_header(headings: list[str]) -> bool:
    """Whether a CSV's headings are the export's (`python -m events export`), read the old way."""
    names = {str(h).strip() for h in headings}
    return bool(names & _EXPORT_HEADINGS) or {"id", "when", "excerpt"} <= names


# ---------------------------------------------------------------- problems in the teacher's words


@dataclass(frozen=True)
class SheetProblem(Problem):
    """A problem of one row and column of a sheet: `line` is the row as Excel numbers it (the headings are
    row 1), `field` the column's heading as the sheet writes it; `message` says it all in one sentence,
    `what`, `fix` and `example` say it in parts for a table."""

    what: str = ""
    fix: str = ""
    example: str = ""


def _problem(_, label: str, row: int | None, item: str, column: str, what: str, fix: str = "", example: str = "",
             severity: str = "error") -> SheetProblem:  # fmt: skip
    message = what
    if fix:
        message = _("{what}: {fix}", what=what, fix=fix)
    if example:
        message = _("{message} (for example: {example})", message=message, example=example)
    return SheetProblem(label, row, item, column, message, severity, what=what, fix=fix, example=example)


# ---------------------------------------------------------------- reading the bytes


def decode_csv(data: bytes, label: str) -> str:
    """The text of a CSV: UTF-8 (with or without a byte-order mark) or GB18030, what Chinese Excel writes.
    Raise DataFileError otherwise (and for what every text upload refuses: empty, binary, too large)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise DataFileError([file_problem(label, line, N_("not UTF-8 or GB18030 text: save it from Excel as "
                                                              "'CSV UTF-8' or as .xlsx"))]) from None  # fmt: skip
        if len(data) <= MAX_BYTES:
            data = text.encode("utf-8")  # the same checks as any text: binary, control characters, empty
    return decode(data, label, MAX_BYTES)


def _delimiter(first_line: str) -> str:
    """',' unless the headings are split by ';' or tabs (what Excel writes in some countries)."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _csv_rows(text: str, label: str = "") -> list[list[object]]:
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_EVENTS + 2:
                break
    except csv.Error as exc:  # e.g. a cell longer than the csv module's limit (131,072 characters)
        raise DataFileError([file_problem(label, reader.line_num, N_("not valid CSV: {reason}"), reason=exc)]) from None
    return rows


def _xlsx_value(cell) -> object:
    """A cell's value; an Excel date as the date it means, to the precision its number format shows."""
    value = cell.value
    if isinstance(value, dt.datetime):
        fmt = (getattr(cell, "number_format", "") or "").lower()
        shown = re.sub(r'"[^"]*"|\[[^\]]*\]', "", fmt)
        if "d" not in shown and "m" in shown:
            return f"{value.year:04d}-{value.month:02d}"
        if "d" not in shown and "m" not in shown and "y" in shown:
            return f"{value.year:04d}"
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _xlsx_rows(data: bytes, label: str) -> tuple[list[list[object]], set[tuple[int, int]]]:
    """The first sheet's rows, and the (row, column) of each formula whose value was never saved."""

    def fail(template: str, **values: object) -> DataFileError:
        return DataFileError([file_problem(label, None, template, **values)])

    if len(data) > MAX_BYTES:
        raise fail(N_("the file is {size} bytes; the limit is {limit}"), size=f"{len(data):,}", limit=f"{MAX_BYTES:,}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise fail(N_("not an Excel .xlsx file (an old .xls? save it from Excel as .xlsx or as CSV UTF-8)")) from None
    if unzipped > MAX_UNZIPPED:
        raise fail(N_("the workbook unpacks to {size} bytes; the limit is {limit}"), size=f"{unzipped:,}",
                   limit=f"{MAX_UNZIPPED:,}")  # fmt: skip
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = []
        for row in book.worksheets[0].iter_rows():
            rows.append([_xlsx_value(c) for c in row])
            if len(rows) > MAX_EVENTS + 2:
                break
        book.close()
        unsaved: set[tuple[int, int]] = set()
        if any(v is None for row in rows[1:] for v in row):  # a formula's value is None when never calculated
            formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            for r, row in enumerate(formulas.worksheets[0].iter_rows(values_only=True), start=1):
                if r > len(rows):
                    break
                for c, value in enumerate(row):
                    if (
                        isinstance(value, str)
                        and value.startswith("=")
                        and c < len(rows[r - 1])
                        and rows[r - 1][c] is None
                    ):
                        unsaved.add((r, c))
            formulas.close()
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        OSError,
        SyntaxError,  # xml's ParseError: a part of the workbook that is not XML
    ):
        raise fail(
            N_("cannot read this Excel file: it is damaged, or not an Excel workbook; open it in Excel and save "
               "it again as .xlsx")
        ) from None  # fmt: skip
    if not rows:
        raise fail(N_("the workbook's first sheet is empty"))
    return rows, unsaved


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def is_sheet(name: str, data: bytes) -> bool:
    """Whether an uploaded file is a teacher's sheet: any .xlsx, and a .csv that is not the export's CSV
    (one that cannot be decoded goes the old way, which names its problem)."""
    suffix = name.lower().rsplit(".", 1)[-1]
    if suffix == "xlsx":
        return True
    if suffix != "csv":
        return False
    try:
        text = decode_csv(data, name)
    except DataFileError:
        return False
    try:
        rows = _csv_rows(text.split("\n", 1)[0], name)
    except DataFileError:
        return False
    return bool(rows) and not is_export_header([str(h) for h in rows[0]])


# ---------------------------------------------------------------- quotes found in their source

_SAME = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»「」『』〝〞", '"'),
    **dict.fromkeys("‐‑‒–—―", "-"),
    "。": ".",
    "、": ",",
    "【": "[",
    "】": "]",
}
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def normalise(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace and quotation marks removed (a teacher may copy a passage without the source's
    marks around a word, or with others) and full-width punctuation half-width, and for each character of the
    result the index in `text` of the character it came from."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch < "\x80":
            if not ch.isspace() and ch not in _MARKS:
                out.append(ch)
                origin.append(i)
            continue
        if ch.isspace() or ch in _INVISIBLE:
            continue
        for c in _SAME.get(ch) or unicodedata.normalize("NFKC", ch):
            c = _SAME.get(c, c)
            if not c.isspace() and c not in _MARKS:
                out.append(c)
                origin.append(i)
    return "".join(out), origin


_MARKS = frozenset("\"'")  # quotation marks, straight (curly and full-width ones are made straight first)


def locate_quote(quote: str, text: str, prepared: tuple[str, list[int]] | None = None) -> tuple[int, int] | None:
    """(start, end) of the passage of `text` that `quote` is, ignoring differences of whitespace, quotation
    marks and full-width punctuation; None if it is not there. `text[start:end]` is the passage verbatim."""
    needle, _ = normalise(quote)
    if not needle:
        return None
    hay, origin = prepared or normalise(text)
    at = hay.find(needle)
    while at != -1:
        last = at + len(needle) - 1
        # a match must not begin or end inside what one character became ('…' is '...'): its span
        # would then hold more than the quote
        if (at == 0 or origin[at - 1] != origin[at]) and (last + 1 == len(hay) or origin[last + 1] != origin[last]):
            return _with_marks(quote, text, origin[at], origin[last] + 1)
        at = hay.find(needle, at + 1)
    return None


def _is_mark(ch: str) -> bool:
    return _SAME.get(ch, ch) in _MARKS


def _with_marks(quote: str, text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened by the quotation mark just before or after it when the quote itself opens or closes
    with one (marks are not compared, so the match leaves them out)."""
    quote = quote.strip()
    if quote and _is_mark(quote[0]) and start > 0 and _is_mark(text[start - 1]):
        start -= 1
    if quote and _is_mark(quote[-1]) and end < len(text) and _is_mark(text[end]):
        end += 1
    return start, end


def paragraph_starts(text: str) -> list[int]:
    """Where each paragraph of `text` starts: paragraphs are separated by blank lines, or, in a text without
    blank lines, each line is one."""
    lines = text.splitlines(keepends=True)
    blank_separated = any(not line.strip() for line in lines)
    starts, pos, in_paragraph = [], 0, False
    for line in lines:
        blank = not line.strip()
        if not blank and (not in_paragraph or not blank_separated):
            starts.append(pos)
        in_paragraph = not blank
        pos += len(line)
    return starts or [0]


def paragraph_of(text: str, offset: int, starts: list[int] | None = None) -> int:
    """The paragraph (1 for the first) in which `offset` of `text` stands."""
    starts = starts if starts is not None else paragraph_starts(text)
    return max(1, bisect.bisect_right(starts, offset))


_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*[\"'”’」』)]*")


@dataclass
class _Prepared:
    """A source's text prepared once for every quote a sheet takes from it."""

    text: str
    normal: tuple[str, list[int]]
    paragraphs: list[int]
    sentences: list[tuple[int, int]] = field(default_factory=list)
    grams: list[frozenset] = field(default_factory=list)


def _grams(normal: str) -> frozenset:
    return frozenset(normal[i : i + 3] for i in range(max(1, len(normal) - 2)))


def _prepare(text: str) -> _Prepared:
    return _Prepared(text, normalise(text), paragraph_starts(text))


_WORD = re.compile(r"[\u3400-\u9fff]|[^\W_]+")
# A passage is suggested when its words and the quote's are this alike (difflib's ratio), or when this share
# of the quote's words are in it in order. Measured on the corpus's 195 excerpts (tests/test_sheet.py): with
# a word changed and one dropped, 192 are offered their passage; looked for in another source, 1 is offered
# one (by letters alike at 40%, as before, 25 were).
_ALIKE, _COVERED = 0.5, 0.75


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def nearest_passage(quote: str, prepared: _Prepared | str, limit: int = 300) -> str | None:
    """The passage of the source most like `quote` (as many sentences as the quote has), shortened to
    `limit` characters, or None if nothing is much alike. Bounded: one set intersection per sentence, then
    difflib on the best few."""
    p = prepared if isinstance(prepared, _Prepared) else _prepare(prepared)
    if not p.sentences:
        p.sentences = [m.span() for m in _SENTENCE.finditer(p.text) if m.group().strip()]
        p.grams = [_grams(normalise(p.text[a:b])[0]) for a, b in p.sentences]
    needle = normalise(quote)[0]
    if not needle or not p.sentences:
        return None
    want = _grams(needle)
    k = max(1, min(5, len(_SENTENCE.findall(quote))))
    scored = []
    for i in range(max(1, len(p.sentences) - k + 1)):
        grams = frozenset().union(*p.grams[i : i + k])
        scored.append((len(want & grams) / (len(want | grams) or 1), i))
    best = None
    words = _words(quote)
    for _, i in sorted(scored, reverse=True)[:5]:
        a, b = p.sentences[i][0], p.sentences[min(i + k, len(p.sentences)) - 1][1]
        # Alike word for word (a Han character is a word): the quote and the passage alike as a whole, or
        # most of the quote's words in the passage in order (a quote of part of a long sentence). Letters
        # alone make any two English sentences look 40% alike; words do not.
        match = difflib.SequenceMatcher(None, words, _words(p.text[a:b]), autojunk=False)
        covered = sum(block.size for block in match.get_matching_blocks()) / (len(words) or 1)
        score = max(match.ratio() / _ALIKE, covered / _COVERED)
        if best is None or score > best[0]:
            best = (score, a, b)
    if best is None or best[0] < 1:
        return None
    passage = " ".join(p.text[best[1] : best[2]].split())
    return passage if len(passage) <= limit else passage[: limit - 1] + "…"


# ---------------------------------------------------------------- the cells


def _slug(text: str) -> str:
    text = text + " " + pinyin(text) if re.search(r"[\u3400-\u9fff]", text) else text
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")


def _unique(base: str, taken: set[str]) -> str:
    eid, k = base, 2
    while eid in taken:
        eid, k = f"{base}-{k}", k + 1
    taken.add(eid)
    return eid


_NUMBER = re.compile(r"([-+−]?\d+(?:[.,]\d+)?)\s*°?\s*([NSEWnsew北南东西]?)")


def _degrees(text: str) -> float | None:
    m = _NUMBER.fullmatch(text.strip())
    if not m:
        return None
    value = float(m.group(1).replace(",", ".").replace("−", "-"))
    return -value if m.group(2) in ("S", "s", "W", "w", "南", "西") else value


def _names(place: Place, lang: str) -> str:
    label = place.label(lang)
    return label if lang == "zh" or label == place.label("zh") else f"{label} ({place.label('zh')})"


def _place_index(places: dict[str, Place]) -> dict[str, str]:
    """Every name of every place, folded: the place id it names (a point before an area of the same name)."""
    index: dict[str, str] = {}
    for place in sorted(places.values(), key=lambda p: p.kind == "area"):
        for name in (*place.all_names(), place.id, place.id.replace("-", " ")):
            index.setdefault(fold(name), place.id)
        index.setdefault(pinyin(place.label("zh")), place.id)
    index.pop("", None)
    return index


def _category_index() -> dict[str, str]:
    index = {}
    for c in CATEGORIES:
        for name in (c.id, *c.name.values()):
            index[fold(name)] = c.id
    return index


_CATEGORY_INDEX = _category_index()


def nearest_category(text: str) -> Category | None:
    """The category a word that is not one most likely means: one whose name, in either language, holds that
    word ('unrest': Uprisings and unrest; '外逃': 边民外逃) or is spelled nearly so ('diplomatic'), else None."""
    wanted = fold(text)

    def words(name: str) -> set[str]:  # Latin words of 3 letters or more, and pairs of Han characters
        han = "".join(re.findall(r"[\u3400-\u9fff]", name))
        return set(re.findall(r"[a-z]{3,}", name)) | {han[i : i + 2] for i in range(len(han) - 1)}

    for c in CATEGORIES:
        names = [fold(n) for n in (c.id, *c.name.values())]
        if wanted and any(wanted in n or words(wanted) & words(n) for n in names):
            return c
    close = difflib.get_close_matches(wanted, list(_CATEGORY_INDEX), n=1, cutoff=0.75)
    return BY_ID[_CATEGORY_INDEX[close[0]]] if close else None


def _point_id(lat: float, lon: float) -> str:
    ns, ew = "n" if lat >= 0 else "s", "e" if lon >= 0 else "w"
    return f"point-{abs(lat):.4f}{ns}-{abs(lon):.4f}{ew}".replace(".", "-")


def source_name_id(cell: str) -> str:
    """The source id a sheet's `source` cell names when it is a file name ('My letter.txt' -> 'my-letter'),
    as events.upload names an uploaded text."""
    stem = re.sub(r"\.txt$", "", cell.strip(), flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "text"


def _citation_source(citation: str) -> Source:
    digest = hashlib.sha256(citation.encode("utf-8")).hexdigest()[:10]
    return Source(id=f"cited-{digest}", title=citation, path=None, language="und", kind="citation",
                  note="Cited in a teacher's sheet; its text was not uploaded, so quotes from it are not checked.")  # fmt: skip


# ---------------------------------------------------------------- the sheet


@dataclass
class SheetResult:
    """What a sheet gave: its events, every problem, the places of its own coordinates, the sources its
    citations name (texts not uploaded), and how many rows it had (headings and notes not counted)."""

    events: list[Event]
    problems: list[Problem]
    places: dict[str, Place] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    rows_read: int = 0


def _locate_columns(headings: list[object], label: str, _) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """{key: column index}, {key: the heading as the sheet writes it}, and the problems of the heading row."""
    where: dict[str, int] = {}
    shown: dict[str, str] = {}
    problems: list[Problem] = []
    ignored = []
    for i, heading in enumerate(headings):
        text = _cell_text(heading)
        if not text:
            continue
        key = heading_key(text)
        if key is None or key in where:
            ignored.append(text)
            continue
        where[key], shown[key] = i, text
    for key in KEYS:
        shown.setdefault(key, key)
    example = "title, date, place, quote, source, category"
    missing = [k for k in ("title", "date", "quote", "source", "category") if k not in where]
    if "place" not in where and not {"lat", "lon"} <= where.keys():
        missing.insert(2, "place")
    if missing:
        problems.append(_problem(_, label, 1, "-", "-",
                                 _("the heading row (row 1) has no column {columns}", columns=", ".join(missing)),
                                 _("start from the atlas's template: its first row names every column"), example))  # fmt: skip
    if ignored and not missing:
        problems.append(_problem(_, label, 1, "-", "-", _("these columns are not the atlas's and are not read: "
                                 "{columns}", columns=", ".join(ignored[:20])), severity="warning"))  # fmt: skip
    return where, shown, problems


def read_sheet(name: str, data: bytes, corpus: Corpus, lang: str = "en", taken: set[str] | None = None) -> SheetResult:
    """Events from a teacher's sheet (.csv or .xlsx) named `name`, checked like the corpus's own, with
    every problem of every row in `lang`. `corpus` holds the sources (the uploaded texts among them) and
    places to check against; `taken` the event ids already used (new ids are added to it)."""
    _ = translator(lang)
    unsaved: set[tuple[int, int]] = set()
    try:
        if name.lower().endswith(".xlsx"):
            rows, unsaved = _xlsx_rows(data, name)
        else:
            rows = _csv_rows(decode_csv(data, name), name)
    except DataFileError as exc:  # the file as a whole: its problems in the reader's language too
        return SheetResult([], [p.translated(_) for p in exc.problems])
    if not rows:
        return SheetResult([], [Problem(name, 1, "-", "-", _("the sheet is empty"))])
    where, shown, problems = _locate_columns(rows[0], name, _)
    if any(p.severity == "error" for p in problems):
        return SheetResult([], problems)
    body = [(r, row) for r, row in enumerate(rows[1:], start=2) if any(_cell_text(v) for v in row)]
    body = [(r, row) for r, row in body if not _cell_text(next(v for v in row if _cell_text(v))).startswith("#")]
    if len(body) > MAX_EVENTS:
        what = _("the sheet has more than {limit} rows of events", limit=f"{MAX_EVENTS:,}")
        return SheetResult([], [_problem(_, name, None, "-", "-", what,
                                         _("keep the events you need for your class: the atlas holds at most {limit} "
                                           "events of yours in all", limit=f"{MAX_EVENTS:,}"))])  # fmt: skip
    reader = _RowReader(name, corpus, lang, where, shown, unsaved, taken if taken is not None else set())
    result = SheetResult([], problems, rows_read=len(body))
    for r, row in body:
        event, found = reader.row(r, row)
        result.problems += found
        if event is not None:
            result.events.append(event)
    result.events = with_regions(result.events)
    result.places, result.sources = reader.places, reader.citations
    return result


class _RowReader:
    """Reads the rows of one sheet, sharing what every row needs: the place names, the prepared sources."""

    def __init__(self, label, corpus, lang, where, shown, unsaved, taken):
        self.label, self.corpus, self.lang, self.where, self.shown = label, corpus, lang, where, shown
        self.unsaved, self.taken = unsaved, taken
        self._ = translator(lang)
        self.place_index = _place_index(corpus.places)
        self.places: dict[str, Place] = {}
        self.citations: dict[str, Source] = {}
        self.prepared: dict[str, _Prepared] = {}
        self.suggestions = 0

    def cell(self, row: list, key: str) -> str:
        i = self.where.get(key)
        return _cell_text(row[i]) if i is not None and i < len(row) else ""

    def row(self, r: int, row: list) -> tuple[Event | None, list[Problem]]:
        _ = self._
        title, title_zh = self.cell(row, "title"), self.cell(row, "title_zh")
        eid = _unique(_slug(title or title_zh) or f"row-{r}", self.taken) if title or title_zh else f"row-{r}"
        found: list[Problem] = []

        def problem(key: str, what: str, fix: str = "", example: str = "", severity: str = "error") -> None:
            found.append(_problem(_, self.label, r, eid, self.shown[key], what, fix, example, severity))

        formulas = {self.shown[key] for key, i in self.where.items() if (r, i) in self.unsaved}
        for key in ("title", "title_zh", "place", "quote", "source", "note"):
            bad = CONTROL.search(self.cell(row, key))
            if bad:
                problem(key, _("the cell holds an invisible control character"),
                        _("retype the text, or paste it as plain text"))  # fmt: skip
        if not title:
            problem("title", _("the title is missing"), _("say in a few words what happened"),
                    _("Crowds cross the border at Khorgos"))  # fmt: skip
        for key, value in (("title", title), ("title_zh", title_zh)):
            if len(value) > TITLE_MAX:
                problem(key, _("the title is {n} characters long; the limit is {limit}", n=f"{len(value):,}",
                               limit=f"{TITLE_MAX:,}"), _("shorten it; put the rest in the note column"))  # fmt: skip
        when = self.when(row, problem)
        place = self.place(row, problem)
        category = self.category(row, problem)
        excerpt = self.excerpt(row, problem)
        note = self.cell(row, "note")
        if len(note) > NOTE_MAX:
            problem("note", _("the note is {n} characters long; the limit is {limit}", n=f"{len(note):,}",
                              limit=f"{NOTE_MAX:,}"), _("shorten it"))  # fmt: skip
        if formulas:  # the cell's own problem, not the emptiness its unsaved value looks like
            found = [p for p in found if p.field not in formulas]
            for column in sorted(formulas):
                found.append(_problem(_, self.label, r, eid, column,
                                      _("the cell holds a formula whose value was never saved"),
                                      _("open the file in Excel and save it again, or type the value itself")))  # fmt: skip
        if any(p.severity == "error" for p in found):
            return None, found
        raw = {"id": eid, "title": {"en": title, "zh": title_zh or title}, "when": when, "place": place.id,
               "category": category, "excerpts": [excerpt[0]]}  # fmt: skip
        if note:
            raw["summary"] = {"en": note, "zh": note}
        sources = {**self.corpus.sources, **self.citations}
        places = {**self.corpus.places, place.id: place}
        event, checked = build_event(raw, self.label, r, lambda p: None, sources, places, "user",
                                     self.corpus.bibliography)  # fmt: skip
        for p in checked:  # what the corpus's checker says beyond the sheet's own checks (rare): its words
            if p.severity == "error" or not excerpt[1]["unchecked"]:
                column = {"title": "title", "when": "date", "place": "place", "category": "category",
                          "summary": "note", "excerpts": "quote"}.get(p.field.split(".")[0], "title")  # fmt: skip
                found.append(SheetProblem(p.path, r, eid, self.shown[column], p.message, p.severity, what=p.message))
        if event is None:
            return None, found
        if place.id not in self.corpus.places:
            self.places[place.id] = place
        ex = replace(event.excerpts[0], **excerpt[1])
        return replace(event, excerpts=(ex,)), found

    def when(self, row: list, problem) -> str | None:
        _ = self._
        text = self.cell(row, "date")
        forms = _("1962, April 1962, 22 April 1962, 1962年4月22日, about 1962, 1962–1963")
        if not text:
            problem("date", _("the date is missing"), _("give the year, the month or the day"), forms)
            return None
        edtf = natural_edtf(text)
        if edtf is None:
            problem("date", _("'{value}' is not a date the atlas can read", value=text),
                    _("write a year, a month or a day; 'about' before an uncertain date; a dash between "
                      "the two ends of a span"), forms)  # fmt: skip
            return None
        try:
            parse_when(edtf)
        except DateError:
            years = re.findall(r"\d{4}", edtf)
            if any(not MIN_YEAR <= int(y) <= MAX_YEAR for y in years):
                what = _("'{value}' is outside the years the atlas shows", value=text)
                fix = _("give a year between {first} and {last}", first=MIN_YEAR, last=MAX_YEAR)
            elif "/" in edtf:
                what = _("'{value}' ends before it starts, or one of its ends is not a day of the calendar",
                         value=text)  # fmt: skip
                fix = _("write the earlier date first, and check each day and month")
            else:
                what = _("'{value}' is not a day of the calendar", value=text)
                fix = _("check the month (1 to 12) and the day (a month has at most 31 days)")
            problem("date", what, fix, forms)
            return None
        return edtf

    def place(self, row: list, problem) -> Place | None:
        _ = self._
        name, lat_text, lon_text = self.cell(row, "place"), self.cell(row, "lat"), self.cell(row, "lon")
        if lat_text or lon_text:
            return self.point(name, lat_text, lon_text, problem)
        if not name:
            problem("place", _("the place is missing"), _("write a place name, or give lat and lon"),
                    _("Yining, or lat 43.91 and lon 81.33"))  # fmt: skip
            return None
        pid = self.place_index.get(fold(name)) or self.place_index.get(fold(name).replace(" ", ""))
        if pid is not None:
            return self.corpus.places[pid]
        close = difflib.get_close_matches(fold(name), list(self.place_index), n=12, cutoff=0.5)
        near = list(dict.fromkeys(self.place_index[c] for c in close))[:3]
        sep = "、" if self.lang == "zh" else _(" or ")
        if near:
            fix = _("did you mean {names}? Or give its lat and lon",
                    names=sep.join(_names(self.corpus.places[p], self.lang) for p in near))  # fmt: skip
        else:
            fix = _("give its lat and lon, with its name in the place column")
        problem("place", _("the atlas's gazetteer does not know the place '{name}'", name=name), fix,
                _("Yining, or lat 43.91 and lon 81.33"))  # fmt: skip
        return None

    def point(self, name: str, lat_text: str, lon_text: str, problem) -> Place | None:
        _ = self._
        example = _("lat 43.91 and lon 81.33 (Yining)")
        lat, lon = _degrees(lat_text), _degrees(lon_text)
        ok = True
        for key, text, value in (("lat", lat_text, lat), ("lon", lon_text, lon)):
            if not text:
                problem(key, _("{column} is missing", column=self.shown[key]),
                        _("give both lat and lon, or leave both empty and write a place name"), example)  # fmt: skip
                ok = False
            elif value is None or not math.isfinite(value):
                problem(key, _("'{value}' is not a number of degrees", value=text),
                        _("write decimal degrees, with a point"), example)  # fmt: skip
                ok = False
        if not ok:
            return None
        swap = _("did you swap lat and lon? lat is north–south, lon east–west")
        if not -90 <= lat <= 90:
            fix = swap if -90 <= lon <= 90 else _("lat is north–south, from -90 to 90")
            problem("lat", _("lat must be between -90 and 90; it is {value}", value=lat_text), fix, example)
            return None
        if not -180 <= lon <= 180:
            problem("lon", _("lon must be between -180 and 180; it is {value}", value=lon_text), swap, example)
            return None
        land = on_land(lon, lat)
        if land is False and on_land(lat, lon) and -90 <= lon <= 90:
            problem("lat", _("the point lat {lat}, lon {lon} is at sea or far away, but swapped it lies in the "
                             "atlas's countries", lat=lat_text, lon=lon_text), swap, example)  # fmt: skip
            return None
        if land is False:
            problem("lat", _("the point lat {lat}, lon {lon} is outside every country of the atlas's map",
                             lat=lat_text, lon=lon_text), _("check the numbers"), example, severity="warning")  # fmt: skip
        label = name or f"{lat}, {lon}"
        return Place(_point_id(lat, lon), {"en": label, "zh": label}, lat, lon, "town", "point",
                     "from the teacher's sheet")  # fmt: skip

    def category(self, row: list, problem) -> str | None:
        _ = self._
        text = self.cell(row, "category")
        choices = ("、" if self.lang == "zh" else "; ").join(c.label(self.lang) for c in CATEGORIES)
        if not text:
            problem("category", _("the category is missing"), _("choose one of: {choices}", choices=choices),
                    CATEGORIES[0].label(self.lang))  # fmt: skip
            return None
        known = _CATEGORY_INDEX.get(fold(text))
        if known is None:
            near = nearest_category(text)
            what = _("'{value}' is not one of the atlas's categories", value=text)
            if near is not None:
                problem("category", what, _("did you mean {name}? Or choose one of: {choices}",
                                            name=near.label(self.lang), choices=choices))  # fmt: skip
            else:
                problem("category", what, _("choose one of: {choices}", choices=choices))
        return known

    def excerpt(self, row: list, problem) -> tuple[dict, dict] | None:
        """({source, text, start, end}, the Excerpt's sheet fields), or None after a problem."""
        _ = self._
        quote, cited = self.cell(row, "quote"), self.cell(row, "source")
        if not quote:
            problem("quote", _("the quote is missing"),
                    _("copy the passage of your source that tells of this event"))  # fmt: skip
        elif len(quote) > QUOTE_MAX:
            problem("quote", _("the quote is {n} characters long; the limit is {limit}", n=f"{len(quote):,}",
                               limit=f"{QUOTE_MAX:,}"), _("quote the sentences that tell of the event"))  # fmt: skip
        if not cited:
            problem("source", _("the source is missing"),
                    _("give the name of the text file you upload with the sheet, or where the quote comes from"),
                    _("my-letter.txt, or Foreign Affairs Circular No. 74, 1963"))  # fmt: skip
        if not quote or not cited or len(quote) > QUOTE_MAX:
            return None
        sid = source_name_id(cited)
        source = self.corpus.sources.get(sid) if (cited.lower().endswith(".txt") or cited == sid) else None
        if source is None or not source.available:
            if cited.lower().endswith(".txt"):
                problem("source", _("no text file named {file} was uploaded with the sheet, so the quote was "
                                    "not checked", file=cited),
                        _("upload {file} together with the sheet", file=cited), severity="unverified")  # fmt: skip
            else:
                problem("source", _("quote not checked against a source"),
                        _("to have it checked, upload the source as a .txt file and write its file name here"),
                        severity="unverified")  # fmt: skip
            citation = _citation_source(cited)
            self.citations[citation.id] = citation
            return {"source": citation.id, "text": quote, "start": 0, "end": len(quote)}, {"unchecked": True}
        prepared = self.prepared.get(source.id)
        if prepared is None:
            prepared = self.prepared[source.id] = _prepare(source.text)
        span = locate_quote(quote, source.text, prepared.normal)
        if span is None:
            nearest = None
            if self.suggestions < MAX_SUGGESTIONS:
                self.suggestions += 1
                nearest = nearest_passage(quote, prepared)
            what = _("the quote is not in {file}", file=cited)
            if nearest:
                what = _("{what}; did you mean: '{passage}'?", what=what, passage=nearest)
            problem("quote", what, _("copy the passage exactly as {file} has it, leaving no words out; spaces, "
                                     "quotation marks and full-width punctuation may differ", file=cited))  # fmt: skip
            return None
        start, end = span
        paragraph = paragraph_of(source.text, start, prepared.paragraphs)
        return ({"source": source.id, "text": source.text[start:end], "start": start, "end": end},
                {"paragraph": paragraph, "unchecked": False})  # fmt: skip


def locator(ex: Excerpt, source: Source | None, lang: str = "en") -> str:
    """Where a teacher's quote was found, in the reader's words ('found in my-letter.txt, paragraph 3'), or
    that it was not checked against a source; '' for an excerpt that does not come from a sheet."""
    _ = translator(lang)
    if ex.unchecked:
        return _("quote not checked against a source")
    if ex.paragraph is not None:
        return _("found in {file}, paragraph {n}", file=source.title if source else ex.source, n=ex.paragraph)
    return ""


# ---------------------------------------------------------------- the template and the example


def _headings(lang: str) -> list[str]:
    return [f"{c.zh} / {c.key}" if lang == "zh" else f"{c.key} / {c.zh}" for c in COLUMNS]


def _hints(lang: str) -> list[str]:
    _ = translator(lang)
    return [
        _("# required: what happened, in a few words (rows starting with # are not read)"),
        _("the title in Chinese, if you have one"),
        _("required: 1962, April 1962, 22 April 1962, 1962年4月22日, about 1962, 1962–1963"),
        _("a place name (Yining, Gulja, 伊宁) or, instead, lat and lon"),
        _("latitude in decimal degrees, e.g. 43.91"),
        _("longitude in decimal degrees, e.g. 81.33"),
        _("required: the passage, copied from the source"),
        _("required: the name of the .txt file you upload with the sheet, or a citation"),
        _("required: {choices}", choices=", ".join(c.label(lang) for c in CATEGORIES)),
        _("your note for the reader"),
    ]


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the byte-order mark: Excel then reads it as UTF-8


def template_csv(lang: str = "en") -> bytes:
    """An empty sheet as CSV (UTF-8 with a byte-order mark, so that Excel opens it): the headings in both
    languages and a row of hints (it starts with #, and is not read)."""
    return _csv_bytes([_headings(lang), _hints(lang)])


def _xlsx_bytes(rows: list[list[object]], lang: str) -> bytes:
    _ = translator(lang)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Events")
    for row in rows:
        sheet.append(row)
    hints = _hints(lang)
    for i, cell in enumerate(sheet[1]):
        cell.font = Font(bold=True)
        cell.comment = Comment(hints[i].lstrip("# "), "Yi–Ta atlas")
        sheet.column_dimensions[cell.column_letter].width = 40 if COLUMNS[i].key in ("quote", "title") else 18
    for row in sheet.iter_rows(min_row=2):
        if str(row[0].value or "").startswith("#"):
            for cell in row:
                cell.font = Font(italic=True, color="555555")
                cell.fill = PatternFill("solid", fgColor="F2F2F2")
    sheet.freeze_panes = "A2"
    column = "ABCDEFGHIJ"[KEYS.index("category")]
    choices = ",".join(c.label(lang) for c in CATEGORIES)
    if len(choices) <= 255:  # Excel's limit for a list typed into the validation
        rule = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True, showErrorMessage=False)
        sheet.add_data_validation(rule)
        rule.add(f"{column}2:{column}{MAX_EVENTS + 2}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_xlsx(lang: str = "en") -> bytes:
    """An empty sheet as Excel .xlsx: the headings in both languages (each with a comment saying what goes
    in it), a row of hints (starting with #, not read), and the categories to choose from."""
    return _xlsx_bytes([_headings(lang), _hints(lang)], lang)


EXAMPLE_SOURCE = "circular-74.txt"
_CIRCULAR = SHIPPED / "sources" / "001_b6f3b565c297197c.txt"  # Foreign Affairs Circular No. 74 (Wilson Center)


def _example_text() -> str:
    """The circular's address and its two numbered paragraphs, verbatim."""
    text = _CIRCULAR.read_text(encoding="utf-8")
    start = text.index("[To] Embassies Abroad")
    end = text.index("The Ministry of Foreign Affairs", start)
    return text[start:end].rstrip() + "\n"


def example_rows(lang: str = "en") -> list[list[str]]:
    """The example sheet's rows: three events the circular tells of, each quoting it (with a straight
    apostrophe and a line break where the text has neither: the atlas finds them all the same). Each gives
    no more date or place than its quote supports, and its note says how the quote's words were read: the
    habit the example teaches."""
    _ = translator(lang)
    rows = [
        ["Over 60,000 residents of Xinjiang flee to the Soviet Union", "六万余新疆居民外逃苏联", "1962",
         "Xinjiang", "", "", "the 60,000-plus residents who it instigated to flee to the Soviet Union last year",
         EXAMPLE_SOURCE, "flight", _("The circular says 'last year' and names no crossing: it was written in "
                                     "August 1963, so the year is 1962, and the place is Xinjiang as a whole.")],
        ["China's note on Soviet subversion in Xinjiang", "中国照会苏联在新疆的颠覆活动", "30 August 1962", "Peking",
         "", "", "In our note dated 30 August of last year, we pointed out that the Soviet Union's subversive "
         "activities in Xinjiang.", EXAMPLE_SOURCE, "Diplomacy",
         _("Peking stands for the government that sent the note; the circular does not name the city.")],
        ["Counterrevolutionary riots in Yining", "伊宁反革命暴乱", "1962年", "伊宁", "", "",
         "the counterrevolutionary riots that took place in\nYining [Gulja] last year", EXAMPLE_SOURCE,
         "起义与动乱", _("The circular gives the year only.")],
    ]  # fmt: skip
    return [_headings(lang), *rows]


def example_files(lang: str = "en") -> list[tuple[str, bytes]]:
    """A filled-in example sheet (CSV) of three real events and the source text they quote: upload both
    together to see them found."""
    name = "example-sheet.csv" if lang != "zh" else "示例表格.csv"
    return [(name, _csv_bytes(example_rows(lang))), (EXAMPLE_SOURCE, _example_text().encode("utf-8"))]
