"""The floor: a Streamlit script with only a year slider."""

import streamlit as st

st.slider("Years", min_value=1917, max_value=1991, value=(1917, 1991), key="years")
