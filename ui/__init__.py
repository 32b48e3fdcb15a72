"""The Streamlit edge: cached data, shared filter state and the URL. Only pages import this."""
