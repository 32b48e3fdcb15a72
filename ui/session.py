"""The corpus this session sees, and what is derived from it.

This is the one place that chooses between the shipped corpus (the one at $ATLAS_CORPUS or the
package's own: loaded, checked and indexed once per process and shared by every session) and a
corpus with this session's uploaded events (built for this session only, never shared, never
saved: the session's events are held in its memory, never written to disk or published at a URL).
Everything derived from a corpus (search index, published map file, list-view table) goes through
`derived`, which keeps it where its corpus lives.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pyarrow as pa
import streamlit as st

from events.corpora import load_corpus
from events.lessons import load_lessons
from events.loader import Corpus
from events.search import SearchIndex
from events.table import events_frame
from events.upload import MAX_FILES, check_apart, merged, warm
from geo.flows import flows_or_problems
from geo.regions import region_names
from render.eventfile import publish, with_own
from ui.memo import per_process

USER = "user_upload"  # session state: this session's events.upload.Upload, never shared, never saved
_VIEWS = "_user_views"  # session state: the merged corpus and what is derived from it
_FILES = "_user_files"  # session state: the (name, bytes) of the files the session's upload was read from
_LANG = "_user_lang"  # session state: the interface language the upload's problems were written in


@per_process
def _load(path: str | None) -> Corpus:
    return load_corpus(path)


def _path() -> str | None:
    return os.environ.get("ATLAS_CORPUS") or None


def shipped() -> Corpus:
    """The corpus at $ATLAS_CORPUS or the shipped one: loaded, checked and indexed once per process."""
    return _load(_path())


def user_upload():
    """This session's uploaded events (events.upload.Upload), or None."""
    return st.session_state.get(USER)


def warm_checker() -> None:
    """Start the upload checker's worker process (events.upload) with this server's corpus, ahead of a first upload."""
    warm(_path())


def check_upload(files: list[tuple[str, bytes]], lang: str = "en"):
    """Check a reader's files (events.upload.read_upload) in the worker process, apart from the server's
    sessions, against the corpus this server shows; problems in the reader's language `lang`."""
    return check_apart(files, _path(), shipped(), lang)


def upload_files() -> list[tuple[str, bytes]]:
    """The (name, bytes) of the files this session's events were read from (a lesson bundle carries them)."""
    return list(st.session_state.get(_FILES) or [])


@dataclass
class Offer:
    """What became of files a reader chose, given the files the session holds: the files to hold now,
    and, by name, those added, those already held as they are, those whose name a held file has with
    other bytes (kept aside: replacing is the reader's explicit choice), and those refused (too many)."""

    files: list[tuple[str, bytes]]
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    clashes: list[tuple[str, bytes]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def offer(held: list[tuple[str, bytes]], chosen: list[tuple[str, bytes]], limit: int = MAX_FILES) -> Offer:
    """Add the chosen files to the held ones: a new name is added (while fewer than `limit` are held),
    the same name with the same bytes changes nothing, the same name with other bytes is a clash."""
    result = Offer(list(held))
    bytes_of = dict(held)
    for name, data in chosen:
        if name in bytes_of and bytes_of[name] == data:
            result.unchanged.append(name)
        elif name in bytes_of:
            result.clashes.append((name, data))
        elif len(result.files) >= limit:
            result.refused.append(name)
        else:
            result.files.append((name, data))
            result.added.append(name)
            bytes_of[name] = data
    return result


CLASHES = "_upload_clashes"  # session state: files whose name a held file has, (name, bytes), until the reader decides


def waiting() -> list[tuple[str, bytes]]:
    """The files kept aside for the reader's choice, (name, bytes) each, oldest first."""
    return list(st.session_state.get(CLASHES, []))


def wait_for_choice(name: str, data: bytes) -> None:
    """Keep a file whose name a held file has aside, for the reader to replace the held one with it or not
    (the Your events page asks); a newer file of that name takes the older one's place."""
    chosen(name)
    st.session_state[CLASHES] = [*waiting(), (name, data)]


def chosen(name: str) -> None:
    """The reader chose (replace or keep) for the file of this name kept aside: it waits no longer."""
    st.session_state[CLASHES] = [c for c in waiting() if c[0] != name]


def replaced(held: list[tuple[str, bytes]], name: str, data: bytes) -> list[tuple[str, bytes]]:
    """The held files with the one named `name` replaced by `data`, in its place."""
    return [(n, data if n == name else d) for n, d in held]


def hold(files: list[tuple[str, bytes]], lang: str) -> None:
    """Check these files together (a sheet may quote a text held from an earlier upload) and keep them
    and their events for this session; no files removes the session's events."""
    if files:
        set_user_upload(check_upload(files, lang), files)
        st.session_state[_LANG] = lang
    else:
        set_user_upload(None)


def checked_in() -> str | None:
    """The language the session's upload was checked in (its problems' language), or None."""
    return st.session_state.get(_LANG) if user_upload() is not None else None


def set_user_upload(upload, files: list[tuple[str, bytes]] | None = None) -> None:
    """Keep an upload, and the files it was read from, for this session only (None removes both); the years
    widen to show its events."""
    st.session_state[USER] = upload
    st.session_state[_FILES] = list(files or []) if upload is not None else []
    st.session_state.pop(_VIEWS, None)
    st.session_state["_widen_years"] = True
    if upload is None and st.session_state.get("event") and shipped().event(st.session_state["event"]) is None:
        st.session_state.pop("event", None)


def corpus() -> Corpus:
    """The corpus this session sees: the cached shipped corpus itself while the session has no events of
    its own (the fast path), else a corpus holding the shipped events and the session's."""
    base, upload = shipped(), user_upload()
    if upload is None or not upload.events:
        return base
    return _session_views(base, upload)["corpus"]


def _session_views(base: Corpus, upload) -> dict:
    """Per session: the merged corpus, and what `derived` has built from it."""
    key = (upload.token, id(base))
    views = st.session_state.get(_VIEWS)
    if views is None or views["key"] != key:
        views = {"key": key, "corpus": merged(base, upload)}
        st.session_state[_VIEWS] = views
    return views


@per_process
def _shipped_derived(path: str | None, build, args: tuple):
    return build(_load(path), *args)


def derived(c: Corpus, build, *args):
    """`build(c, *args)`, built once where `c` lives: per process for the shipped corpus (every session
    shares it), per session for a corpus with the session's own events. `build` is a module-level
    function and `args` are hashable."""
    if c is shipped():
        return _shipped_derived(_path(), build, args)
    views = _session_views(shipped(), user_upload())
    if (build, args) not in views:
        views[build, args] = build(c, *args)
    return views[build, args]


def _index(c: Corpus) -> SearchIndex:
    return SearchIndex(c.events, c.places)


def search_index(c: Corpus) -> SearchIndex:
    """The search index of `c`'s events and places."""
    return derived(c, _index)


def _publish(c: Corpus, lang: str):
    return publish(c.events, lang, lambda e: e.when.label(lang), places=c.places)


def _with_own(c: Corpus, lang: str):
    """The shipped corpus's file and this session's own events, inline (never a file: render.eventfile)."""
    base = derived(shipped(), _publish, lang)
    return with_own(base, c.events[len(base.ids) :], lang, lambda e: e.when.label(lang), places=c.places)


def published(c: Corpus, lang: str):
    """`c`'s map events in `lang`: the shipped corpus's published once as a static file (render.eventfile),
    shared by every session; a session with its own events gets that file and its events inline, in its
    own map script only (`merged` puts them after the shipped events, as the mask counts them)."""
    return derived(c, _publish if c is shipped() else _with_own, lang)


def _table(c: Corpus, lang: str):
    """The list view's rows for every event, as an Arrow table, their ids, and each event's row."""
    frame = events_frame(c.events, c.places, region_names(), lang)
    ids = list(frame["id"])
    table = pa.Table.from_pandas(frame.drop(columns=["id", "start", "end"]), preserve_index=False)
    return table, ids, {event_id: row for row, event_id in enumerate(ids)}


LIST_LIMIT = 1000  # rows in the list view: more is no reading list, and each row travels on every change


def events_table(c: Corpus, events: list, lang: str, limit: int = LIST_LIMIT):
    """The list view's rows for these events (the first `limit`, in the table's order: by date), and
    their ids: built once per corpus and language, then taken by row number (no per-rerun conversion)."""
    table, ids, row_of = derived(c, _table, lang)
    if len(events) == len(ids):
        return table.slice(0, limit), ids[:limit]
    rows = sorted(row_of[e.id] for e in events if e.id in row_of)[:limit]
    # An explicit int64 array: an empty Python list has no type, and Arrow's take refuses it.
    return table.take(pa.array(rows, pa.int64())), [ids[r] for r in rows]


def _lessons(c: Corpus):
    return load_lessons({e.id for e in c.events})


def lessons():
    """The lessons (events/lessons/*.yaml) and the problems found in them, for the shipped corpus's events."""
    return derived(shipped(), _lessons)


def _flows(c: Corpus):
    return flows_or_problems(c.places)


def flows() -> tuple[list, list]:
    """The 1962 flows (geo/flows.yaml) among the shipped corpus's places, and the problems reading them."""
    return derived(shipped(), _flows)
