"""A class of forty: concurrent reader sessions driven through Streamlit's agent API (`python -m loadtest`)."""
