"""The teacher's lesson, built in the browser: the steps collected with "Add to lesson", their notes and
questions, and the lesson as the Present page offers it (with a lesson from a file or a link).

The lesson lives in this session's state only, like the session's own events: the teacher keeps it by
downloading the lesson file, and gets it back by uploading that file.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from datafiles.problems import Problem
from events.lessons import (
    BUNDLE_MAX_BYTES,
    LINK_MAX,
    LINK_PARAM,
    MAX_STEPS,
    MAX_TEXT,
    MAX_TITLE,
    Lesson,
    Step,
    lesson_from_link,
    link_value,
    open_bundle,
    plain,
    read_lesson,
    text_in,
)
from render.html import join, tag
from render.uploader import uploader_css
from ui import session
from ui.filters import lang, tr

SESSION_ID = "your-lesson"  # the id the Present page knows the session's lesson by
LINKED_ID = "linked-lesson"  # and the lesson a link brought
PRESENT_LESSON, PRESENT_STEP = "lesson", "step"  # the Present page's state: which lesson, which step
_STEPS = "_lesson_steps"  # session state: list[Step], in order
_TITLE = "_lesson_title"  # session state: the title {en, zh}
_LINKED = "_lesson_linked"  # session state: (the link's value, its lesson, the problems reading it)
_UPLOAD = "_lesson_upload"  # session state: the lesson uploader's generation, and the last file's outcome
_FULL_RUN = "_lesson_full_run"  # session state: a step was added in a fragment's run: run the whole page
_SAVED = "_lesson_saved"  # session state: the lesson (title, steps) as last downloaded or restored from a file


def steps() -> list[Step]:
    """The session lesson's steps, in order."""
    return list(st.session_state.get(_STEPS) or [])


def _set_steps(found: list[Step]) -> None:
    st.session_state[_STEPS] = found


def add(event_id: str) -> None:
    """Add an event as the lesson's last step (a button's callback); an event is a step once."""
    found = steps()
    if event_id not in (s.event for s in found) and len(found) < MAX_STEPS:
        _set_steps([*found, Step(event_id)])
        st.session_state[_FULL_RUN] = True


def move(index: int, delta: int) -> None:
    """Move step `index` up (-1) or down (+1) (a button's callback)."""
    found = steps()
    other = index + delta
    if 0 <= index < len(found) and 0 <= other < len(found):
        found[index], found[other] = found[other], found[index]
        _set_steps(found)


def remove(index: int) -> None:
    """Take step `index` out of the lesson (a button's callback)."""
    found = steps()
    if 0 <= index < len(found):
        st.session_state.pop(_widget("note", found[index].event), None)
        st.session_state.pop(_widget("question", found[index].event), None)
        _set_steps(found[:index] + found[index + 1 :])


def clear() -> None:
    """Start a new, empty lesson (a button's callback)."""
    for step in steps():
        st.session_state.pop(_widget("note", step.event), None)
        st.session_state.pop(_widget("question", step.event), None)
    st.session_state.pop("lesson-title", None)
    st.session_state[_STEPS] = []
    st.session_state[_TITLE] = {}


def _widget(kind: str, event_id: str) -> str:
    """A step's text input, keyed by its event (an event is a step once): reordering keeps each text with its step."""
    return f"lesson-{kind}-{event_id}"


def _keep_text(kind: str, event_id: str) -> None:
    """Copy a step's note or question from its input into the lesson (the input's callback): the lesson
    holds it when the page is left and the input forgotten."""
    text = (st.session_state.get(_widget(kind, event_id)) or "").strip()
    _set_steps([replace(s, **{kind: plain(text)}) if s.event == event_id else s for s in steps()])


def _keep_title() -> None:
    st.session_state[_TITLE] = plain((st.session_state.get("lesson-title") or "").strip())


def title_input() -> None:
    """The lesson's title (in the teacher's language)."""
    _ = tr()
    if "lesson-title" not in st.session_state:
        st.session_state["lesson-title"] = text_in(st.session_state.get(_TITLE) or {}, lang())
    st.text_input(_("Title of the lesson"), key="lesson-title", max_chars=MAX_TITLE, on_change=_keep_title,
                  placeholder=_("My lesson"))  # fmt: skip


def text_inputs(step: Step) -> None:
    """A step's note and question for the class, kept with the step."""
    _ = tr()
    for kind, label, help_text in (
        ("note", _("Note"), _("What you want to say at this step; shown under the slide.")),
        ("question", _("Question for the class"), _("Shown under the slide, for the class to discuss.")),
    ):
        key = _widget(kind, step.event)
        if key not in st.session_state:
            st.session_state[key] = text_in(getattr(step, kind), lang())
        st.text_area(label, key=key, max_chars=MAX_TEXT, height=68, on_change=_keep_text, args=(kind, step.event),
                     help=help_text)  # fmt: skip


def _state() -> tuple:
    return (dict(st.session_state.get(_TITLE) or {}), tuple(steps()))


def unsaved() -> bool:
    """Whether the session's lesson has steps that are not in a file the teacher has: changed since it was
    last downloaded, or restored from a file (a reload of the tab would lose it)."""
    return bool(steps()) and st.session_state.get(_SAVED) != repr(_state())


def downloaded() -> None:
    """The lesson as it is now is in the teacher's file (the download button's callback)."""
    st.session_state[_SAVED] = repr(_state())


def session_lesson() -> Lesson | None:
    """The session's lesson as the Present page shows it (steps whose event the atlas no longer has, after
    the teacher's own events were removed, are left out); None while it has no step."""
    c = session.corpus()
    shown = tuple(s for s in steps() if c.event(s.event) is not None)
    if not shown:
        return None
    title = st.session_state.get(_TITLE) or plain(tr()("My lesson"))
    return Lesson(SESSION_ID, {"en": title.get("en", ""), "zh": title.get("zh", "")}, shown)


def uses_own_events(lesson: Lesson) -> bool:
    """Whether the lesson names an event that does not ship with the atlas (then it needs its file, not a link)."""
    shipped = session.shipped()
    return any(shipped.event(e) is None for e in lesson.event_ids)


def add_button(event) -> None:
    """Under an event's panel: "Add to lesson" (or the step it already is), and the way to the lesson."""
    if st.session_state.pop(_FULL_RUN, False):
        # The panel is drawn in the years' fragment, whose own runs leave the page's frame as it was: the whole
        # page runs again, so that it knows a lesson is held that a reload would lose (ui.a11y.page_frame).
        st.rerun(scope="app")
    if event is None:
        return
    _ = tr()
    ids = [s.event for s in steps()]
    if event.id in ids:
        label, disabled = _("In your lesson: step {n}", n=ids.index(event.id) + 1), True
    elif len(ids) >= MAX_STEPS:
        label, disabled = _("Your lesson is full ({n} steps)", n=MAX_STEPS), True
    else:
        label, disabled = _("Add to lesson"), False
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button(label, key="add-to-lesson", on_click=add, args=(event.id,), disabled=disabled,
                  icon=":material/playlist_add:")  # fmt: skip
        if ids:
            many = _("Open your lesson ({n} steps)", n=len(ids)) if len(ids) > 1 else _("Open your lesson (1 step)")
            st.page_link("views/lesson.py", label=many, icon=":material/school:")


def open_in_present(lesson_id: str = SESSION_ID) -> None:
    """Show the lesson on the Present page, at its first step."""
    st.session_state[PRESENT_LESSON] = lesson_id
    st.session_state[PRESENT_STEP] = 0
    st.switch_page("views/present.py")


_PREVIOUS = "_lesson_previous"  # session state: the lesson an uploaded one replaced (title, steps), to bring back


def restore(lesson: Lesson) -> None:
    """Make `lesson` the session's lesson (its texts replace what the inputs held); the lesson it replaces can
    be brought back (`bring_back`): a lesson file chosen by mistake never loses one that was not downloaded."""
    if steps():
        st.session_state[_PREVIOUS] = (dict(st.session_state.get(_TITLE) or {}), list(steps()))
    clear()
    st.session_state[_TITLE] = dict(lesson.title)
    st.session_state[_STEPS] = list(lesson.steps)
    downloaded()  # it came from a file the teacher has


def uploader() -> None:
    """The "Upload a lesson" control: a lesson file (.zip, or a lesson's .yaml) restores its lesson, and its own
    events join this session's events, checked like an upload."""
    _ = tr()
    generation = (st.session_state.get(_UPLOAD) or (0, None, []))[0]
    key = f"lesson-upload-{generation}"
    # The uploader's own texts (Streamlit writes them in English) in the reader's language, with our limit.
    st.html(uploader_css(_("Choose a file"), _("One lesson file, up to {mb} MB: ZIP or YAML",
                                               mb=BUNDLE_MAX_BYTES // 1_000_000), _("Drop your file here")))  # fmt: skip
    st.file_uploader(
        _("Your lesson file (.zip): it replaces the lesson above"),
        type=["zip", "yaml", "yml"],
        key=key,
        on_change=_read_upload,
        args=(key, generation),
        help=_("The .zip file that “Download the lesson” gave you. If it holds events of your own, "
               "they join the events you uploaded in this session (none of yours is replaced)."),
    )  # fmt: skip


def last_upload() -> tuple[Lesson | None, list]:
    """The lesson the last lesson file uploaded restored (None if none, or if it could not be read), and
    the problems found in it."""
    _generation, lesson, problems = st.session_state.get(_UPLOAD) or (0, None, [])
    return lesson, list(problems)


def _read_upload(key: str, generation: int) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    # A new generation: a fresh, empty uploader, so that the same file can be uploaded again.
    st.session_state[_UPLOAD] = (generation + 1, *restore_file(upload.name, upload.getvalue()))


def restore_file(name: str, data: bytes) -> tuple[Lesson | None, list]:
    """Restore the lesson in a lesson file; return it (None if it cannot be read) and the problems found.
    Its steps are all kept, with their notes and questions, even one whose event is not loaded now: the Lesson
    page says which, and Present leaves it out until its event is back."""
    lesson_bytes, files, problems = open_bundle(data, name)
    if lesson_bytes is None:
        return None, problems
    _ = tr()
    known = {e.id for e in session.corpus().events}
    if files:
        # The lesson's own files join the ones the session holds, as on the Your events page: nothing held is
        # replaced or lost. A held file of the same name with other contents is kept, and the lesson's copy waits
        # on the Your events page for the reader's choice (replace, or keep).
        offered = session.offer(session.upload_files(), files)
        for clash, clash_bytes in offered.clashes:
            session.wait_for_choice(clash, clash_bytes)
            problems.append(Problem(clash, None, "-", "-", _(
                "your events already include a different file named {name}: yours is kept, and the lesson's copy "
                "waits on the Your events page, where you can replace yours with it; until then the steps whose "
                "events it holds are kept but not shown", name=clash)))  # fmt: skip
        problems += [Problem(n, None, "-", "-", _("too many files: not loaded")) for n in offered.refused]
        session.hold(offered.files, lang())  # the same checker as the Your events page, over every held file
        upload = session.user_upload()
        problems += [p for p in upload.problems if p.path in dict(files)] if upload is not None else []
        known = {e.id for e in session.corpus().events}
        if offered.clashes:  # the events the lesson's own files hold: its steps on them are kept
            known |= {e.id for e in session.check_upload(files, lang()).events}
    lesson, found = read_lesson(lesson_bytes, "lesson.yaml" if files else name, known, SESSION_ID)
    problems += found
    if lesson is not None:
        restore(lesson)
    return lesson, problems


def link(lesson: Lesson) -> tuple[str | None, bool]:
    """The address that opens `lesson` on the Present page (None if even without its notes it is longer
    than LINK_MAX), and whether its notes and questions are in it."""
    url = urlsplit(st.context.url or "")
    base = url.path.rsplit("/", 1)[0] if url.path else ""
    for notes in (True, False):
        query = {LINK_PARAM: link_value(lesson, notes)}
        if lang() != "en":
            query["lang"] = lang()
        address = urlunsplit((url.scheme, url.netloc, f"{base}/present", urlencode(query), ""))
        if len(address) <= LINK_MAX:
            return address, notes
    return None, False


def _linked() -> tuple[Lesson | None, list]:
    """The lesson the address's `plan` parameter carries (read once per value; the first time it is
    the lesson the Present page shows)."""
    value = st.query_params.get(LINK_PARAM)
    if not value:
        return None, []
    kept = st.session_state.get(_LINKED)
    if kept is None or kept[0] != value:
        known = {e.id for e in session.shipped().events}
        lesson, problems = lesson_from_link(value, known, LINKED_ID)
        if lesson is not None and not lesson.steps:
            lesson = None
        kept = (value, lesson, problems)
        st.session_state[_LINKED] = kept
        if lesson is not None:
            st.session_state[PRESENT_LESSON], st.session_state[PRESENT_STEP] = LINKED_ID, 0
    if kept[1] is not None and kept[1].title["en"] == LINKED_ID:  # a link without a title
        _ = tr()
        return Lesson(LINKED_ID, plain(_("A lesson from a link")), kept[1].steps), list(kept[2])
    return kept[1], list(kept[2])


def lessons_for_present() -> tuple[list[Lesson], list]:
    """The lessons the Present page offers: the session's own, the one a link brought, then the shipped
    ones; and the problems found reading them."""
    shipped, problems = session.lessons()
    linked, link_problems = _linked()
    own = session_lesson()
    return [lesson for lesson in (own, linked) if lesson is not None] + list(shipped), [*link_problems, *problems]


# The projector's colours (render.projector): the note and the question above the slide, where the class
# sees them with the event without scrolling.
_NOTES_CSS = (
    "<style>.atlas-step-notes{font-size:1.45rem;line-height:1.45;color:#f4f4f0;margin-bottom:.4rem}"
    ".atlas-step-notes p{margin:.3rem 0;color:#f4f4f0}.atlas-step-notes strong{color:#ffd166}"
    ".atlas-step-notes .atlas-question{background:#1e252c;border-left:8px solid #9ad1ff;padding:.35rem .9rem}</style>"
)


def step_notes(step: Step) -> None:
    """The step's note and question for the class, with the slide (nothing if it has neither)."""
    _, code = tr(), lang()
    note, question = text_in(step.note, code), text_in(step.question, code)
    if not (note or question):
        return
    parts = []
    if note:
        parts.append(tag("p", join(tag("strong", _("Note") + ": "), tag("span", note))))
    if question:
        parts.append(tag("p", join(tag("strong", _("Question for the class") + ": "), tag("span", question)),
                         class_="atlas-question"))  # fmt: skip
    st.html(_NOTES_CSS + tag("div", join(*parts), class_="atlas-step-notes"))


def previous() -> int:
    """How many steps the lesson an uploaded one replaced had (0: none to bring back)."""
    kept = st.session_state.get(_PREVIOUS)
    return len(kept[1]) if kept else 0


def bring_back() -> None:
    """Make the lesson an uploaded one replaced the session's lesson again (a button's callback)."""
    title, kept = st.session_state.pop(_PREVIOUS)
    clear()
    st.session_state[_TITLE] = title
    st.session_state[_STEPS] = kept
