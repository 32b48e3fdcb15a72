"""Your lesson: the events collected with "Add to lesson", in order, each with a note and a question;
presented at once, kept as a file, shared as a link."""

import streamlit as st

from events.lessons import LINK_MAX, bundle_name, write_bundle
from render.html import join, tag
from ui import filters, lesson, session

corpus = session.corpus()
lang = filters.lang()
_ = filters.tr()

st.title(_("Your lesson"))
st.caption(
    _(
        "Choose an event on the map, the list or the timeline and press “Add to lesson”. Here, put the steps in "
        "order and give each a note and a question for the class; then present the lesson, or download it to "
        "use it again next year. The lesson is kept only in this browser session until you download it: "
        "before then, the browser asks before a reload or closing the tab would lose it."
    )
)
lesson.title_input()

steps = lesson.steps()
if not steps:
    st.info(_("Your lesson has no steps yet: choose an event on the map or the timeline and press “Add to lesson”."))
    st.page_link("views/map.py", label=_("Open the map"), icon=":material/map:")
for i, step in enumerate(steps):
    event = corpus.event(step.event)
    with st.container(border=True, key=f"lesson-step-{i}"):
        title = event.label(lang) if event else step.event
        when = event.when.label(lang) if event else ""
        st.html(tag("div", join(tag("strong", f"{i + 1}. {title}"), tag("span", f"  {when}", style="color:#555"))))
        with st.container(horizontal=True):
            st.button(_("Up"), key=f"up-{i}", on_click=lesson.move, args=(i, -1), disabled=i == 0,
                      icon=":material/arrow_upward:")  # fmt: skip
            st.button(_("Down"), key=f"down-{i}", on_click=lesson.move, args=(i, 1), disabled=i == len(steps) - 1,
                      icon=":material/arrow_downward:")  # fmt: skip
            st.button(_("Remove"), key=f"remove-{i}", on_click=lesson.remove, args=(i,), icon=":material/delete:")
        if event is None:
            st.warning(_("The atlas no longer has this event (your own events were removed): it is left out "
                         "when the lesson is presented."))  # fmt: skip
        else:
            lesson.text_inputs(step)

shown = lesson.session_lesson()
if shown is not None:
    own = lesson.uses_own_events(shown)
    files = session.upload_files() if own else []
    left, middle, right = st.columns(3)
    if left.button(_("Open in Present"), key="lesson-present", type="primary", icon=":material/slideshow:",
                   width="stretch"):  # fmt: skip
        lesson.open_in_present()
    middle.download_button(
        _("Download the lesson"),
        data=lambda: write_bundle(shown, files),  # built when asked for, not on every run of the page
        file_name=bundle_name(shown),
        mime="application/zip",
        key="lesson-download",
        on_click=lesson.downloaded,  # the lesson is in the teacher's file: a reload no longer asks
        icon=":material/download:",
        width="stretch",
    )
    right.button(_("Start a new lesson"), key="lesson-clear", on_click=lesson.clear, icon=":material/restart_alt:",
                 width="stretch")  # fmt: skip
    st.caption(
        _("The lesson file (.zip) holds the lesson, and the files of your own events and source texts when it "
          "uses them. Upload it below, next year or on another computer, to get the lesson back.")
    )  # fmt: skip

    st.subheader(_("Copy a link to this lesson"))
    if own:
        st.info(_("This lesson uses events of your own, which live only in this session: a link cannot carry them. "
                  "Share the lesson file instead."), icon=":material/link_off:")  # fmt: skip
    else:
        address, with_notes = lesson.link(shown)
        if address is None:
            st.info(_("This lesson is too long for a link: share the lesson file instead."), icon=":material/link_off:")
        else:
            st.code(address, language=None, wrap_lines=True)
            st.caption(_("The copy button at the link's right copies it. It opens this lesson on the Present page."))
            if not with_notes:
                st.caption(
                    _("With its notes and questions the link would be longer than {n:,} characters, more than some "
                      "apps keep: it carries the title and the events only. The lesson file keeps everything.",
                      n=LINK_MAX)
                )  # fmt: skip

st.subheader(_("Upload a lesson"))
lesson.uploader()
restored, problems = lesson.last_upload()
if restored is not None:
    st.success(_("The lesson “{title}” is back, with {n} steps.", title=restored.title.get(lang) or restored.title["en"],
                 n=len(restored.steps)), icon=":material/check_circle:")  # fmt: skip
if restored is not None and lesson.previous():
    st.button(_("Bring back the lesson you had before ({n} steps)", n=lesson.previous()), key="lesson-bring-back",
              on_click=lesson.bring_back, icon=":material/undo:")  # fmt: skip
errors = [p for p in problems if p.severity == "error"]
notes = [p for p in problems if p.severity != "error"]
if errors:
    st.warning(_("{n} problem(s) in the lesson file; what they name was left out:", n=len(errors)))
    st.code("\n".join(str(p) for p in errors[:50]), language=None, wrap_lines=True)
if notes:
    st.info(_("Notes on the lesson's own events (they were added):"))
    st.code("\n".join(str(p) for p in notes[:50]), language=None, wrap_lines=True)
