"""The timeline: the events of the current view on a time axis; choosing one selects it everywhere."""

import altair as alt
import streamlit as st

from events.categories import CATEGORIES, OTHER_GLYPH
from events.table import events_frame
from geo.regions import region_names
from render.html import join, tag
from render.legend import SWATCH_CSS, key_item
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
    # Each with the glyph its bars carry, as on the map: colour is never the only sign of a category.
    shown = set(frame["category"])
    key = [key_item(c, lang) for c in CATEGORIES if c.label(lang) in shown]
    st.html(
        f"<style>.tl-legend{{display:flex;flex-wrap:wrap;gap:.2rem 1.1rem;font-size:.9rem;color:#333}}{SWATCH_CSS}"
        ".tl-legend .atlas-key{margin-right:0}</style>" + tag("div", join(*key), class_="tl-legend")
    )
    # What a screen reader says of each mark, in the reader's language: Vega's own description names the
    # fields ("title", "end", "category") and writes dates in English ("Jan 01, 1962").
    frame = frame.assign(aria=frame["title"] + "：" + frame["when"] + "，" + frame["place"] + "，" + frame["category"])
    if lang != "zh":
        frame["aria"] = frame["title"] + ": " + frame["when"] + ", " + frame["place"] + ", " + frame["category"]
    by_label = {c.label(lang): c for c in CATEGORIES}
    frame["glyph"] = [by_label[c].mark(lang) if c in by_label else OTHER_GLYPH for c in frame["category"]]
    frame["ink"] = [by_label[c].ink if c in by_label else "#ffffff" for c in frame["category"]]
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
        scale=alt.Scale(domain=[f"{lo}-01-01", f"{hi + 1}-01-01"], padding=10),  # a dot at either end whole
        axis=alt.Axis(aria=False),
    )
    span = base.mark_bar(cornerRadius=3, size=12, clip=True).encode(x=x, x2="end:T")
    start = base.mark_circle(size=240, clip=True).encode(x=x)  # one-day events are a dot, never a hairline
    # The category's glyph on the dot (hidden from screen readers: the mark's description names the category)
    glyph = base.mark_text(fontSize=11, fontWeight="bold", clip=True, aria=False).encode(
        x=x, text="glyph:N", color=alt.Color("ink:N", scale=None, legend=None)
    )
    chart = (
        (span + start + glyph)
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
