"""About the atlas: what it is, where its data came from, and under what licence."""

import streamlit as st

from ui import state

_ = state.tr()
corpus = state.corpus()

st.title(_("About this atlas"))
st.markdown(
    _(
        "A classroom atlas of the 1962 Yi–Ta (Ili–Tacheng) incident and the Sino-Soviet split. "
        "Every marker leads to the exact words of one of the five source documents."
    )
)
st.subheader(_("Data problems"))
problems = state.data_problems()
if problems:
    st.warning(_("{n} problem(s) were found in the data; the events concerned are not shown.", n=len(problems)))
    st.code("\n".join(str(p) for p in problems), language=None, wrap_lines=True)
else:
    st.success(_("The corpus passed every check: each excerpt stands verbatim at its locator."))
