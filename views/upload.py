"""Your events: a teacher's sheet of events (and the source texts it quotes), checked by the corpus's own
checker, shown for this session only on the map, timeline, list and search; files add up, each can be
replaced or removed, and every problem is listed in full."""

from collections import Counter
from pathlib import Path

import streamlit as st

from events import sheet
from events.interchange import MAX_BYTES
from events.loader import MAX_EVENTS
from events.upload import ACCEPTED, MAX_FILES, TEXT_SUFFIXES, report_csv, report_text, source_id
from render.html import tag
from render.problems import PROBLEMS_CSS, held_file, problems_table
from render.uploader import uploader_css
from ui import filters, session

_ = filters.tr()
lang = filters.lang()
ss = st.session_state
_FLASH = "_upload_flash"  # what the last choice of files did, said once after the rerun it starts


def guide() -> None:
    """The teacher's guide: what a row is, its columns, how quotes are checked, and the template and a
    filled-in example to download (the one place that calls events.sheet)."""
    st.markdown(
        _("**One row is one event.** Keep the first row (the headings) as it is, and write one event on each "
          "row below it. Required: *title*, *date*, *quote*, *source* and *category* (every event on the atlas "
          "rests on the words of a source); the rest is optional.")
    )  # fmt: skip
    st.markdown(
        _("| column | what to write | example |\n"
          "| --- | --- | --- |\n"
          "| title | what happened, in a few words (required) | Crowds cross the border at Khorgos |\n"
          "| title_zh | the same title in Chinese (optional) | 边民经霍尔果斯越境 |\n"
          "| date | when (required): 1962, 1962-04, 1962-04-22, 22 April 1962, April 1962, 1962年4月22日, "
          "about 1962, 1962-1963 | 22 April 1962 |\n"
          "| place | a place name in any script or spelling the atlas knows | Gulja, Yining, 伊宁 |\n"
          "| lat, lon | or, instead of a place, its latitude and longitude in degrees | 43.9, 81.3 |\n"
          "| quote | the passage of your source that tells of the event, copied exactly (required) | … |\n"
          "| source | the file name of a source text you upload with the sheet (my-letter.txt), or a "
          "citation (required) | my-letter.txt |\n"
          "| category | one of the map's categories, by its name or id (see the map's legend; required) | flight |\n"
          "| note | anything for your students or for yourself | … |")
    )  # fmt: skip
    st.markdown(
        _("**Quotes are checked.** Upload the source text (a `.txt` file) with your sheet, or earlier: the atlas "
          "finds each quote in it, even where spaces, quotation marks or full-width punctuation differ, and "
          "shows where (\"found in my-letter.txt, paragraph 3\"). A quote it cannot find is listed below with "
          "the nearest passage. A quote whose source is a citation, not an uploaded text, is shown marked "
          "\"not checked against a source\".")
    )  # fmt: skip
    example = sheet.example_files(lang)
    left, middle, right = st.columns(3)
    left.download_button(_("Template (Excel)"), sheet.template_xlsx(lang), "yita-atlas-events.xlsx",
                         icon=":material/download:", key="template-xlsx")  # fmt: skip
    middle.download_button(_("Template (CSV)"), sheet.template_csv(lang), "yita-atlas-events.csv",
                           mime="text/csv", icon=":material/download:", key="template-csv")  # fmt: skip
    right.button(_("Try the example: add it to your events"), key="example-add", on_click=_add, args=(example,),
                 icon=":material/play_arrow:")  # fmt: skip
    st.caption(_("The filled-in example: three events and the source text they quote."))
    for column, (name, data) in zip(st.columns(len(example)), example, strict=True):
        column.download_button(name, data, name, icon=":material/download:", key=f"example-{name}")


def _say(kind: str, text: str) -> None:
    ss.setdefault(_FLASH, []).append((kind, text))


def _names(names: list[str]) -> str:
    """File names as a list in the reader's language (Chinese lists with 、)."""
    return ("、" if lang == "zh" else ", ").join(names)


def _add(chosen: list[tuple[str, bytes]]) -> None:
    """Add chosen files to those held: new names are added, a name already held waits for the reader's
    choice (replace or keep), and all held files are checked together."""
    result = session.offer(session.upload_files(), chosen)
    for name, data in result.clashes:
        session.wait_for_choice(name, data)
    if result.added:
        session.hold(result.files, lang)
        upload = session.user_upload()
        used = [n for n in result.added if upload.used(n)]
        unused = [n for n in result.added if n not in used]
        if used:
            _say("success", _("Added: {names}.", names=_names(used)))
        if unused:  # held and listed with its problems, but nothing of it is on the map: never "Added"
            _say("error", _("Nothing could be used from {names}: the problems below say why. Fix the file, then "
                            "add it again (or remove it).", names=_names(unused)))  # fmt: skip
    if result.unchanged:
        _say("info", _("Already held, unchanged: {names}.", names=_names(result.unchanged)))
    if result.refused:
        _say("error", _("Not added: {names}. You can hold {n} files at once; remove one to make room.",
                        names=_names(result.refused), n=MAX_FILES))  # fmt: skip
    ss["_upload_generation"] = ss.get("_upload_generation", 0) + 1  # a fresh, empty uploader


def _replace(name: str, data: bytes) -> None:
    session.chosen(name)
    session.hold(session.replaced(session.upload_files(), name, data), lang)
    _say("success", _("Replaced: {names}.", names=name))


def _keep(name: str) -> None:
    session.chosen(name)


def _remove(name: str) -> None:
    session.hold([(n, d) for n, d in session.upload_files() if n != name], lang)
    _say("info", _("Removed: {names}.", names=name))


def _remove_all() -> None:
    """Drop every file and event of this session, and any choice waiting (the Remove button's callback)."""
    session.set_user_upload(None)
    ss.pop(session.CLASHES, None)
    ss["_upload_generation"] = ss.get("_upload_generation", 0) + 1


st.title(_("Your events"))
st.markdown(
    _("Put your own events on the atlas for your class: write them in a sheet (Excel or CSV, one row per "
      "event: the guide below shows how) and upload it here, with the source texts your quotes come from "
      "as `.txt` files. Add files one at a time or together: each new file adds to those already here.")
)  # fmt: skip
with st.expander(_("Teacher's guide: how to write a sheet of events"), expanded=not session.upload_files()):
    guide()
st.caption(
    _("Also accepted, for those who have them: the atlas's own formats (GeoJSON or CSV as written by "
      "`python -m events export`, and the YAML of `events/corpus/events/`).")
)  # fmt: skip
st.info(
    _(
        "Limits: {mb} MB per file, {files} files at once, {events} events in all. What you upload (your files "
        "and the events read from them) is kept only in the server's memory, for this browser session: it is "
        "never written to the server's disk or published at an address, and nobody else sees it. It is removed "
        "when you press Remove your events, about {minutes} minutes after you close or reload this tab, and "
        "whenever the server restarts. The atlas's own corpus is never changed.",
        mb=MAX_BYTES // 1_000_000,
        # Streamlit drops a session (its state and uploaded files) this long after its tab disconnects.
        minutes=max(1, round(st.get_option("server.disconnectedSessionTTL") / 60)),
        files=MAX_FILES,
        events=f"{MAX_EVENTS:,}",
    ),
    icon=":material/info:",
)

session.warm_checker()  # the checker's process starts while the reader chooses files
kinds = ", ".join(sorted({k.upper() for k in ACCEPTED if k not in ("json", "yml")}))
st.html(
    uploader_css(
        _("Choose files"),
        _("Up to {files} files, {mb} MB each: {kinds}", files=MAX_FILES, mb=MAX_BYTES // 1_000_000, kinds=kinds),
        _("Drop your files here"),
    )
)
chosen = st.file_uploader(
    _("Add event files and source texts"),
    type=list(ACCEPTED),
    accept_multiple_files=True,
    key=f"upload-{ss.get('_upload_generation', 0)}",
    help=_("Each file is checked as soon as you add it; nothing you give is silently left out."),
)
if chosen:
    with st.spinner(_("Checking your files…")):  # in a worker process: other readers are not held up
        _add([(f.name, f.getvalue()) for f in chosen])
    st.rerun()  # the sidebar's years and the search index now include the new events
# An empty uploader (cleared, or after a visit to another page) keeps the session's files and events:
# only the Remove buttons below remove them.
if session.upload_files() and session.checked_in() != lang:
    # Problems are written in the reader's language: checked again when the interface's changes.
    session.hold(session.upload_files(), lang)

for kind, text in ss.pop(_FLASH, []):
    getattr(st, kind)(text)
for name, data in session.waiting():
    with st.container(border=True):
        st.html(tag("p", _("You already have a file named “{name}”. Replace it with the one you just chose, or "
                           "keep the one you have?", name=name)))  # fmt: skip
        left, right = st.columns(2)
        left.button(_("Replace it"), key=f"replace-{name}", on_click=_replace, args=(name, data),
                    icon=":material/swap_horiz:", type="primary")  # fmt: skip
        right.button(_("Keep the one I have"), key=f"keep-{name}", on_click=_keep, args=(name,))

upload = session.user_upload()
if upload is None:
    st.stop()

rejected = upload.rejected()
held = session.upload_files()
counts = st.columns(5)
counts[0].metric(_("Files"), len(held))
counts[1].metric(_("Events read"), upload.rows_read)
counts[2].metric(_("Events added to the map"), len(upload.events))
counts[3].metric(_("Events left out"), len(rejected))
counts[4].metric(_("Problems"), len(upload.problems))
st.caption(
    _("Events read = added + left out: {read} = {added} + {left}. Each event left out is listed below.",
      read=upload.rows_read, added=len(upload.events), left=len(rejected))
)  # fmt: skip

st.subheader(_("Your files"))
added_in = Counter(e.file for e in upload.events)
left_in = Counter(p.path for p in rejected)
problems_in = Counter(p.path for p in upload.problems)
for index, (name, _data) in enumerate(held):
    row = st.container(horizontal=True, vertical_alignment="center")  # the button as wide as its words
    if Path(name).suffix.lower() in TEXT_SUFFIXES:
        sid = source_id(name)
        quoted = sum(1 for e in upload.events if any(x.source == sid for x in e.excerpts))
        line = _("source text, quoted by {n} of your events; {problems} problem(s)", n=quoted,
                 problems=problems_in[name])  # fmt: skip
    else:
        line = _("{added} event(s) added, {left} left out; {problems} problem(s)", added=added_in[name],
                 left=left_in[name], problems=problems_in[name])  # fmt: skip
    row.html(held_file(name, line), width="stretch")
    row.button(_("Remove"), key=f"remove-{index}", on_click=_remove, args=(name,), icon=":material/close:",
               help=_("Remove {name} and its events", name=name), width="content")  # fmt: skip

if upload.events:
    st.success(
        _("{n} of your events are on the map, the timeline, the list and in search, marked as yours.",
          n=len(upload.events)),
        icon=":material/check_circle:",
    )  # fmt: skip
    st.page_link("views/map.py", label=_("Open the map"), icon=":material/map:")
if upload.errors:
    st.error(
        _("{n} problem(s) stop some of what you uploaded from being shown; each is listed below with its "
          "file, line or row, and field.", n=len(upload.errors)),
        icon=":material/error:",
    )  # fmt: skip
elif upload.problems:
    st.warning(_("Your events were added; the notes below say what could not be checked."))
else:
    st.success(_("Every check passed."))

if upload.events:
    places = session.corpus().places
    st.subheader(_("Your events on the map"))
    if (
        len(upload.events) > session.LIST_LIMIT
    ):  # each row is built and sent: a long upload's table would hold up the page
        st.caption(
            _("The table shows the first {shown:,} of your {n:,} events; all of them are on the map, the timeline, "
              "the list and in search.", shown=session.LIST_LIMIT, n=len(upload.events))
        )  # fmt: skip
    st.dataframe(
        [
            {
                _("Event"): e.label(lang),
                "id": e.id,
                _("Date"): e.when.label(lang),
                _("Place"): places[e.place].label(lang) if e.place in places else e.place,
                _("File"): f"{e.file}:{e.line or ''}",
            }
            for e in upload.events[: session.LIST_LIMIT]
        ],
        hide_index=True,
        width="stretch",
    )
if upload.problems:
    st.html(PROBLEMS_CSS)
    where = {"path": _("File"), "line": _("Line or row"), "item": _("Event"), "field": _("Column or field")}
    shown = session.LIST_LIMIT  # each row is sent: past this, the report below holds them all
if rejected:
    st.subheader(_("Events left out"))
    st.html(problems_table(rejected[:shown], {**where, "message": _("Why")}, _))
if upload.problems:
    st.subheader(_("Every problem"))
    if len(upload.problems) > shown:
        st.caption(
            _("The list shows the first {shown:,} of {n:,} problems; the report below holds every one.",
              shown=shown, n=len(upload.problems))
        )  # fmt: skip
    st.html(problems_table(upload.problems[:shown], {**where, "severity": _("Kind"), "message": _("What is wrong")}, _))
    left, right = st.columns(2)
    left.download_button(
        _("Download the error report (CSV)"),
        data=report_csv(upload.problems),
        file_name="yita-atlas-upload-problems.csv",
        mime="text/csv",
        key="report-csv",
        icon=":material/download:",
    )
    right.download_button(
        _("Download the error report (text)"),
        data=report_text(upload.problems),
        file_name="yita-atlas-upload-problems.txt",
        mime="text/plain",
        key="report-text",
        icon=":material/download:",
    )
st.button(_("Remove your events"), key="remove-upload", on_click=_remove_all, icon=":material/delete:",
          help=_("Remove every file you added and all their events"))  # fmt: skip
