"""The timeline: the events of the current view on a time axis; choosing one selects it everywhere."""

import altair as alt
import streamlit as st

from events.categories import CATEGORIES
from events.table import events_frame
from geo.regions import region_names
from render.html import join, tag
from ui import filters, lesson, panels, selection, session, years

corpus = session.corpus()
lang = filters.lang()
_ = filters.tr()

names = region_names()
st.title(_("Timeline"))


def view(events: list) -> None:
    """The chart of the chosen years: redrawn alone when the slider moves (ui.years.years_view)."""
    st.caption(_("Click an event to read what the sources say."))

    frame = events_frame(events, corpus.places, names, lang)
    if frame.empty:
        st.info(_("No event matches the filters."))
        return

    domain = [c.label(lang) for c in CATEGORIES]
    # The key as HTML above the chart, not Vega's legend: Vega lays a top legend out on one line and cuts
    # it at the chart's edge (two of seven categories were lost at 1366 px); HTML wraps at any width.
    shown = set(frame["category"])
    key = [
        tag(
            "span",
            join(tag("span", "", class_="tl-swatch", style=f"background:{c.colour}"), " ", c.label(lang)),
            class_="tl-key",
        )  # fmt: skip
        for c in CATEGORIES
        if c.label(lang) in shown
    ]
    st.html(
        "<style>.tl-legend{display:flex;flex-wrap:wrap;gap:.2rem 1.1rem;font-size:.9rem;color:#333}"
        ".tl-key{white-space:nowrap}.tl-swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;"
        "vertical-align:middle}</style>" + tag("div", join(*key), class_="tl-legend")
    )
    # What a screen reader says of each mark, in the reader's language: Vega's own description names the
    # fields ("title", "end", "category") and writes dates in English ("Jan 01, 1962").
    frame = frame.assign(aria=frame["title"] + "：" + frame["when"] + "，" + frame["place"] + "，" + frame["category"])
    if lang != "zh":
        frame["aria"] = frame["title"] + ": " + frame["when"] + ", " + frame["place"] + ", " + frame["category"]
    pick = alt.selection_point(fields=["id"], name="pick", on="click")
    order = list(frame["title"])  # one row per event, earliest first
    base = alt.Chart(frame).encode(
        y=alt.Y(
            "title:N",
            title=None,
            sort=order,
            axis=alt.Axis(
                labelLimit=alt.ExprRef("clamp(containerSize()[0] * 0.45, 120, 520)"), labelFontSize=13, aria=False
            ),
        ),
        description="aria:N",
        color=alt.Color(
            "category:N",
            scale=alt.Scale(domain=domain, range=[c.colour for c in CATEGORIES]),
            legend=None,
        ),  # fmt: skip
        tooltip=[
            alt.Tooltip("title:N", title=_("Event")),
            alt.Tooltip("when:N", title=_("Date")),
            alt.Tooltip("place:N", title=_("Place")),
            alt.Tooltip("support:N", title=_("Support in these sources")),
        ],  # fmt: skip
        opacity=alt.condition(pick, alt.value(1), alt.value(0.5)),
    )
    lo, hi = st.session_state["years"]
    x = alt.X(
        "start:T",
        title=_("Date"),
        scale=alt.Scale(domain=[f"{lo}-01-01", f"{hi + 1}-01-01"]),
        axis=alt.Axis(aria=False),
    )
    span = base.mark_bar(cornerRadius=3, size=12, clip=True).encode(x=x, x2="end:T")
    start = base.mark_circle(size=110, clip=True).encode(x=x)  # one-day events are a dot, never a hairline
    chart = (
        (span + start)
        .add_params(pick)
        .properties(height=max(220, 24 * len(frame)), description=_("Timeline of the events shown"))
    )
    on_select = selection.on_pick(corpus, "timeline-chart", selection.chart_pick("pick"))
    st.altair_chart(chart, on_select=on_select, key="timeline-chart", width="stretch")

    event = corpus.event(st.session_state.get(selection.EVENT) or "")
    if event is not None:
        st.html(panels.panel(event))
        lesson.add_button(event)


years.years_view(corpus, view)
