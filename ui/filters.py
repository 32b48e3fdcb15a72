"""The shared filters (language, search, regions) in the sidebar, mirrored in the URL so that a link
restores the view, and the events they select."""

from __future__ import annotations

import streamlit as st

from events.loader import Corpus
from geo.regions import region_ids, region_names
from i18n import LANGS, normalize, translator
from render.copylink import copy_link_html
from ui import session

MANAGED = ("lang", "from", "to", "region", "event", "q")  # the URL keys this module writes
FILTERS = ("lang", "years", "regions", "q")  # the session-state keys kept across pages


def lang() -> str:
    """This session's interface language."""
    return normalize(st.session_state.get("lang"))


def tr():
    """The message translator (`_`) for this session's language."""
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
    a page's own control (ui.years.years_view), where they filter: above the map and the timeline."""
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


def copy_link() -> None:
    """A control that copies the address of this exact view (the URL holds the whole view)."""
    _ = translator(lang())
    # Messages are looked up here, where the catalog extractor can see them.
    st.iframe(copy_link_html(_("Copy a link to this view"), _("Link to this view"), _("Copied")), height=80)


def clear_search() -> None:
    """The callback of a page's "clear the search" button: empties the sidebar's search box."""
    st.session_state["q"] = ""
    st.session_state["_search_cleared"] = True


def search_cleared() -> bool:
    """Whether the search was just cleared (once): a page's fragment then reruns the whole app, so that the
    sidebar's search box shows it."""
    return st.session_state.pop("_search_cleared", False)


def filtered(c: Corpus) -> list:
    """The events of the current view: years, regions and search words."""
    q = (st.session_state.get("q") or "").strip()
    ids = session.search_index(c).ids(q) if q else None
    return c.columns.select(tuple(st.session_state["years"]), st.session_state.get("regions"), ids)
