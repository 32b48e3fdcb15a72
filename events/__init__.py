"""The corpus and its model: sources, events and excerpts, the category table, loading, checking, the editorial
rules, interchange formats and search. Imports geo and datafiles below it; never render, ui or Streamlit."""
