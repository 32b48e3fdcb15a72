"""A reader's own events: uploaded files checked by the corpus's own checker, kept apart from the corpus.

Nothing here touches the shipped corpus: `merged` builds a new Corpus whose lists and dicts are new,
holding the shipped events and sources (shared, immutable) and the reader's.

`check_apart` checks an upload in a worker process: checking is pure Python, and in the server's
process it would hold the interpreter (the GIL) from every other reader's session for as long as it
takes (a 4.9 MB upload once slowed every other session's p95 from 0.16 to 1.64 s). The uploaded bytes
go to the worker through a pipe and the checked events come back the same way: nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from datafiles.problems import DataFileError, Problem
from datafiles.yamlfile import decode
from events.corpora import load_corpus
from events.interchange import FORMATS, MAX_BYTES, neutralise, read_events
from events.loader import MAX_EVENTS, Corpus, dedupe
from events.model import Event
from events.sheet import is_sheet, read_sheet, source_name_id
from events.sources import Source
from i18n import translator

MAX_FILES = 20  # event files and source texts in one upload
TEXT_SUFFIXES = (".txt",)
SHEET_SUFFIXES = (".xlsx",)  # a teacher's sheet; a .csv is one unless it is the export's (events.sheet)
ACCEPTED = tuple(s.lstrip(".") for s in (*FORMATS, *SHEET_SUFFIXES, *TEXT_SUFFIXES))


@dataclass(frozen=True)
class Upload:
    """What a reader uploaded: the events that passed every check, the reader's source texts, the places
    built from the files' own coordinates, and every problem found (none is dropped)."""

    files: tuple[str, ...]
    events: tuple[Event, ...]
    problems: tuple[Problem, ...]
    sources: dict[str, Source] = field(default_factory=dict)
    places: dict = field(default_factory=dict)
    token: str = ""  # a hash of the files' names and bytes: the same upload gives the same token
    rows_read: int = 0  # the events (a sheet's rows) the event files hold: added + left out

    @property
    def added(self) -> int:
        """How many events were added to the map."""
        return len(self.events)

    @property
    def left_out(self) -> int:
        """How many events (a sheet's rows) were left out, each listed once by `rejected()`."""
        return len(self.rejected())

    @property
    def errors(self) -> list[Problem]:
        """The problems that kept an event or a file out."""
        return [p for p in self.problems if p.severity == "error"]

    def used(self, name: str) -> bool:
        """Whether anything of the file `name` was taken: an event of it is on the map, it is a source text
        the atlas holds, or no error was found in it (a sheet of comment rows only)."""
        if any(e.file == name for e in self.events):
            return True
        if Path(name).suffix.lower() in TEXT_SUFFIXES:
            return source_id(name) in self.sources
        return not any(p.path == name for p in self.errors)

    def rejected(self) -> list[Problem]:
        """One problem per event (a sheet's row) that was left out: its first error, in file order."""
        accepted = {(e.file, e.id) for e in self.events}
        seen, out = set(), []
        for p in self.errors:
            key = (p.path, p.item)
            if p.item != "-" and key not in accepted and key not in seen:
                seen.add(key)
                out.append(p)
        return out


def source_id(name: str) -> str:
    """The source id an uploaded text file stands for: its name without .txt, as a slug (the one rule a
    sheet's `source` cell is read by too)."""
    return source_name_id(name)


def _text_source(name: str, data: bytes, shipped: Corpus, _) -> tuple[Source | None, list[Problem]]:
    sid = source_id(name)
    if sid in shipped.sources:
        message = _("a source named '{id}' ships with the atlas; rename your file to cite your own text", id=sid)
        return None, [Problem(name, None, sid, "-", message)]
    try:
        text = decode(data, name, MAX_BYTES)
    except DataFileError as exc:
        return None, exc.problems
    source = Source(id=sid, title=name, path=None, language="und", kind="uploaded-text", content=text,
                    note="Uploaded by the reader in this session; not part of the atlas's corpus.")  # fmt: skip
    return source, []


def upload_token(files: list[tuple[str, bytes]]) -> str:
    """A hash of the files' names and bytes: the same files give the same token."""
    token = hashlib.sha256()
    for name, data in files:
        token.update(hashlib.sha256(name.encode("utf-8", "replace")).digest() + hashlib.sha256(data).digest())
    return token.hexdigest()


def read_upload(files: list[tuple[str, bytes]], shipped: Corpus, lang: str = "en") -> Upload:
    """Check uploaded files, `(name, bytes)` each: event files (.geojson, .json, .csv, .yaml), teachers'
    sheets (.csv, .xlsx: events.sheet, whose problems are in `lang`) and source texts (.txt) that their
    excerpts and quotes may cite by file name. The shipped corpus is only read."""
    token = upload_token(files)
    _ = translator(lang)
    problems: list[Problem] = []
    if len(files) > MAX_FILES:
        problems.append(Problem(files[MAX_FILES][0], None, "-", "-",
                                _("more than {n} files at once: this file and the ones after it are not read",
                                  n=MAX_FILES)))  # fmt: skip
        files = files[:MAX_FILES]
    texts = [(n, d) for n, d in files if Path(n).suffix.lower() in TEXT_SUFFIXES]
    event_files = [(n, d) for n, d in files if Path(n).suffix.lower() not in TEXT_SUFFIXES]
    sources: dict[str, Source] = {}
    for name, data in texts:
        source, found = _text_source(name, data, shipped, _)
        problems += found
        if source is not None and source.id in sources:
            problems.append(Problem(name, None, source.id, "-", _("two uploaded texts are both the source '{id}'; "
                                                                  "rename one of them", id=source.id)))  # fmt: skip
        elif source is not None:
            sources[source.id] = source
    checking = Corpus({**shipped.sources, **sources}, dict(shipped.places), [], [], shipped.root, shipped.bibliography)
    events: list[Event] = []
    places: dict = {}
    rows_read = 0
    taken = {e.id for e in shipped.events}
    for name, data in event_files:
        if is_sheet(name, data):
            sheet = read_sheet(name, data, checking, lang, taken)
            found_events, found, new_places = sheet.events, sheet.problems, sheet.places
            sources.update(sheet.sources)
            rows = sheet.rows_read
        else:
            found_events, found, new_places = read_events(None, checking, label=name, origin="user", data=data)
            kept = {e.id for e in found_events}
            rows = len(kept) + len({p.item for p in found if p.severity == "error" and p.item not in kept | {"-"}})
        problems += found
        taken.update(e.id for e in found_events)
        if len(events) + len(found_events) > MAX_EVENTS:
            problems.append(Problem(name, None, "-", "-", _("with this file your events would number {n}; the "
                                                            "limit is {limit}: none of its events are added",
                                                            n=f"{len(events) + len(found_events):,}",
                                                            limit=f"{MAX_EVENTS:,}")))  # fmt: skip
            continue
        rows_read += rows
        for event in found_events:
            shipped_event = shipped.event(event.id)
            if shipped_event is not None:
                problems.append(Problem(name, event.line, event.id, "id",
                                        f"the atlas already has an event with this id ({shipped_event.file}:"
                                        f"{shipped_event.line}); give yours another id"))  # fmt: skip
                continue
            events.append(event)
            if event.place in new_places:
                places[event.place] = new_places[event.place]
    events = dedupe(events, problems)
    problems = [p.translated(_) for p in problems]  # a whole file's problems (empty, binary…) in `lang` too
    return Upload(tuple(f[0] for f in files), tuple(events), tuple(problems), sources, places, token, rows_read)


def merged(shipped: Corpus, upload: Upload) -> Corpus:
    """A new corpus: the shipped one and the reader's events, sources and places (the shipped is unchanged)."""
    return Corpus(
        {**shipped.sources, **upload.sources},
        {**shipped.places, **upload.places},
        [*shipped.events, *upload.events],
        list(shipped.problems),
        shipped.root,
        shipped.bibliography,
    )


_log = logging.getLogger(__name__)
_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
_WARMED: set[str | None] = set()


def _pool() -> ProcessPoolExecutor:
    """One worker process for every session's uploads: one core of two stays the server's. Started
    ("spawn") from a fresh interpreter, never forked from the server's threads."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_yield_to_readers)  # fmt: skip
        return _POOL


def _yield_to_readers() -> None:
    """In the worker: a lower priority (nice 10), so that the server's sessions get a core first."""
    try:
        os.nice(10)
    except OSError:
        pass


@lru_cache(maxsize=2)
def _worker_corpus(path: str | None) -> Corpus:
    return load_corpus(path)


def _check(files: list[tuple[str, bytes]], path: str | None, lang: str = "en") -> Upload:
    return read_upload(files, _worker_corpus(path), lang)


def _ready(path: str | None) -> bool:
    _worker_corpus(path)
    return True


def warm(path: str | None) -> None:
    """Start the worker and let it open the corpus at `path` (None: $ATLAS_CORPUS or the shipped one)
    ahead of a first upload; returns at once (once per process and path)."""
    if path in _WARMED:
        return
    _WARMED.add(path)
    try:
        _pool().submit(_ready, path)
    except (BrokenProcessPool, OSError, RuntimeError) as exc:
        _log.warning("cannot start the upload checker: %s", exc)


def check_apart(files: list[tuple[str, bytes]], path: str | None, shipped: Corpus, lang: str = "en") -> Upload:
    """`read_upload(files, the corpus at path, lang)`, run in the worker process; `shipped` is that corpus as
    this process has it, used only if no worker can run (then the check runs here, as before)."""
    global _POOL
    try:
        return _pool().submit(_check, files, path, lang).result()
    except (BrokenProcessPool, OSError, RuntimeError) as exc:  # the worker died (killed, out of memory)
        _log.warning("the upload checker failed (%s); checking in the server's process", exc)
        with _POOL_LOCK:
            _POOL = None
        return read_upload(files, shipped, lang)


REPORT_COLUMNS = ["file", "line", "id", "field", "severity", "message"]


def report_csv(problems: list[Problem] | tuple[Problem, ...]) -> str:
    """The problems as CSV for a spreadsheet (cells that would run as a formula are neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for p in problems:
        writer.writerow([neutralise(c) for c in (p.path, p.line or "", p.item, p.field, p.severity, p.message)])
    return out.getvalue()


def report_text(problems: list[Problem] | tuple[Problem, ...]) -> str:
    """The problems as `python -m events check` prints them, one a line."""
    return "".join(f"{p}\n" for p in problems)
