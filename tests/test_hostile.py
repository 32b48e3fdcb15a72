"""Hostile and broken event files: each gets a clear message naming the file, the line or row and the
field, through the checker (function and `python -m events check`), the upload and the loader; never a
traceback, never a hang."""

from __future__ import annotations

import copy
import csv
import dataclasses
import functools
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from events.check import check_data
from events.corpora import load_corpus
from events.interchange import CSV_COLUMNS, MAX_BYTES, to_geojson, write_csv
from events.loader import MAX_EVENTS, SHIPPED, Corpus, shipped_corpus
from events.upload import read_upload, report_csv

ROOT = Path(__file__).resolve().parent.parent
XSS = "<script>window.pwned=1</script><img src=x onerror=window.pwned=1>`${window.pwned=1}`{{7*7}}</script>"
FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]


pytestmark = pytest.mark.usefixtures("deadline")  # no hostile file may hang a test (tests/conftest.py)


# ---------------------------------------------------------------- good files to spoil


@functools.cache
def _khorgos_feature() -> dict:
    """The first Khorgos event of the shipped corpus as GeoJSON (exported once: the cases below spoil copies)."""
    return next(f for f in to_geojson(shipped_corpus())["features"] if f["properties"]["place"] == "khorgos")


def _good_geojson() -> dict:
    """One valid event of the shipped corpus, under a new id (a user's event)."""
    feature = copy.deepcopy(_khorgos_feature())
    feature["id"] = feature["properties"]["id"] = "my-crossing"
    feature["properties"].pop("summary", None)
    return {"type": "FeatureCollection", "features": [feature]}


def _geojson(mutate=None, indent: int = 1) -> bytes:
    data = _good_geojson()
    if mutate:
        mutate(data["features"][0]["properties"], data["features"][0], data)
    return json.dumps(data, ensure_ascii=False, indent=indent).encode("utf-8")


def _good_rows() -> list[dict]:
    c = shipped_corpus()
    event = next(e for e in c.events if e.place == "khorgos")
    out = io.StringIO()
    write_csv(Corpus(c.sources, c.places, [event], [], None), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    for row in rows:
        row["id"] = "my-crossing"
    return rows


def _csv(mutate=None, columns=None) -> bytes:
    rows = _good_rows()
    if mutate:
        mutate(rows)
    columns = columns or CSV_COLUMNS
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _yaml_events(mutate=None) -> list[dict]:
    props = _good_geojson()["features"][0]["properties"]
    event = {k: props[k] for k in ("id", "title", "when", "place", "category", "excerpts")}
    events = [event]
    if mutate:
        mutate(events)
    return events


def _yaml(mutate=None) -> bytes:
    return yaml.safe_dump(_yaml_events(mutate), allow_unicode=True, sort_keys=False).encode("utf-8")


def _set(path: str, value):
    """A mutation setting a dotted path in a feature's properties (or a YAML event)."""

    def mutate(props, *rest):
        target = props[0] if isinstance(props, list) else props
        *parents, last = path.split(".")
        for key in parents:
            target = target[int(key) if key.isdigit() else key]
        target[int(last) if last.isdigit() else last] = value

    return mutate


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("events.csv", _csv().decode("utf-8"))
    return out.getvalue()


def _many_features(n: int) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}] * n}).encode()


# ---------------------------------------------------------------- the hostile files


@dataclass(frozen=True)
class Case:
    name: str  # the file name (its suffix chooses the format)
    data: bytes
    expect: str  # words the message must contain
    field: str | None = None  # words the problem's field must contain
    line: bool = False  # whether the problem must give a line or row
    accepted: int = 0  # events that pass all the same (a warning, or a bad part reported)
    severity: str = "error"
    loader: str | None = None  # what the loader says instead, where a server's own corpus has wider limits


def _swap(props, feature, data):
    lon, lat = feature["geometry"]["coordinates"]
    feature["geometry"]["coordinates"] = [lat, lon]


def _new_place_swapped(rows):
    for row in rows:
        row["place"], row["lat"], row["lon"] = "", row["lon"], row["lat"]


def _at_sea(props, feature, data):
    props.pop("place")
    feature["geometry"]["coordinates"] = [-30.0, 40.0]


def _html_everywhere(props, feature, data):
    props["title"] = {"en": XSS, "zh": XSS}
    props["summary"] = {"en": XSS, "zh": XSS}
    props["place_name"] = XSS
    props["excerpts"][0]["gloss"] = {"en": XSS, "zh": XSS}


def _formulas(rows):
    for row, formula in zip(rows, FORMULAS * 10, strict=False):
        row["title_en"] = formula
        row["title_zh"] = FORMULAS[0]
        row["gloss_en"] = formula


def _extra_cells(rows):
    rows[0]["id"] = "my-crossing"


def _deep_dict(levels: int) -> bytes:
    inner: dict = {}
    node = inner
    for _ in range(levels):
        node["a"] = {}
        node = node["a"]
    return json.dumps({"type": "FeatureCollection", "features": [{"properties": inner}]}).encode()


_GOOD_CSV = _csv()
_BOMB = b"""a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""

CASES = [
    Case("latin1.csv", _GOOD_CSV.decode().replace("Khorgos", "Khörgos").encode("latin-1", "replace"), "not UTF-8",
         line=True),
    Case("utf16.geojson", _geojson().decode().encode("utf-16"), "UTF-16", line=True),
    Case("utf16.csv", _GOOD_CSV.decode().encode("utf-16"), "UTF-16", line=True),
    Case("bom.csv", b"\xef\xbb\xbf" + _GOOD_CSV, "", accepted=1),
    Case("bom.geojson", b"\xef\xbb\xbf" + _geojson(), "", accepted=1),
    Case("bom.yaml", b"\xef\xbb\xbf" + _yaml(), "", accepted=1),
    Case("truncated.geojson", _geojson()[: len(_geojson()) // 2], "not valid JSON", line=True),
    Case("bomb.yaml", _BOMB, "aliases", line=True),
    # 5 MB of tiny items took minutes and gigabytes to parse: refused from the event stream, nothing built
    Case("many-items.yaml", b"[" + b",".join([b"1"] * 1_000_000) + b"]", "more than 20,000 entries", line=True),
    Case("deep.yaml", b"[" * 100_000 + b"]" * 100_000, "nested more than", line=True),
    Case("deep.json", b"[" * 100_000 + b"1" + b"]" * 100_000, "nested"),
    Case("deep-objects.geojson", _deep_dict(200), "nested more than 32"),
    Case("missing-columns.csv", _csv(columns=[c for c in CSV_COLUMNS if c not in ("when", "category")]),
         "missing column(s): when, category", line=True),
    Case("extra-columns.csv", _csv(columns=[*CSV_COLUMNS, "colour"]), "unknown column(s) ignored: colour", line=True,
         accepted=1),
    Case("extra-cells.csv", _GOOD_CSV.replace(b"\n", b",surplus\n").replace(b"notes,surplus", b"notes"),
         "more cells than columns", line=True),
    Case("out-of-range.geojson", _geojson(lambda p, f, d: (p.pop("place"), f["geometry"].update(coordinates=[200, 95]))),
         "out of range", field="geometry", line=True),
    Case("swapped.geojson", _geojson(_swap), "swapped", field="geometry", line=True),
    # a Polygon given with a known point place was silently replaced by the gazetteer's point
    Case("polygon-on-a-point-place.geojson",
         _geojson(lambda p, f, d: f.update(geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})),
         "cannot stand for", field="geometry", line=True),
    Case("swapped-new-place.csv", _csv(_new_place_swapped), "look swapped", field="lat/lon", line=True),
    Case("at-sea.geojson", _geojson(_at_sea), "outside every country", field="geometry", line=True, accepted=1,
         severity="warning"),
    Case("month-13.yaml", _yaml(_set("when", "1962-13-45")), "not a valid EDTF date", field="when", line=True),
    Case("february-30.csv", _csv(lambda rows: [r.update(when="1962-02-30") for r in rows]), "not a valid EDTF date",
         field="when", line=True),
    Case("february-30.geojson", _geojson(_set("when", "1962-02-30")), "not a valid EDTF date", field="when",
         line=True),
    Case("empty.csv", b"", "empty"),
    Case("blank.yaml", b"\n  \n\t\n", "empty"),
    Case("empty.geojson", b"\xef\xbb\xbf", "empty"),
    Case("huge.geojson", b" " * (MAX_BYTES + 1), "the limit is 5,000,000", loader="the file is empty"),
    Case("html.geojson", _geojson(_html_everywhere), "", accepted=1),
    Case("html-excerpt.yaml", _yaml(_set("excerpts.0.text", XSS)), "not found verbatim", field="excerpts.0.text",
         line=True),
    Case("formulas.csv", _csv(_formulas), "", accepted=1),
    Case("binary.csv", bytes(range(256)) * 64, "not UTF-8"),
    Case("zip-renamed.csv", _zip(), "ZIP archive", line=True),
    Case("list.geojson", b"[1, 2, 3]", "got a list", line=True),
    Case("number.json", b"42", "got a number", line=True),
    Case("feature.geojson", json.dumps({"type": "Feature", "properties": {}}).encode(), "of type 'Feature'"),
    Case("wrong-types.geojson", _geojson(lambda p, f, d: p.update(title="a string", certainty=3)),
         "is not of type 'object'", field="title", line=True),
    Case("wrong-number-types.yaml", _yaml(_set("excerpts.0.start", "zero")), "is not of type 'integer'",
         field="excerpts.0.start", line=True),
    Case("nan.geojson", _geojson(lambda p, f, d: (p.pop("place"), f["geometry"].update(coordinates=[float("nan"), 1]))),
         "NaN"),
    Case("infinity.json", _geojson().replace(b'"disputed": false', b'"disputed": 1e999'), "not a number JSON allows"),
    Case("long-string.yaml", _yaml(_set("title.en", "x" * 100_000)), "is too long", field="title.en", line=True),
    Case("control-char.geojson", _geojson(_set("title.en", "bell\u0007ring")), "control character 0x07",
         field="title.en", line=True),
    Case("nul-byte.csv", _GOOD_CSV.replace(b"Khorgos", b"Khor\x00gos", 1), "NUL byte", line=True),
    Case("duplicate-ids.yaml", _yaml(lambda events: events.append(copy.deepcopy(events[0]))), "duplicate event id",
         field="id", line=True, accepted=1),
    Case("unknown-source.geojson", _geojson(_set("excerpts", [{"source": "no-such-archive", "text": "x", "start": 0,
                                                               "end": 1}])),
         "unknown source 'no-such-archive'", field="excerpts.0.source", line=True, accepted=1, severity="unverified"),
    Case("python-tag.yaml", b'- !!python/object/apply:os.system ["echo pwned"]\n', "not valid YAML", line=True),
    Case("mapping.yaml", b"id: not-a-list\n", "a list of events", line=True),
    Case("bad-offsets.csv", _csv(lambda rows: rows[0].update(excerpt_start="ten")), "whole numbers",
         field="excerpt_start", line=True),
    Case("too-many.geojson", _many_features(MAX_EVENTS + 1), "the limit is 20,000", field="features",
         loader="needs a known place id or a Point geometry"),
    Case("giant-cell.csv", _csv(lambda rows: rows[0].update(title_en="y" * 200_000)), "not valid CSV", line=True),
    Case("evil.exe", b"MZ\x90\x00", "unknown file type"),
    # Issue 15: EDTF the edtf library parses but no page could show, once accepted by the checker and then
    # crashing the upload page, the map and the timeline: now refused everywhere, saying what to write.
    *(Case(f"{name}.{fmt}", maker(_set("when", date)) if fmt != "csv" else
           _csv(lambda rows, date=date: [r.update(when=date) for r in rows]), words, field="when", line=True)
      for name, date, words in (("time-of-day", "1962-04-22T10:00:00", "time of day"),
                                ("season", "1962-21", "season"),
                                ("set", "{1962,1963}", "set of dates"),
                                ("significant-digits", "1962S2", "significant digits"),
                                ("leading-qualifier", "?1962-04-22", "at the end"))
      for fmt, maker in (("yaml", _yaml), ("geojson", _geojson), ("csv", None))),
    # Issue 15: a 400-digit integer coordinate raised OverflowError (checker, upload, ATLAS_CORPUS).
    Case("huge-integer-coordinate.geojson",
         _geojson(lambda p, f, d: (p.pop("place"), f["geometry"].update(coordinates=[10**400, 43]))),
         "not finite numbers", field="geometry", line=True),
    Case("huge-integer-coordinate-known-place.geojson",
         _geojson(lambda p, f, d: f["geometry"].update(coordinates=[80, -(10**400)])),
         "not finite numbers", field="geometry", line=True),
    Case("huge-integer-coordinate.csv", _csv(lambda rows: [r.update(lat="9" * 400, place="") for r in rows]),
         "not finite numbers", field="lat/lon", line=True),
]  # fmt: skip
IDS = [c.name for c in CASES]


def test_at_least_thirty_distinct_hostile_files():
    assert len({c.data for c in CASES}) == len(CASES) >= 30


def _assert_clear(case: Case, problems, events=()) -> None:
    """The case's message is there, names the file, and gives the line or row and field when asked."""
    shown = "\n".join(str(p) for p in problems)
    assert len(events) == case.accepted, shown
    if not case.expect:
        assert not [p for p in problems if p.severity == "error"], shown
        return
    matching = [p for p in problems if case.expect in p.message]
    assert matching, f"{case.expect!r} not in:\n{shown}"
    p = matching[0]
    assert p.path == case.name and str(p).startswith(f"{case.name}:"), p
    assert p.severity == case.severity, p
    if case.line:
        assert p.line and p.line >= 1, p
    if case.field:
        assert case.field in p.field, p
    assert len(p.message) < 600, p  # a message, not a dump


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_checker(case):
    events, problems, _places = check_data(case.name, case.data)
    _assert_clear(case, problems, events)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_upload(case):
    upload = read_upload([(case.name, case.data)], shipped_corpus())
    _assert_clear(case, upload.problems, upload.events)
    assert all(e.origin == "user" for e in upload.events)
    if case.expect and case.severity == "error" and not case.accepted:
        assert upload.rejected() or all(p.item == "-" for p in upload.errors)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_loader(case, tmp_path, monkeypatch):
    """ATLAS_CORPUS naming the bad file: the corpus has the problem, with no traceback."""
    path = tmp_path / case.name
    path.write_bytes(case.data)
    monkeypatch.setenv("ATLAS_CORPUS", str(path))
    corpus = load_corpus()
    if path.suffix == ".exe":
        assert "not a corpus directory or an event file" in corpus.problems[0].message
        return
    # The loader names the file by its path; compare on the file's name.
    problems = [dataclasses.replace(p, path=Path(p.path).name) for p in corpus.problems]
    if case.loader:  # the operator's corpus may be larger than an upload; its content is still checked
        case = dataclasses.replace(case, expect=case.loader, field=None)
    _assert_clear(case, problems, [e for e in corpus.events if e.id not in {x.id for x in shipped_corpus().events}])


def test_loader_on_a_corpus_directory_with_a_bad_event_file(tmp_path):
    import shutil

    root = tmp_path / "corpus"
    shutil.copytree(SHIPPED, root)
    (root / "events" / "bomb.yaml").write_bytes(_BOMB)
    (root / "events" / "deep.yaml").write_bytes(b"[" * 100_000)
    corpus = load_corpus(root)
    messages = {Path(p.path).name: p for p in corpus.problems}
    assert "aliases" in messages["bomb.yaml"].message and messages["bomb.yaml"].line == 2
    assert "nested more than" in messages["deep.yaml"].message
    assert len(corpus.events) == len(shipped_corpus().events)  # the good files still load


@pytest.mark.parametrize(
    "name",
    ["bomb.yaml", "deep.json", "zip-renamed.csv", "swapped.geojson", "huge.geojson", "season.yaml",
     "time-of-day.csv", "huge-integer-coordinate.geojson"],
)  # fmt: skip
def test_command_line_checker(name, tmp_path):
    case = next(c for c in CASES if c.name == name)
    path = tmp_path / name
    path.write_bytes(case.data)
    result = subprocess.run([sys.executable, "-m", "events", "check", str(path)], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert case.expect in result.stdout and str(path) in result.stdout


def test_csv_export_neutralises_the_hostile_formulas():
    """Formulas uploaded as titles come out of the CSV export as text a spreadsheet will not run."""
    case = next(c for c in CASES if c.name == "formulas.csv")
    upload = read_upload([(case.name, case.data)], shipped_corpus())
    [event] = upload.events
    assert event.title["en"] in FORMULAS  # kept as the user wrote it: it is only text in the atlas
    out = io.StringIO()
    write_csv(Corpus(shipped_corpus().sources, shipped_corpus().places, [event], [], None), out)
    for row in csv.DictReader(io.StringIO(out.getvalue())):
        for column in ("title_en", "title_zh", "gloss_en"):
            assert row[column][0] == "'" and row[column][1:] in FORMULAS, row[column]
    # and the round trip gives the user's text back, without the quote
    again = check_data("again.csv", out.getvalue().encode("utf-8"))[0]
    assert again[0].title == event.title


def test_error_report_neutralises_formulas():
    problems = read_upload([("=HYPERLINK(1).csv", b"")], shipped_corpus()).problems
    report = list(csv.reader(io.StringIO(report_csv(problems))))
    assert report[0] == ["file", "line", "id", "field", "severity", "message"]
    assert report[1][0] == "'=HYPERLINK(1).csv"


def test_html_in_every_field_is_escaped_in_the_panel_and_the_tooltip():
    from i18n import translator
    from render.eventfile import event_features
    from render.panel import event_panel

    case = next(c for c in CASES if c.name == "html.geojson")
    upload = read_upload([(case.name, case.data)], shipped_corpus())
    [event] = upload.events
    for lang in ("en", "zh"):
        html = event_panel(event, shipped_corpus().sources, XSS, "ili", lang, translator(lang))
        tip = event_features([event], lang, lambda e: XSS)["features"][0]["properties"]["tip"]
        for text in (html, tip):
            assert "<script" not in text and "<img" not in text and "`" not in text and "${" not in text
            assert "{{" not in text and "</script" not in text
        assert "&lt;img src=x onerror=window.pwned=1&gt;" in html


def _digests() -> dict[str, str]:
    files = [*sorted(SHIPPED.rglob("*")), ROOT / "geo" / "gazetteer.yaml"]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


def test_an_upload_changes_neither_the_shipped_files_nor_the_cached_corpus():
    from events.upload import merged

    before_files = _digests()
    shipped = shipped_corpus()
    before = (list(shipped.events), dict(shipped.sources), dict(shipped.places), list(shipped.problems))
    files = [("mine.txt", b"A text of my own.")] + [(c.name, c.data) for c in CASES]
    upload = read_upload(files[:20], shipped)
    good = read_upload([("bom.geojson", b"\xef\xbb\xbf" + _geojson())], shipped)
    combined = merged(shipped, good)
    assert len(combined.events) == len(shipped.events) + 1 and combined.events is not shipped.events
    assert upload.problems
    assert shipped_corpus() is shipped
    assert (shipped.events, shipped.sources, shipped.places, shipped.problems) == before
    assert all(e.origin == "corpus" for e in shipped.events)
    assert _digests() == before_files


def test_an_id_that_clashes_with_a_shipped_event_is_a_problem_not_an_override():
    shipped = shipped_corpus()
    taken = shipped.events[0]
    data = _geojson(lambda p, f, d: (p.update(id=taken.id), f.update(id=taken.id)))
    upload = read_upload([("clash.geojson", data)], shipped)
    assert not upload.events
    [p] = [p for p in upload.problems if p.item == taken.id]
    assert p.field == "id" and "already has an event with this id" in p.message and p.line
    assert shipped.event(taken.id) is taken


def test_an_uploaded_text_verifies_excerpts_that_cite_it():
    text = "In 1962 my grandmother crossed at Khorgos with two goats."
    data = _geojson(_set("excerpts", [{"source": "grandmother", "text": "crossed at Khorgos", "start": 23,
                                       "end": 41}]))  # fmt: skip
    upload = read_upload([("grandmother.txt", text.encode()), ("mine.geojson", data)], shipped_corpus())
    [event] = upload.events
    assert event.excerpts[0].verified and not upload.problems
    wrong = read_upload([("grandmother.txt", b"Another story."), ("mine.geojson", data)], shipped_corpus())
    assert not wrong.events and "not found verbatim in grandmother" in wrong.errors[0].message


def test_too_many_files_and_too_many_events_in_all():
    from events.upload import MAX_FILES

    files = [(f"f{i}.geojson", _geojson(_set("id", f"e-{i}"))) for i in range(MAX_FILES + 2)]
    upload = read_upload(files, shipped_corpus())
    assert len(upload.events) == MAX_FILES
    assert any(f"more than {MAX_FILES} files" in p.message and p.path == f"f{MAX_FILES}.geojson"
               for p in upload.problems)  # fmt: skip
