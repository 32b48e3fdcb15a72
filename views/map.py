"""The map page: events of the chosen years and regions; a click shows the source's words."""

import streamlit as st

from geo import mapbuild
from geo.handout import handout_html
from geo.regions import region_names
from ui import mapview, state

corpus = state.corpus()
lang = state.lang()
_ = state.tr()


st.title(_("The Yi–Ta incident and the Sino-Soviet split"))


def view(events: list) -> None:
    """Everything the years decide: redrawn alone when the slider moves (ui.state.years_view)."""
    published = state.published(corpus)
    selected = st.session_state.get("event")
    flows = state.flows_shown(corpus)

    left, right = st.columns([3, 2], gap="medium")
    with left:
        # The events travel once, as a static file; a filter change sends only which are visible.
        result = mapview.show(
            lang,
            mapbuild.event_layer(
                published,
                lang,
                selected=selected,
                regions=tuple(st.session_state.get("regions") or ()),
                flows=flows,
                visible=published.mask(e.id for e in events),
            ),
            key="atlas-map",
            height=640,
            returned_objects=["last_active_drawing"],
        )
    clicked = mapbuild.clicked_event_id(result)
    if clicked and clicked != st.session_state.get("_last_click") and corpus.event(clicked):
        st.session_state["_last_click"] = clicked
        st.session_state["event"] = clicked
        st.rerun()

    with right:
        event = corpus.event(selected or "")
        if event is None:
            shown = state.hint(_("Click a marker on the map to see its source passage here."))
        else:
            shown = state.panel(event)
        # The map's key above the event: one element, for each element is paid for on every change.
        st.html(state.legend(bool(flows)) + shown)

    # The list view mirrors the map: the same events, as a table to sort, read aloud or choose from.
    st.subheader(_("Events in this view"))
    rows_shown, row_ids = state.events_table(corpus, events)
    if len(row_ids) < len(events):
        st.caption(
            _(
                "The list shows the first {shown:,} of the {n:,} events in this view, by date; the map shows them "
                "all. Narrow the years, regions or search to list the others.",
                shown=len(row_ids),
                n=len(events),
            )
        )
    table = st.dataframe(
        rows_shown,
        key="event-table",
        on_select="rerun",
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
    rows = table.selection.rows if table else []
    if rows:
        chosen = row_ids[rows[0]]
        if chosen != st.session_state.get("_table_pick"):
            st.session_state["_table_pick"] = chosen
            st.session_state["event"] = chosen
            st.rerun()

    # The handout: this view, printable, with a map drawn offline and every excerpt with its citation.
    years = st.session_state["years"]
    names = region_names()
    filters = {
        _("Years"): f"{years[0]}–{years[1]}",
        _("Regions"): ", ".join(names[r].get(lang, r) for r in st.session_state.get("regions") or [])
        or _("All regions"),
        _("Search"): (st.session_state.get("q") or "").strip() or "—",
        _("Events"): str(len(events)),
    }
    st.download_button(
        _("Download a printable handout of this view"),
        # Built only when asked for, on its own thread: the map's reruns never pay for it.
        data=lambda: handout_html(events, corpus.sources, corpus.places, filters, lang, _, corpus.bibliography),
        file_name=f"yita-atlas-handout-{years[0]}-{years[1]}-{lang}.html",
        mime="text/html",
        key="handout",
        icon=":material/print:",
    )


state.years_view(corpus, view)
