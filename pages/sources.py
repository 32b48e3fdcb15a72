"""The sources page: each document in full, its metadata and its citation."""

import streamlit as st

from events.present import citation
from ui import state

_ = state._()
lang = state.lang()
corpus = state.corpus()

st.title(_("Sources"))
for source in corpus.sources.values():
    with st.expander(source.display_title(lang)):
        st.caption(citation(source, lang))
        if source.available:
            st.text(source.text)
