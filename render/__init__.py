"""HTML, SVG and the map's JavaScript from the atlas's objects: the event panel, source documents, the map's
key and layers, the printable handout. Every data string passes through render.html.esc. No Streamlit."""
