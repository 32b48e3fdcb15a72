"""The naive way: one folium.Marker (with its popup) per event, the whole map rebuilt on every rerun.

It uses the atlas's offline assets (render.mapbuild.OfflineMap), as it must to show anything with no
network; everything else is folium's plain path.
"""

import folium
import streamlit as st
from streamlit_folium import st_folium

from events.query import select
from render.mapbuild import OfflineMap
from ui import session

corpus = session.corpus()
years = st.slider("Years", min_value=1917, max_value=1991, value=(1917, 1991), key="years")
m = OfflineMap(location=(44.8, 84.0), zoom_start=5, tiles=None)
for e in select(corpus.events, years):
    folium.Marker((e.lat, e.lon), tooltip=e.label("en"), popup=folium.Popup(e.excerpts[0].text)).add_to(m)
st_folium(m, key="naive-map", height=600, returned_objects=[])
