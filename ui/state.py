"""Filter state shared by every page, mirrored in the URL so that a link restores the view."""

from __future__ import annotations

import json
import os
import time

import pyarrow as pa
import streamlit as st

from events.html import esc
from events.loader import Corpus, load_corpus
from events.search import SearchIndex
from geo.regions import region_ids, region_names
from i18n import LANGS, normalize, translator
from ui.memo import per_process


@per_process
def offline_assets() -> list:
    """Once per server: copy Leaflet & co. and the base layers into static/ if a fresh clone lacks them."""
    from geo import assets

    return assets.install() if assets.missing() else []


@per_process
def _corpus(path: str | None) -> Corpus:
    return load_corpus(path)


def _path() -> str | None:
    return os.environ.get("ATLAS_CORPUS") or None


def shipped() -> Corpus:
    """The corpus at $ATLAS_CORPUS or the shipped one: loaded, checked and indexed once per process."""
    return _corpus(_path())


USER = "user_upload"  # session state: this session's events.upload.Upload, never shared, never saved


def user_upload():
    """This session's uploaded events (events.upload.Upload), or None."""
    return st.session_state.get(USER)


def set_user_upload(upload) -> None:
    """Keep an upload for this session only (None removes it); the years widen to show its events."""
    st.session_state[USER] = upload
    st.session_state.pop("_user_views", None)
    st.session_state["_widen_years"] = True
    if upload is None and st.session_state.get("event") and shipped().event(st.session_state["event"]) is None:
        st.session_state.pop("event", None)


def corpus() -> Corpus:
    """The corpus this session sees: the cached shipped corpus itself while the session has no events of
    its own (the fast path), else a new corpus holding the shipped events and the session's."""
    base = shipped()
    upload = user_upload()
    if upload is None or not upload.events:
        return base
    return _user_views(base, upload)["corpus"]


def _user_views(base: Corpus, upload) -> dict:
    """Per session: the merged corpus and what is derived from it (published file, index, tables)."""
    key = (upload.token, id(base))
    views = st.session_state.get("_user_views")
    if views is None or views["key"] != key:
        from events.upload import merged

        c = merged(base, upload)
        views = {"key": key, "corpus": c, "index": SearchIndex(c.events, c.places)}
        st.session_state["_user_views"] = views
    return views


def _is_shipped(c: Corpus) -> bool:
    return c is shipped()


MANAGED = ("lang", "from", "to", "region", "event", "q")


def lang() -> str:
    return normalize(st.session_state.get("lang"))


def tr():
    return translator(lang())


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def init_from_url(span: tuple[int, int]) -> None:
    """On a session's first run, take the view from the URL's query parameters."""
    if st.session_state.get("_url_read"):
        return
    st.session_state["_url_read"] = True
    q = st.query_params
    st.session_state["lang"] = normalize(q.get("lang"))
    lo, hi = _int(q.get("from"), span[0]), _int(q.get("to"), span[1])
    lo, hi = max(span[0], min(lo, span[1])), min(span[1], max(hi, span[0]))
    st.session_state["years"] = (min(lo, hi), max(lo, hi))
    known = region_ids()
    st.session_state["regions"] = [r for r in q.get_all("region") if r in known]
    if q.get("event"):
        st.session_state["event"] = q.get("event")
    st.session_state["q"] = (q.get("q") or "")[:200]


def sync_url(span: tuple[int, int]) -> None:
    """Write the current view into the URL (only what differs from the defaults)."""
    ss = st.session_state
    params: dict[str, object] = {}
    code, years, regions, event, q = lang(), ss.get("years", span), ss.get("regions"), ss.get("event"), ss.get("q")
    if code != "en":
        params["lang"] = code
    if tuple(years) != tuple(span):
        params["from"], params["to"] = str(years[0]), str(years[1])
    if regions:
        params["region"] = list(regions)
    if event:
        params["event"] = event
    if (q or "").strip():
        params["q"] = q.strip()
    desired = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    # Keys a page manages itself (the sources page's `source`, `start`, `end`) are left alone.
    desired.update({k: v for k, v in current.items() if k not in MANAGED})
    if desired != current:
        st.query_params.from_dict(desired)


FILTERS = ("lang", "years", "regions", "q")


def _keep_filters() -> None:
    """Carry the filters over a run that did not draw them. Streamlit forgets a widget's value when a
    run ends without it (a page switch through the agent API did that, and the years slider came
    back as a single year); a plain session-state copy is never forgotten."""
    for key in FILTERS:
        if key in st.session_state:
            st.session_state[f"_kept_{key}"] = st.session_state[key]
        elif f"_kept_{key}" in st.session_state:
            st.session_state[key] = st.session_state[f"_kept_{key}"]


def sidebar(c: Corpus) -> None:
    """The shared filters: language, search and regions (keyed, so they hold across pages). The years are
    a page's own control (years_view), where they filter: above the map and the timeline."""
    span = c.span
    init_from_url(span)
    _keep_filters()
    _ = translator(lang())
    years = st.session_state.get("years", span)
    if st.session_state.pop("_widen_years", False) or not (isinstance(years, tuple | list) and len(years) == 2):
        years = span
    elif not (span[0] <= years[0] <= years[1] <= span[1]):  # the corpus changed under the slider
        years = (max(span[0], min(years[0], span[1])), min(span[1], max(years[1], span[0])))
    # Set as the reader's own value on every full run: each page's slider is a widget of its own, and
    # a new widget takes a value set this way, not the one another page's slider left.
    st.session_state["years"] = tuple(years)
    with st.sidebar:
        st.radio(
            _("Language"),
            LANGS,
            key="lang",
            format_func=lambda code: {"en": "English", "zh": "中文"}[code],
            horizontal=True,
        )
        _ = translator(lang())
        st.text_input(
            _("Search"),
            key="q",
            max_chars=200,
            placeholder="伊宁, Yining, Gulja, Кульджа …",
            help=_("Titles, excerpts and place names, in any script or spelling; pinyin without tones works too."),
        )
        names = region_names()
        st.multiselect(
            _("Regions"),
            region_ids(),
            key="regions",
            format_func=lambda r: names[r].get(lang(), names[r]["en"]),
            placeholder=_("All regions"),
        )
        copy_link()
    sync_url(span)


PLAY_STEP = 2.0  # seconds per year while the years play


def years_view(c: Corpus, body) -> None:
    """The play button, then the years slider above `body(events)` (the page's view of the events in
    the current view) in one fragment: moving the slider, or a step of play, reruns only the fragment,
    not the sidebar, the navigation and the rest of the app (the reruns forty students' sliders make at
    once). Every element in the fragment is paid for on every change, so what does not change with the
    years stays outside it (the play button), and the count of events shown is the slider's label."""
    _, playing = tr(), st.session_state.get("playing", False)
    # Outside the fragment: a click reruns the whole page, which starts or stops the fragment's timer.
    st.button(_("Pause") if playing else _("Play the years"), key="play", on_click=_toggle_play, args=(c.span,),
              icon=":material/pause:" if playing else ":material/play_arrow:")  # fmt: skip

    @st.fragment(run_every=PLAY_STEP if playing else None)
    def view() -> None:
        body(years_control(c))

    view()


def years_control(c: Corpus) -> list:
    """The years slider (while playing, one more year every PLAY_STEP seconds); returns the events of
    the current view."""
    _ = tr()
    span = c.span
    if st.session_state.get("playing") and time.monotonic() - st.session_state.get("_stepped", 0.0) >= PLAY_STEP - 0.1:
        st.session_state["_stepped"] = time.monotonic()
        _step_years(span)
    events = filtered(c)
    label = _("Years: {n} of {total} events shown", n=len(events), total=len(c.events))
    st.slider(label, min_value=span[0], max_value=span[1], key="years")
    st.session_state["_kept_years"] = st.session_state["years"]  # what a page without the slider keeps
    sync_url(span)
    return events


def _toggle_play(span: tuple[int, int]) -> None:
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing:
        st.session_state["_stepped"] = time.monotonic()
        if tuple(st.session_state["years"]) == tuple(span):
            st.session_state["years"] = (span[0], span[0])  # start from the beginning


def _step_years(span: tuple[int, int]) -> None:
    """One step of play: reveal one more year, from the first year of the span; stop at its end."""
    lo, hi = st.session_state["years"]
    if hi >= span[1]:
        st.session_state["playing"] = False
        st.rerun(scope="app")  # stops the timer
    st.session_state["years"] = (lo, hi + 1)


def copy_link() -> None:
    """A control that copies the address of this exact view (the URL holds the whole view)."""
    _ = translator(lang())
    # Messages are looked up outside the f-string, where the catalog extractor can see them.
    copy_label, link_label, copied = _("Copy a link to this view"), _("Link to this view"), _("Copied")
    st.iframe(
        f"""<button id="copy" style="width:100%;padding:.45rem;border:1px solid #bbb;border-radius:.5rem;
        background:#fff;font:14px sans-serif;cursor:pointer">{esc(copy_label)}</button>
        <input id="url" readonly style="width:100%;margin-top:.3rem;font:12px monospace;box-sizing:border-box"
        aria-label="{esc(link_label)}">
        <script>
        const url = document.getElementById('url'), button = document.getElementById('copy');
        const refresh = () => {{ url.value = window.parent.location.href; }};
        refresh(); setInterval(refresh, 1000);
        button.onclick = async () => {{
            refresh(); url.select();
            try {{ await navigator.clipboard.writeText(url.value); }}
            catch (e) {{ document.execCommand('copy'); }}
            button.textContent = {json.dumps(copied)};
            setTimeout(() => button.textContent = {json.dumps(copy_label)}, 1500);
        }};
        </script>""",
        height=80,
    )


@per_process
def _search_index(path: str | None) -> SearchIndex:
    c = _corpus(path)
    return SearchIndex(c.events, c.places)


def search_index(c: Corpus | None = None) -> SearchIndex:
    c = c or corpus()
    if _is_shipped(c):
        return _search_index(_path())
    return _user_views(shipped(), user_upload())["index"]


def _publish(events: list, lang: str):
    from geo.eventfile import publish

    return publish(events, lang, lambda e: e.when.label(lang))


@per_process
def _published(path: str | None, lang: str):
    return _publish(_corpus(path).events, lang)


def published(c: Corpus):
    """The corpus's map events in this session's language, published once as a static file (a session
    with its own events gets its own file: the name is the content's hash)."""
    code = lang()
    if _is_shipped(c):
        return _published(_path(), code)
    views = _user_views(shipped(), user_upload())
    if ("published", code) not in views:
        views["published", code] = _publish(c.events, code)
    return views["published", code]


@per_process
def _table(path: str | None, lang: str):
    return _build_table(_corpus(path), lang)


def _build_table(c: Corpus, lang: str):
    """The list view's rows for every event, as an Arrow table, and each event's row."""
    from events.table import events_frame

    frame = events_frame(c.events, c.places, region_names(), lang)
    ids = list(frame["id"])
    table = pa.Table.from_pandas(frame.drop(columns=["id", "start", "end"]), preserve_index=False)
    return table, ids, {event_id: row for row, event_id in enumerate(ids)}


LIST_LIMIT = 1000  # rows in the list view: more is no reading list, and each row travels on every change


def events_table(c: Corpus, events: list, limit: int = LIST_LIMIT):
    """The list view's rows for these events (the first `limit`, in the table's order: by date), and
    their ids: built once per corpus and language, then taken by row number (no per-rerun conversion)."""
    code = lang()
    if _is_shipped(c):
        table, ids, row_of = _table(_path(), code)
    else:
        views = _user_views(shipped(), user_upload())
        if ("table", code) not in views:
            views["table", code] = _build_table(c, code)
        table, ids, row_of = views["table", code]
    if len(events) == len(ids):
        return table.slice(0, limit), ids[:limit]
    rows = sorted(row_of[e.id] for e in events if e.id in row_of)[:limit]
    # An explicit int64 array: an empty Python list has no type, and Arrow's take refuses it.
    return table.take(pa.array(rows, pa.int64())), [ids[r] for r in rows]


def filtered(c: Corpus) -> list:
    """The events of the current view: years, regions and search words."""
    q = (st.session_state.get("q") or "").strip()
    ids = search_index(c).ids(q) if q else None
    return c.columns.select(tuple(st.session_state["years"]), st.session_state.get("regions"), ids)


@per_process
def _flows(path: str | None) -> tuple[list, list]:
    """The 1962 flows (geo/flows.yaml) and the problems reading them: none, if unreadable (the map
    works without them; the About page names the file)."""
    from datafiles.problems import DataFileError, Problem, rel
    from geo.flows import FLOWS, read_flows

    try:
        return read_flows(_corpus(path).places)
    except DataFileError as exc:
        return [], exc.problems
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        why = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        return [], [
            Problem(rel(FLOWS), None, "-", "-", f"cannot read the flows ({why}); the map is drawn without them")
        ]


def flows_shown(c: Corpus) -> list:
    """Flows whose dates overlap the chosen years."""
    lo, hi = st.session_state["years"]
    return [f for f in _flows(_path())[0] if f.when.start.year <= hi and f.when.end.year >= lo]


@per_process
def lessons(path: str | None):
    """The lessons (events/lessons/*.yaml) and the problems found in them, for the shipped events."""
    from events.lessons import load_lessons

    return load_lessons({e.id for e in _corpus(path).events})


def data_problems() -> list:
    """Every problem found in the atlas's own data files (datafiles.problems.Problem), for the About page."""
    from datafiles.problems import Problem, rel
    from geo.mapbuild import layer_problems
    from i18n import catalog_problems

    found = list(shipped().problems) + _flows(_path())[1] + lessons(_path())[1]
    found += [Problem(rel(path), None, "-", "-", why) for path, why in layer_problems()]
    found += [Problem(rel(path), line, "-", "-", why) for path, line, why in catalog_problems()]
    return found


def broken_files() -> list[str]:
    """The data files with an error (not merely an unverified excerpt), each named once."""
    return list(dict.fromkeys(p.path for p in data_problems() if p.severity == "error"))


def data_notice() -> None:
    """A short warning on every page while a data file is missing or broken (About lists each problem)."""
    files = broken_files()
    if files:
        _ = tr()
        shown = ", ".join(files[:4]) + (" …" if len(files) > 4 else "")
        st.warning(
            _("Some data files could not be read: {files}. Pages that need them show less; the About page "
              "lists every problem.", files=shown),
            icon=":material/report:",
        )  # fmt: skip


@per_process
def _legend(lang: str, flows: bool) -> str:
    from events.present import legend_html

    return legend_html(lang, translator(lang), flows)


def legend(flows: bool) -> str:
    """The map's key in this session's language (built once per language)."""
    return _legend(lang(), flows)


def hint(text: str) -> str:
    """A short note in the panel's place, as HTML (styled as Streamlit's own info box)."""
    from events.html import tag

    return HINT_CSS + tag("div", text, class_="atlas-hint", role="note")


HINT_CSS = (
    "<style>.atlas-hint{background:rgba(28,131,225,.1);color:#004280;border-radius:.5rem;padding:1rem;"
    "font-size:1rem;line-height:1.5}</style>"
)


def panel(event) -> str:
    """The event panel's HTML for this session's language (with its styles)."""
    from events.present import PANEL_CSS, event_panel

    c, code = corpus(), lang()
    place = c.places.get(event.place)
    names = region_names()
    region = ", ".join(names.get(r, {}).get(code, r) for r in event.regions)
    return PANEL_CSS + event_panel(
        event, c.sources, place.label(code) if place else event.place, region, code, translator(code), c.bibliography
    )
