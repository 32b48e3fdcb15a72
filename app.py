"""The Yi–Ta atlas: router and frame (page config, navigation, the shared sidebar filters)."""

from pathlib import Path

import streamlit as st

from ui import a11y, filters, layout, lesson, mapview, problems, restart, session

HERE = Path(__file__).parent

st.set_page_config(page_title="Yi–Ta Atlas · 伊塔事件地图", layout="wide")


mapview.offline_assets()
layout.frame()

filters.sidebar(session.corpus())
a11y.page_frame(unsaved=lesson.unsaved())  # a reload would lose a lesson not downloaded: ask first
_ = filters.tr()

pages = [
    st.Page(HERE / "views" / "map.py", title=_("Map"), url_path="map", default=True),
    st.Page(HERE / "views" / "timeline.py", title=_("Timeline"), url_path="timeline"),
    st.Page(HERE / "views" / "present.py", title=_("Present"), url_path="present"),
    st.Page(HERE / "views" / "lesson.py", title=_("Lesson"), url_path="lesson"),
    st.Page(HERE / "views" / "sources.py", title=_("Sources"), url_path="sources"),
    st.Page(HERE / "views" / "upload.py", title=_("Your events"), url_path="upload"),
    st.Page(HERE / "views" / "about.py", title=_("About"), url_path="about"),
]
problems.data_notice()
restart.notice()  # uploaded events lost to a restart: say so on every page
st.navigation(pages).run()
