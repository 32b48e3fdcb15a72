"""Loading and checking a corpus: sources, places and events, with every problem reported."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from datafiles.dates import DateError, parse_when
from datafiles.problems import DataFileError, Problem, rel
from datafiles.yamlfile import CONTROL, inside, line_of, read_limited, read_yaml
from events.bibliography import FILE as BIBLIOGRAPHY
from events.bibliography import Reference, load_bibliography
from events.model import Event, Excerpt, Note
from events.query import EventColumns, year_span
from events.rules import editorial_problems
from events.sources import READINGS, SOURCE_MAX_BYTES, Source
from events.support import certainty_of, support_of
from geo.areas import load_areas, regions_of
from geo.gazetteer import GAZETTEER, Place, load_places
from geo.regions import REGIONS_FILE, assign_regions, load_regions

_log = logging.getLogger(__name__)

PACKAGE = Path(__file__).parent
SHIPPED = PACKAGE / "corpus"
MAX_EVENTS = 20_000  # events in one file or one upload: the map stays usable in a browser
SCHEMA = json.loads((PACKAGE / "schema" / "events.schema.json").read_text(encoding="utf-8"))


def _inline_refs(node, defs: dict, seen: tuple = ()):
    """The schema with each `$ref` to `#/$defs/…` replaced by its definition (siblings kept, under allOf):
    the same checks and messages at half the cost per event, for jsonschema then never resolves a
    reference (measured: 0.40 ms an event with references, 0.22 ms inlined; 100,000 events, 18 s)."""
    if isinstance(node, list):
        return [_inline_refs(v, defs, seen) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs:
        name = ref[8:]
        if name in seen:
            raise RecursionError(name)  # a recursive schema stays with its references
        target = _inline_refs(defs[name], defs, (*seen, name))
        rest = {k: _inline_refs(v, defs, seen) for k, v in node.items() if k != "$ref"}
        return {"allOf": [target], **rest} if rest else target
    return {k: _inline_refs(v, defs, seen) for k, v in node.items()}


try:
    _EVENT_VALIDATOR = Draft202012Validator(_inline_refs(SCHEMA["$defs"]["event"], SCHEMA["$defs"]))
except RecursionError:
    _EVENT_VALIDATOR = Draft202012Validator(
        {"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": "#/$defs/event"}
    )


@dataclass
class Corpus:
    """Sources, places and events, with every problem found reading them; what every page shows."""

    sources: dict[str, Source]
    places: dict[str, Place]
    events: list[Event]
    problems: list[Problem] = field(default_factory=list)
    root: Path | None = None
    bibliography: dict[str, Reference] = field(default_factory=dict)

    def event(self, event_id: str) -> Event | None:
        """The event with this id, or None."""
        return self._by_id().get(event_id)

    def _by_id(self) -> dict[str, Event]:
        cache = self.__dict__.setdefault("_index", {})
        if len(cache) != len(self.events):
            cache.clear()
            cache.update((e.id, e) for e in self.events)
        return cache

    @cached_property
    def span(self) -> tuple[int, int]:
        """The first and last year of its events, for the years slider (once: a corpus's events do not change)."""
        return year_span(self.events)

    @cached_property
    def columns(self) -> EventColumns:
        """Its events as columns, for filtering thousands at once (built once)."""
        return EventColumns(self.events)

    @property
    def errors(self) -> list[Problem]:
        """The problems that kept something out (not merely an unverified excerpt)."""
        return [p for p in self.problems if p.severity == "error"]


def load_sources(root: Path) -> tuple[dict[str, Source], list[Problem]]:
    """The documents listed in `root`/sources.yaml, each with its text file, and a problem for each that is missing
    or altered."""
    meta = root / "sources.yaml"
    label = rel(meta)
    if not inside(meta, root):
        return {}, [_outside(meta, root)]
    try:
        data, lines = read_yaml(meta, label=label)
    except DataFileError as exc:
        return {}, exc.problems
    if not isinstance(data, list):
        return {}, [Problem(label, 1, "-", "-", "sources.yaml is a list of documents")]
    sources, problems = {}, []
    known = {f for f in Source.__dataclass_fields__ if f not in ("path", "extra", "content")} | {"file"}
    for i, entry in enumerate(data):
        sid = entry.get("id") if isinstance(entry, dict) else None
        missing = [f for f in ("id", "title", "language", "kind") if not isinstance(entry, dict) or not entry.get(f)]
        if missing:
            problems.append(Problem(label, line_of(lines, (i,)), str(sid or "-"), missing[0], "missing"))
            continue
        reading = entry.get("reading", "plain")
        if reading not in READINGS:
            problems.append(
                Problem(label, line_of(lines, (i, "reading")), sid, "reading", f"must be one of {READINGS}")
            )
            continue
        file = entry.get("file")
        path = root / file if isinstance(file, str) and file and "\x00" not in file else None
        fields = {k: v for k, v in entry.items() if k in known and k != "file"}
        if file is not None and path is None:
            problems.append(Problem(label, line_of(lines, (i, "file")), sid, "file",
                                    f"{file!r} is not a file name inside the corpus"))  # fmt: skip
            fields.pop("sha256", None)
        elif path is not None and not inside(path, root):
            problems.append(Problem(label, line_of(lines, (i, "file")), sid, "file",
                                    f"{file!r} is outside the corpus directory ({rel(root)}): a source text must "
                                    "be a file inside it; it is not read"))  # fmt: skip
            fields.pop("sha256", None)
            path = None
        source = Source(**{**fields, "path": path, "reading": reading})
        if path is not None and not path.exists():
            line = line_of(lines, (i, "file"))
            problems.append(Problem(rel(path), None, sid, "-", f"no such file (named by {label}:{line})"))
        elif path is not None and (why := _unreadable_text(path)):
            problems.append(Problem(rel(path), why[0], sid, "-", f"{why[1]}; its excerpts cannot be checked or shown"))
            fields.pop("sha256", None)
            source = Source(**{**fields, "path": None, "reading": reading})
        elif path is not None and source.sha256 and source.digest() != source.sha256:
            problems.append(
                Problem(
                    label,
                    line_of(lines, (i, "sha256")),
                    sid,
                    "sha256",
                    "the text differs from the document as received",
                )
            )
        if sid in sources:
            problems.append(Problem(label, line_of(lines, (i, "id")), sid, "id", "duplicate source id"))
        sources[sid] = source
    return sources, problems


def _unreadable_text(path: Path) -> tuple[int | None, str] | None:
    """(line, why) if a source text file cannot be read as UTF-8 text, else None."""
    try:
        raw = read_limited(path, rel(path), SOURCE_MAX_BYTES)
    except DataFileError as exc:
        return None, exc.problems[0].message
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return raw[: exc.start].count(b"\n") + 1, f"not UTF-8 text (byte {exc.start})"
    return None


def _strings(value, path: tuple = ()):
    """Every string in a parsed event, with its field path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, path + (i,))


def _schema_message(err) -> str:
    """A schema error in a curator's words, never quoting a whole long value."""
    value = err.instance
    if err.validator == "maxLength":
        return f"is too long: {len(value):,} characters; the limit is {err.validator_value:,}"
    if err.validator == "type":
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:60] + "…"
        return f"{shown} is not of type {err.validator_value!r}"
    return err.message if len(err.message) < 300 else err.message[:300] + "…"


def _field_name(path) -> str:
    return ".".join(str(p) for p in path) or "-"


def check_excerpt(ex: dict, source: Source | None) -> tuple[bool, str | None, str]:
    """(verified, message, severity) for one excerpt mapping already shaped by the schema."""
    if source is None or not source.available:
        return False, f"source {ex['source']!r} text is not available: excerpt unverified", "unverified"
    text, start, end = source.text, ex["start"], ex["end"]
    if start < end <= len(text) and text[start:end] == ex["text"]:
        return True, None, "error"
    spans = source.locate(ex["text"])
    if spans:
        where = ", ".join(f"start: {a}, end: {b}" for a, b in spans[:3])
        return False, f"the passage is in {ex['source']} but not at {start}-{end}; it stands at {where}", "error"
    return False, f"the passage is not found verbatim in {ex['source']} (forged, paraphrased or mistyped?)", "error"


def build_event(
    raw,
    label: str,
    line: int | None,
    lines_for,
    sources: dict[str, Source],
    places: dict[str, Place],
    origin: str,
    bibliography: dict[str, Reference] | None = None,
    curated: bool = False,
) -> tuple[Event | None, list[Problem]]:
    """Validate one event mapping; return the Event (or None) and its problems.

    `lines_for(path)` gives the line of a field path inside this event. Its support and certainty are
    computed from its excerpts and their sources' kinds (events.support); the editorial rules
    (events.rules) are checked against the gazetteer and the `bibliography`: all of them for a
    `curated` corpus directory (the shipped one, or one laid out like it), only the rules of form for an
    upload or an event file.
    """
    eid = str(raw.get("id", "-")) if isinstance(raw, dict) else "-"
    problems: list[Problem] = []

    def problem(fpath: tuple, message: str, severity: str = "error") -> None:
        problems.append(Problem(label, lines_for(fpath) or line, eid, _field_name(fpath), message, severity))

    if isinstance(raw, dict) and "certainty" in raw:
        problem(
            ("certainty",),
            "certainty is computed from the excerpts and the kinds of their sources; remove this field",
        )
        raw = {k: v for k, v in raw.items() if k != "certainty"}
    for err in sorted(_EVENT_VALIDATOR.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path))):
        fpath = tuple(err.absolute_path)
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else "-"
            problem(fpath + (missing,), "missing")
        elif err.validator == "additionalProperties":
            problem(fpath, f"unknown field: {err.message.split('(')[-1].rstrip(')')}")
        else:
            problem(fpath, _schema_message(err))
    if problems:
        return None, problems
    for fpath, text in _strings(raw):
        bad = CONTROL.search(text)
        if bad:
            problem(fpath, f"contains control character {ord(bad.group()):#04x} at character {bad.start()}")
    if problems:
        return None, problems

    try:
        when = parse_when(raw["when"])
    except DateError as exc:
        problem(("when",), str(exc))
        when = None
    place = places.get(raw["place"])
    if place is None:
        problem(("place",), f"unknown place {raw['place']!r}: add it to the gazetteer first")
    excerpts = []
    for k, ex in enumerate(raw["excerpts"]):
        if ex["source"] not in sources:
            problem(("excerpts", k, "source"), f"unknown source {ex['source']!r}", "unverified")
        verified, message, severity = check_excerpt(ex, sources.get(ex["source"]))
        if message:
            problem(("excerpts", k, "text" if severity == "error" else "source"), message, severity)
        excerpts.append(
            Excerpt(
                ex["source"],
                ex["text"],
                ex["start"],
                ex["end"],
                ex.get("claim"),
                ex.get("gloss") or {},
                verified,
                ex.get("role", "supports"),
            )
        )
    disputed = bool(raw.get("disputed", False))
    if disputed and sum(1 for ex in raw["excerpts"] if ex.get("claim")) < 2:
        problem(("disputed",), "a disputed event needs at least two excerpts, each with its claim")
    elif disputed:
        for k, ex in enumerate(raw["excerpts"]):
            if not ex.get("claim"):
                problem(
                    ("excerpts", k, "claim"),
                    "every excerpt of a disputed event says whose claim it is (claim: {en, zh})",
                )
    for fpath, message in editorial_problems(raw, place, places, bibliography, corpus=curated):
        problem(fpath, message)
    if any(p.severity == "error" for p in problems) or when is None or place is None:
        return None, problems
    kind_of = {sid: s.kind for sid, s in sources.items()}
    support = support_of(excerpts, kind_of, disputed)
    notes = tuple(Note(n["kind"], n["text"], n["ref"], n["pages"]) for n in raw.get("notes") or ())
    event = Event(
        id=raw["id"],
        title=raw["title"],
        when=when,
        place=place.id,
        lon=place.lon,
        lat=place.lat,
        category=raw["category"],
        certainty=certainty_of(support),
        excerpts=tuple(excerpts),
        disputed=disputed,
        summary=raw.get("summary"),
        notes=notes,
        stands_for=raw.get("stands_for"),
        area=(place.geometry or place.id) if place.kind == "area" else None,
        support=support,
        origin=origin,
        file=label,
        line=line,
    )
    return event, problems


def load_event_file(
    path: Path | None,
    sources: dict[str, Source],
    places: dict[str, Place],
    origin: str = "corpus",
    label: str | None = None,
    data: bytes | None = None,
    bibliography: dict[str, Reference] | None = None,
    curated: bool = False,
) -> tuple[list[Event], list[Problem]]:
    """The events of a YAML event file, or of the `data` bytes of an upload named `label`."""
    label = label or rel(path)
    try:
        data, lines = read_yaml(path, label=label, data=data)
    except DataFileError as exc:
        return [], exc.problems
    if not isinstance(data, list):
        return [], [Problem(label, 1, "-", "-", "an event file is a list of events (each starting with '- id:')")]
    if len(data) > MAX_EVENTS:
        return [], [Problem(label, None, "-", "-", f"the file has {len(data):,} events; the limit is {MAX_EVENTS:,}")]
    events, problems = [], []
    for i, raw in enumerate(data):
        event, found = build_event(
            raw,
            label,
            line_of(lines, (i,)),
            lambda p, i=i: line_of(lines, (i, *p)),
            sources,
            places,
            origin,
            bibliography,
            curated,
        )
        problems += found
        if event is not None:
            events.append(event)
    return events, problems


def with_regions(events: list[Event]) -> list[Event]:
    """Give each event the regions its place lies in (spatially, never typed by hand): the region its
    point falls in, or, for an event drawn as an area, every region the area meets."""
    if not events:
        return events
    ids = assign_regions([e.lon for e in events], [e.lat for e in events])
    out = []
    for e, r in zip(events, ids, strict=True):
        regions = (area_regions(e.area) if e.area else ()) or (str(r),)
        out.append(replace(e, region=regions[0], regions=regions))
    return out


@lru_cache(maxsize=1024)  # an area's regions are fixed: one intersection per area, not per event (4 ms each)
def area_regions(area: str) -> tuple[str, ...]:
    """The regions an area meets (none if its polygon or the regions layer cannot be read: the
    gazetteer and regions_problems report those files)."""
    try:
        geometry = load_areas().get(area)
        return regions_of(geometry) if geometry is not None else ()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        _log.warning("cannot place area %s in the regions: %s", area, exc)
        return ()


def regions_problems() -> list[Problem]:
    """A problem if the regions layer cannot be read (events then all fall 'elsewhere')."""
    try:
        load_regions()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [
            Problem(
                rel(REGIONS_FILE),
                None,
                "-",
                "-",
                f"cannot read the regions layer ({exc}); the region filter is unavailable",
            )
        ]
    return []


def dedupe(events: list[Event], problems: list[Problem]) -> list[Event]:
    """The events without a repeated id (the first stays); each repeat is added to `problems`, naming where the
    first is."""
    seen: dict[str, Event] = {}
    for event in events:
        if event.id in seen:
            first = seen[event.id]
            problems.append(
                Problem(
                    event.file, event.line, event.id, "id", f"duplicate event id (first at {first.file}:{first.line})"
                )
            )
            continue
        seen[event.id] = event
    return list(seen.values())


def _outside(path: Path, root: Path) -> Problem:
    return Problem(rel(path), None, "-", "-", f"resolves outside the corpus directory ({rel(root)}), to "
                   f"{path.resolve()}: a corpus's files must be inside it; it is not read")  # fmt: skip


def load_corpus_dir(root: Path) -> Corpus:
    """A corpus directory: sources.yaml, sources/*.txt, events/*.yaml and optionally places.yaml."""
    sources, problems = load_sources(root)
    places, found = load_places(GAZETTEER, label=rel(GAZETTEER))
    problems += found
    if not inside(root / "places.yaml", root):
        problems.append(_outside(root / "places.yaml", root))
    elif (root / "places.yaml").exists():
        own, found = load_places(root / "places.yaml", label=rel(root / "places.yaml"))
        places = {**places, **own}
        problems += found
    files = sorted((root / "events").glob("*.yaml")) + sorted((root / "events").glob("*.yml"))
    problems += [_outside(path, root) for path in files if not inside(path, root)]
    files = [path for path in files if inside(path, root)]
    if not files:
        problems.append(Problem(rel(root / "events"), None, "-", "-", "no event files (*.yaml) found"))
    if inside(root / BIBLIOGRAPHY, root):
        bibliography, found = load_bibliography(root / BIBLIOGRAPHY, label=rel(root / BIBLIOGRAPHY))
        problems += found
    else:
        bibliography = {}
        problems.append(_outside(root / BIBLIOGRAPHY, root))
    events: list[Event] = []
    for path in files:
        found_events, found = load_event_file(path, sources, places, bibliography=bibliography, curated=True)
        events += found_events
        problems += found
    events = dedupe(events, problems)
    problems += regions_problems()
    return Corpus(sources, places, with_regions(events), problems, root, bibliography)


@lru_cache(maxsize=1)
def shipped_corpus() -> Corpus:
    """The package's own corpus (events/corpus), loaded once per process: the sources and gazetteer that
    event files and uploads are checked against."""
    return load_corpus_dir(SHIPPED)
