"""Presentation: a lesson, one event per step, large type for the back of the room, keys for a clicker."""

import streamlit as st
from streamlit_shortcuts import add_shortcuts

from render import mapbuild
from render.projector import PRESENT_CSS
from ui import filters, mapview, panels, selection, session
from ui.lesson import lessons_for_present, step_notes

corpus = session.corpus()
lang = filters.lang()
_ = filters.tr()


found, problems = lessons_for_present()
found = [lesson for lesson in found if lesson.steps]
if problems:
    st.warning(_("Some lessons could not be read; the About page lists every problem."))
    st.code("\n".join(str(p) for p in problems[:20]), language=None, wrap_lines=True)
if not found:
    st.error(_("No lesson could be read: add one to events/lessons/."))
    st.stop()

by_id = {lesson.id: lesson for lesson in found}
lesson_id = st.selectbox(
    _("Lesson"), list(by_id), key="lesson", format_func=lambda i: by_id[i].title.get(lang) or by_id[i].title["en"]
)
lesson = by_id[lesson_id]
count = len(lesson.steps)
step = min(max(int(st.session_state.get("step", 0)), 0), count - 1)


def go(delta: int) -> None:
    """Move `delta` steps through the lesson (a button's callback)."""
    st.session_state["step"] = min(max(step + delta, 0), count - 1)


event = corpus.event(lesson.event_ids[step])
if event is None:  # a lesson names only shipped events; this guards a corpus changed under it
    st.error(_("This lesson step names an event the atlas does not have: {id}", id=lesson.event_ids[step]))
    st.stop()
st.session_state[selection.EVENT] = event.id
st.html(PRESENT_CSS)

nav = st.columns([1, 1, 6], vertical_alignment="center")
nav[0].button(_("◀ Previous"), key="prev", on_click=go, args=(-1,), disabled=step == 0, width="stretch")
nav[1].button(_("Next ▶"), key="next", on_click=go, args=(1,), disabled=step == count - 1, width="stretch")
nav[2].html(f'<div class="atlas-progress">{step + 1} / {count}</div>')
add_shortcuts(next=["ArrowRight", "PageDown", "ArrowDown"], prev=["ArrowLeft", "PageUp", "ArrowUp"])

left, right = st.columns([5, 6], gap="large")
with left:
    mapview.show(
        lang,
        mapbuild.event_layer([event], lang, lambda e: e.when.label(lang), event.id),
        key="present-map",
        center=(event.lat, event.lon),  # moves the kept map to the event: no rebuild
        zoom=7 if event.region != "elsewhere" else 5,
        height=720,
        returned_objects=[],
    )
with right:
    step_notes(lesson.steps[step])
    st.html('<div class="atlas-present">' + panels.panel(event) + "</div>")
