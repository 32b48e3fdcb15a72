"""The problems in the atlas's own data files: listed on the About page, and a short warning on every page
while a file is missing or broken."""

from __future__ import annotations

import streamlit as st

from datafiles.problems import Problem, rel
from geo.layers import layer_problems
from i18n import catalog_problems
from ui import session
from ui.filters import tr


def data_problems() -> list[Problem]:
    """Every problem found in the atlas's own data files (corpus, flows, lessons, map layers, catalogs)."""
    found = list(session.shipped().problems) + session.flows()[1] + session.lessons()[1]
    found += [Problem(rel(path), None, "-", "-", why) for path, why in layer_problems()]
    found += [Problem(rel(path), line, "-", "-", why) for path, line, why in catalog_problems()]
    return found


def broken_files() -> list[str]:
    """The data files with an error (not merely an unverified excerpt), each named once."""
    return list(dict.fromkeys(p.path for p in data_problems() if p.severity == "error"))


def data_notice() -> None:
    """A short warning on every page while a data file is missing or broken (About lists each problem)."""
    files = broken_files()
    if files:
        _ = tr()
        shown = ", ".join(files[:4]) + (" …" if len(files) > 4 else "")
        st.warning(
            _("Some data files could not be read: {files}. Pages that need them show less; the About page "
              "lists every problem.", files=shown),
            icon=":material/report:",
        )  # fmt: skip
