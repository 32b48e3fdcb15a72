"""The map page: events of the chosen years and regions; a click shows the source's words."""

import hashlib

import streamlit as st

from geo.regions import region_names
from render import mapbuild
from render.handout import handout_html
from render.html import tag
from render.panel import hint_html
from ui import filters, lesson, mapview, panels, selection, session, years

corpus = session.corpus()
lang = filters.lang()
_ = filters.tr()


def results_line(events: list) -> None:
    """What the search found ("8 events for 'Gulja'", with a button that clears it), or that nothing is
    shown; nothing when every event of the years and regions is shown."""
    q = (st.session_state.get("q") or "").strip()
    if q and events:
        text = _("{n} events for '{q}'", n=len(events), q=q) if len(events) > 1 else _("1 event for '{q}'", q=q)
    elif q:
        text = _("No events for '{q}' in these years and regions.", q=q)
    elif not events:
        text = _("No events in these regions and years.")
    else:
        text = ""
    # The container is always there, empty or not: the map after it keeps its place in the page, so its frame
    # is never rebuilt when the line comes or goes (it lost its pan and zoom).
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        if text:
            st.html(tag("p", text, class_="atlas-results", role="status"))
        if q:
            st.button(_("Clear the search"), key="clear-search", on_click=filters.clear_search, icon=":material/close:")
    if filters.search_cleared():  # the button is in the years' fragment: the sidebar's search box needs a full run
        st.rerun(scope="app")


def view(events: list) -> None:
    """Everything the years decide: redrawn alone when the slider moves (ui.years.years_view)."""
    published = session.published(corpus, lang)
    selected = st.session_state.get(selection.EVENT)
    flows = years.flows_shown()
    regions = tuple(st.session_state.get("regions") or ())
    results_line(events)

    left, right = st.columns([3, 2], gap="medium")
    with left:
        # The events travel once, as a static file; a filter change sends only which are visible.
        mapview.show(
            lang,
            mapbuild.event_layer(
                published,
                lang,
                selected=selected,
                regions=regions,
                flows=flows,
                visible=published.mask(e.id for e in events),
                # A new search or choice of regions fits the map to its events; the years never move it.
                fit="\n".join(((st.session_state.get("q") or "").strip(), *sorted(regions))),
            ),
            key="atlas-map",
            height=640,
            returned_objects=["last_active_drawing"],
            on_change=selection.on_pick(corpus, "atlas-map", mapbuild.clicked_event_id),
        )

    with right:
        event = corpus.event(selected or "")
        if event is None:
            shown = hint_html(_("Click a marker on the map to see its source passage here."))
        else:
            shown = panels.panel(event)
        # The map's key above the event: one element, for each element is paid for on every change.
        st.html(panels.legend(bool(flows)) + shown)
        lesson.add_button(event)

    # The list view mirrors the map: the same events, as a table to sort, read aloud or choose from.
    st.subheader(_("Events in this view"))
    rows_shown, row_ids = session.events_table(corpus, events, lang)
    if len(row_ids) < len(events):
        st.caption(
            _(
                "The list shows the first {shown:,} of the {n:,} events in this view, by date; the map shows them "
                "all. Narrow the years, regions or search to list the others.",
                shown=len(row_ids),
                n=len(events),
            )
        )
    # A list of other events is a new table: its selection starts empty. (With one key, the row ticked in the
    # last list stayed ticked in the new one, so a click on that row of the new list changed nothing, and its
    # event never opened.)
    table_key = "event-table-" + hashlib.blake2b("\n".join(row_ids).encode(), digest_size=6).hexdigest()
    st.dataframe(
        rows_shown,
        key=table_key,
        on_select=selection.on_pick(corpus, table_key, selection.table_pick(row_ids)),
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_config={
            "title": _("Event"),
            "when": _("Date"),
            "place": _("Place"),
            "region": _("Region"),
            "category": _("Category"),
            "support": _("Support in these sources"),
            "disputed": st.column_config.CheckboxColumn(_("Sources disagree")),
            "sources": st.column_config.NumberColumn(_("Excerpts")),
        },
    )
    # The handout: this view, printable, with a map drawn offline and every excerpt with its citation.
    lo, hi = st.session_state["years"]
    names = region_names()
    shown_filters = {
        _("Years"): f"{lo}–{hi}",
        _("Regions"): ", ".join(names[r].get(lang, r) for r in st.session_state.get("regions") or [])
        or _("All regions"),
        _("Search"): (st.session_state.get("q") or "").strip() or "—",
        _("Events"): str(len(events)),
    }
    st.download_button(
        _("Download a printable handout of this view"),
        # Built only when asked for, on its own thread: the map's reruns never pay for it.
        data=lambda: handout_html(events, corpus.sources, corpus.places, shown_filters, lang, _, corpus.bibliography),
        file_name=f"yita-atlas-handout-{lo}-{hi}-{lang}.html",
        mime="text/html",
        key="handout",
        icon=":material/print:",
    )


years.years_view(corpus, view, heading=_("The Yi–Ta incident and the Sino-Soviet split"))
