"""The interface floor: the atlas's controls and page elements, with nothing behind them.

The same widgets in the sidebar (language, search, regions, the copy-link frame), the title and play
button and, as in the atlas, the years in a fragment above the view with the same kinds of elements
(the slider with the count in its label, two columns, a component, the legend with the panel, the
list's heading, a selectable table, a download button), filled with placeholders. What a rerun of this costs is what Streamlit charges for
the interface itself; the atlas's own work is what it costs beyond it.
"""

import streamlit as st

with st.sidebar:
    st.radio("Language", ["en", "zh"], key="lang", horizontal=True)
    st.text_input("Search", key="q", max_chars=200)
    st.multiselect("Regions", ["ili", "tacheng", "altay"], key="regions")
    st.iframe("<button>Copy a link to this view</button>", height=80)
st.title("The Yi–Ta incident and the Sino-Soviet split")
st.button("Play the years", key="play")


@st.fragment
def view():
    years = st.session_state.get("years", (1917, 1991))
    st.slider(f"Years: {years[0]}–{years[1]}", min_value=1917, max_value=1991, value=(1917, 1991), key="years")
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.html(f"<div style='height:640px'>{years}</div>")  # where the atlas's map component stands
    with right:
        st.html("<span>legend</span><div>Click a marker on the map to see its source passage here.</div>")
    st.subheader("Events in this view")
    st.dataframe({"title": [str(y) for y in range(years[0], years[1] + 1)]}, key="event-table", on_select="rerun",
                 selection_mode="single-row", hide_index=True)  # fmt: skip
    st.download_button("Download a printable handout of this view", data="handout", key="handout")


view()
