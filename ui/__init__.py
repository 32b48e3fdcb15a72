"""The Streamlit edge: the session's corpus, the filters and years, the selected event, the data problems and
the one streamlit-folium adapter. Only views/ and app.py import this."""
