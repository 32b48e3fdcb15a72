"""About the atlas: what it is, where its data came from, and under what licence."""

import streamlit as st

from ui import filters, problems

_ = filters.tr()

st.title(_("About this atlas"))
st.markdown(
    _(
        "A classroom atlas of the 1962 Yi–Ta (Ili–Tacheng) incident and the Sino-Soviet split. "
        "Every marker leads to the exact words of one of the five source documents."
    )
)
st.subheader(_("Data problems"))
found = problems.data_problems()
errors = [p for p in found if p.severity == "error"]
unverified = [p for p in found if p.severity != "error"]
if errors:
    st.warning(_("{n} error(s) in the data files: an event with an error is not shown.", n=len(errors)))
if unverified:
    st.info(
        _(
            "{n} excerpt(s) could not be checked, for their source text is missing: their events are shown, "
            "each such excerpt marked unverified.",
            n=len(unverified),
        )
    )
if found:
    st.code("\n".join(str(p) for p in errors + unverified), language=None, wrap_lines=True)
else:
    st.success(_("The corpus passed every check: each excerpt stands verbatim at its locator."))
