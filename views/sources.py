"""The sources page: each document in full, its excerpts highlighted and linked to their events."""

import streamlit as st

from render.citations import citation, source_date
from render.documents import document_html
from ui import filters, session

_ = filters.tr()
lang = filters.lang()
corpus = session.corpus()

st.title(_("Sources"))
ids = list(corpus.sources)
if not ids:
    st.error(_("No source documents could be read."))
    st.stop()

requested = st.query_params.get("source")
if requested in ids and st.session_state.get("_source_from_url") != requested:
    st.session_state["_source_from_url"] = requested
    st.session_state["source"] = requested
source_id = st.selectbox(_("Document"), ids, key="source", format_func=lambda s: corpus.sources[s].display_title(lang))
source = corpus.sources[source_id]
try:
    focus = int(st.query_params.get("start")) if st.query_params.get("source") == source_id else None
except (TypeError, ValueError):
    focus = None
if st.query_params.get("source") != source_id:
    st.query_params["source"] = source_id
    for key in ("start", "end"):
        st.query_params.pop(key, None)

marks = [
    (ex.start, ex.end, e.id, e.label(lang))
    for e in corpus.events
    for ex in e.excerpts
    if ex.source == source_id and ex.verified
]
meta, doc = st.columns([2, 3], gap="medium")  # the citation and the table stay readable at 1024 px
with meta:
    st.subheader(_("Citation (Chicago note style)"))
    st.code(citation(source, lang), language=None, wrap_lines=True)
    note = source.described("date_note", lang)
    # The labels and the project's own descriptions in the reader's language (the corpus's `_zh` fields);
    # the document's title and text stay in its own.
    rows = {
        _("Author"): source.described("author", lang) or "—",
        _("Publisher"): source.described("publisher", lang) or "—",
        _("Date"): " ".join(
            x
            for x in (
                source_date(source, lang) if source.date else _("undated"),
                note and (f"（{note}）" if lang == "zh" else f"({note})"),
            )
            if x
        ),
        # the language named in the reader's (not its own, as the language switch does); "und": an uploaded text
        _("Language"): {"en": _("English"), "zh": _("Chinese"), "und": _("Not known")}.get(source.language)
        or source.language,
        _("Kind of document"): _(source.kind).replace("-", " "),
        _("Archive reference"): source.described("archive_ref", lang) or "—",
        _("URL"): source.url or "—",
        _("Rights"): source.described("rights", lang) or "—",
    }
    st.table({_("Field"): list(rows), _("Value"): list(rows.values())})
    st.caption(_("{n} excerpt(s) of this document are cited by the atlas; they are highlighted.", n=len(marks)))
    if source.note:
        st.text(source.described("note", lang))  # plain text: the note quotes the source's own "**" elisions
with doc:
    if source.available:
        st.iframe(document_html(source, marks, focus, lang, _), height=760)
    else:
        st.warning(_("The text of this document is not available."))
