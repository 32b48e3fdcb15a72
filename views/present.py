"""Presentation: a lesson, one event per step, for a projector: a step to a screen, keys for a clicker,
full screen, a blank screen, and a link (and its QR code) for every step."""

from pathlib import Path

import streamlit as st

from events.lessons import Lesson
from i18n import LANG_NAMES
from render import mapbuild
from render.copylink import copy_link_html
from render.html import join, tag
from render.projector import PRESENT_CSS, keys_script, map_fill_script, step_query, step_view
from render.qr import qr_html
from ui import filters, mapview, panels, selection, session
from ui.lesson import SESSION_ID, lessons_for_present, step_notes

HERE = Path(__file__).parent
corpus = session.corpus()
lang = filters.lang()
_ = filters.tr()

LESSON, STEP, WRITTEN = "lesson", "step", "_present_url"  # session keys: the lesson, its step (from 0), the URL's

found, problems = lessons_for_present()
found = [lesson for lesson in found if lesson.steps]
if problems:
    st.warning(_("Some lessons could not be read; the About page lists every problem."))
    st.code("\n".join(str(p) for p in problems[:20]), language=None, wrap_lines=True)
if not found:
    st.error(_("No lesson could be read: add one to events/lessons/."))
    st.stop()


def title(lesson: Lesson) -> str:
    return lesson.title.get(lang) or lesson.title["en"]


def from_link(by_id: dict[str, Lesson]) -> None:
    """A step's link (`?lesson=…&step=…`, the step counted from 1) opens that step. The URL is read when it
    names another step than the one this page last wrote there: a new session, or a link followed."""
    q = st.query_params
    asked = (q.get("lesson"), q.get("step"))
    if asked == (None, None) or asked == st.session_state.get(WRITTEN):
        return
    lesson_id, step = asked
    if lesson_id is not None and lesson_id not in by_id:
        st.warning(_("There is no lesson “{id}”: here is “{title}”.", id=lesson_id, title=title(found[0])))
        lesson_id = None
    lesson = by_id[lesson_id or st.session_state.get(LESSON) or found[0].id]
    st.session_state[LESSON] = lesson.id
    count = len(lesson.steps)
    try:
        number = int(step or 1)
    except ValueError:
        number = 0
    if not 1 <= number <= count:
        st.warning(_("“{step}” is not a step of this lesson (1 to {n}): here is step 1.", step=step, n=count))
        number = 1
    st.session_state[STEP] = number - 1


def choose_lesson(by_id: dict[str, Lesson]) -> Lesson:
    """The lesson shown: the reader's choice among the lessons that could be read (a new choice starts
    at its first step)."""
    if st.session_state.get(LESSON) not in by_id:
        st.session_state[LESSON] = found[0].id
    chosen = st.selectbox(
        _("Lesson"),
        list(by_id),
        key=LESSON,
        format_func=lambda i: title(by_id[i]),
        on_change=lambda: st.session_state.update({STEP: 0}),
        label_visibility="collapsed",
        width=300,
    )
    return by_id[chosen]


def to_link(lesson: Lesson, step: int, event_id: str) -> None:
    """Keep the step shown in the URL (`?lesson=…&step=…`), so that the address bar is its link."""
    wanted = {"lesson": lesson.id, "step": str(step + 1), "event": event_id}
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
    st.session_state[WRITTEN] = (wanted["lesson"], wanted["step"])


by_id = {lesson.id: lesson for lesson in found}
from_link(by_id)
st.html(PRESENT_CSS)
st.html(
    keys_script({"blank": _("The screen is blank: press any key to show the slide.")}), unsafe_allow_javascript=True
)

with st.container(horizontal=True, vertical_alignment="center", key="present-bar"):
    lesson = choose_lesson(by_id)
    count = len(lesson.steps)
    step = min(max(int(st.session_state.get(STEP, 0)), 0), count - 1)

    def go(delta: int) -> None:
        """Move `delta` steps through the lesson (a button's callback)."""
        st.session_state[STEP] = min(max(step + delta, 0), count - 1)

    st.button(_("◀ Previous"), key="prev", on_click=go, args=(-1,), disabled=step == 0, help=_("Keys: ← ↑ Page Up"))
    st.html(tag("div", f"{step + 1} / {count}", class_="atlas-progress", aria_live="polite"), width="content")
    st.button(
        _("Next ▶"), key="next", on_click=go, args=(1,), disabled=step == count - 1, help=_("Keys: → ↓ Page Down")
    )
    st.html(
        tag(
            "button",
            join(
                tag("span", _("Full screen"), class_="atlas-full-enter"),
                tag("span", _("Leave full screen"), class_="atlas-full-leave"),
            ),
            class_="atlas-full-button",
            type="button",
            aria_pressed="false",
            title=_("Full screen: F (again, or Escape, to leave). Blank screen: B."),
        ),
        width="content",
    )
    # The sidebar (and its language choice) is hidden while presenting: the other language, in this session (a
    # page reload would lose a lesson built in the browser).
    if lesson.id == SESSION_ID:  # back to the teacher's own lesson, to change it
        st.page_link(HERE / "lesson.py", label=_("Your lesson"), width="content")
    other = "en" if lang == "zh" else "zh"
    st.button(LANG_NAMES[other], key="present-other-lang", on_click=st.session_state.update, kwargs={"lang": other},
              type="tertiary", width="content")  # fmt: skip

event = corpus.event(lesson.event_ids[step])
if event is None:  # a lesson names only shipped events; this guards a corpus changed under it
    st.error(_("This lesson step names an event the atlas does not have: {id}", id=lesson.event_ids[step]))
    st.stop()
st.session_state[selection.EVENT] = event.id
to_link(lesson, step, event.id)
query = step_query(lesson.id, step + 1, lang)

left, right = st.columns([1, 1], gap="medium")
with left:
    if st.session_state.get("present_qr"):
        # The address the reader's browser shows (a server behind a proxy has another).
        base = st.context.url
        if base:
            link = base.split("?")[0] + query
            st.html(qr_html(link, _("QR code of the link to step {n}", n=step + 1)))
        else:
            st.info(_("The page's address is not known yet: show the QR code again in a moment."))
    else:
        center, zoom = step_view(event)
        with st.container(key="present-map"):
            mapview.show(
                lang,
                mapbuild.event_layer([event], lang, lambda e: e.when.label(lang), event.id) + map_fill_script(),
                key="present-map",
                center=center,  # moves the kept map to the step: no rebuild
                zoom=zoom,
                height=560,  # the CSS sets the frame's height from the window
                returned_objects=[],
            )
    with st.container(horizontal=True, vertical_alignment="center", key="present-share"):
        st.iframe(
            copy_link_html(
                _("Copy a link to step {n} of {total}", n=step + 1, total=count),
                _("Link to this step"),
                _("Copied"),
                query=query,
                show_url=False,
            ),
            height=44,
        )
        st.toggle(_("QR code"), key="present_qr", help=_("A QR code of this step's link, for the students' devices"))
        # The sidebar is hidden while presenting: the way back to the atlas, and to the teacher's own lesson.
        st.page_link(HERE / "map.py", label=_("Map"))
with right:
    step_notes(lesson.steps[step])
    st.html('<div class="atlas-present">' + panels.panel(event, fold=True) + "</div>")
