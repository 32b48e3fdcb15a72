"""Your events: upload an event file (and source texts), checked by the corpus's own checker, shown for
this session only on the map, timeline, list and search."""

import streamlit as st

from events.interchange import MAX_BYTES
from events.loader import MAX_EVENTS
from events.upload import ACCEPTED, MAX_FILES, report_csv, report_text, upload_token
from ui import filters, session

_ = filters.tr()
lang = filters.lang()

st.title(_("Your events"))
st.markdown(
    _(
        "Add your own events to the atlas for this session: an event file in the atlas's formats "
        "(GeoJSON or CSV as written by `python -m events export`, or the YAML event format of "
        "`events/corpus/events/`), and, if your excerpts cite texts the atlas does not have, those texts "
        "as UTF-8 `.txt` files: an excerpt citing `source: my-letter` is checked against `my-letter.txt`."
    )
)
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
generation = st.session_state.get("_upload_generation", 0)
files = st.file_uploader(
    _("Event files and source texts"),
    type=list(ACCEPTED),
    accept_multiple_files=True,
    key=f"upload-{generation}",
    help=_("Every file is checked like `python -m events check`; nothing you give is silently left out."),
)
if files:
    chosen = [(f.name, f.getvalue()) for f in files]
    current = session.user_upload()
    if current is None or current.token != upload_token(chosen):
        with st.spinner(_("Checking your files…")):  # in a worker process: other readers are not held up
            session.set_user_upload(session.check_upload(chosen), chosen)
        st.rerun()  # the sidebar's years and the search index now include the new events
# An empty uploader (cleared, or after a visit to another page) keeps the session's events: only the
# Remove button below removes them.

upload = session.user_upload()
if upload is None:
    st.stop()


def remove() -> None:
    """Drop this session's events and give a fresh, empty uploader (the Remove button's callback)."""
    session.set_user_upload(None)
    st.session_state["_upload_generation"] = generation + 1  # a fresh, empty uploader


rejected = upload.rejected()
counts = st.columns(4)
counts[0].metric(_("Files"), len(upload.files))
counts[1].metric(_("Events added to the map"), len(upload.events))
counts[2].metric(_("Events left out"), len(rejected))
counts[3].metric(_("Problems"), len(upload.problems))
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
if rejected:
    st.subheader(_("Events left out"))
    st.dataframe(
        [{_("File"): p.path, _("Line or row"): p.line, "id": p.item, _("Field"): p.field, _("Why"): p.message}
         for p in rejected],
        hide_index=True,
        width="stretch",
    )  # fmt: skip
if upload.problems:
    st.subheader(_("Every problem"))
    st.dataframe(
        [
            {_("File"): p.path, _("Line or row"): p.line, "id": p.item, _("Field"): p.field,
             _("Kind"): _(p.severity), _("Message"): p.message}
            for p in upload.problems
        ],
        hide_index=True,
        width="stretch",
    )  # fmt: skip
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
if upload.sources:
    st.caption(_("Your source texts: {ids}", ids=", ".join(sorted(upload.sources))))
st.button(_("Remove your events"), key="remove-upload", on_click=remove, icon=":material/delete:")
