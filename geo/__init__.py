"""Places and space: the gazetteer, regions, areas, the committed 1962 layers, flows and land. Imports only
datafiles below it: nothing of events, render or Streamlit."""
