"""The corpus and its model: sources, events, excerpts, the loader and the checker."""
