"""Broken shipped data: with a data file missing or corrupt, the app names the file (never a traceback)
and the pages that do not need it keep working.

Each case runs the app from a COPY of the atlas (code and data) in a temporary folder, in a process of
its own, so the shipped files are never touched: the copy's file is spoiled, then every page is run
with Streamlit's AppTest and what it shows is reported back as JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["views/map.py", "views/timeline.py", "views/present.py", "views/sources.py", "views/upload.py",
         "views/about.py"]  # fmt: skip

_RUNNER = r"""
import json, sys
from streamlit.testing.v1 import AppTest

out = {}
for page in json.loads(sys.argv[1]):
    at = AppTest.from_file("app.py", default_timeout=120)
    at.query_params["lang"] = sys.argv[2]
    at.run()
    at.switch_page(page).run()
    shown = []
    for kind in ("title", "warning", "error", "code", "info", "markdown", "caption"):
        shown += [str(getattr(el, "value", "")) for el in at.get(kind)]
    out[page] = {"exceptions": [str(e.value) for e in at.exception], "text": "\n".join(shown),
                 "components": len(at.get("component_instance"))}
print(json.dumps(out))
"""


def _copy(tmp: Path) -> Path:
    app = tmp / "atlas"
    for name in ("app.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, app / name if app.exists() else _mk(app) / name)
    for folder in ("views", "ui", "render", "events", "geo", "datafiles", "i18n", ".streamlit"):
        shutil.copytree(ROOT / folder, app / folder, ignore=shutil.ignore_patterns("__pycache__", "build"))
    (app / "static").symlink_to(ROOT / "static")  # the offline scripts; published event files land there
    return app


def _mk(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def _run(app: Path, lang: str = "en") -> dict:
    env = {**os.environ, "PYTHONPATH": str(app)}
    env.pop("ATLAS_CORPUS", None)
    result = subprocess.run([sys.executable, "-c", _RUNNER, json.dumps(PAGES), lang], cwd=app, env=env,
                            capture_output=True, text=True, timeout=400)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _source_text(app: Path) -> Path:
    return sorted((app / "events" / "corpus" / "sources").glob("*.txt"))[0]


def _spoil_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


# (case, what to do to the copy, the file's name as the app must show it, pages that need the file)
CASES = [
    ("source-text-missing", lambda app: _source_text(app).unlink(), "000_b4e40609660dacf4.txt", set()),
    ("source-text-not-utf8", lambda app: _spoil_bytes(_source_text(app), "Ürümqi".encode("latin-1") * 50),
     "000_b4e40609660dacf4.txt", set()),
    ("sources-yaml-corrupt", lambda app: _spoil_bytes(app / "events/corpus/sources.yaml", b"- id: [unclosed\n"),
     "sources.yaml", set()),
    ("sources-yaml-missing", lambda app: (app / "events/corpus/sources.yaml").unlink(), "sources.yaml", set()),
    ("event-file-corrupt", lambda app: _spoil_bytes(app / "events/corpus/events/split.yaml", b"\x00\x01binary"),
     "split.yaml", set()),
    ("gazetteer-corrupt", lambda app: _spoil_bytes(app / "geo/gazetteer.yaml", b"- id: khorgos\n  name: {en: \n"),
     "gazetteer.yaml", {"views/present.py"}),
    ("flows-corrupt", lambda app: _spoil_bytes(app / "geo/flows.yaml", b"- id: broken-flow\n"), "flows.yaml", set()),
    ("regions-corrupt", lambda app: _spoil_bytes(app / "geo/data/regions.geojson", b'{"type": "Feature'),
     "regions.geojson", set()),
    ("rivers-missing", lambda app: (app / "geo/data/rivers.geojson").unlink(), "rivers.geojson", set()),
    ("catalog-corrupt", lambda app: _spoil_bytes(app / "i18n/locales/zh/LC_MESSAGES/messages.po",
                                                 b'msgid "Map"\nmsgstr "\xff\xfe'), "messages.po", set()),
    ("lesson-corrupt", lambda app: _spoil_bytes(app / "events/lessons/yita-1962.yaml", b"a: &a [1]\nb: *a\n"),
     "yita-1962.yaml", {"views/present.py"}),
]  # fmt: skip


def _digests() -> dict[str, str]:
    files = [p for folder in ("events", "geo", "i18n") for p in (ROOT / folder).rglob("*") if p.is_file()]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def shipped_digests():
    before = _digests()
    yield before
    assert _digests() == before, "a broken-data test changed a shipped file"


@pytest.mark.parametrize(("case", "spoil", "name", "needs"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_data_file_is_named_and_other_pages_work(case, spoil, name, needs, tmp_path, shipped_digests):
    app = _copy(tmp_path)
    spoil(app)
    lang = "zh" if case == "catalog-corrupt" else "en"
    pages = _run(app, lang)
    for page, shown in pages.items():
        assert not shown["exceptions"], (page, shown["exceptions"])
        assert "Traceback" not in shown["text"], page
    # the About page lists the problem with the file's name; every page carries the short notice
    assert name in pages["views/about.py"]["text"], pages["views/about.py"]["text"][-2000:]
    for page, shown in pages.items():
        assert name in shown["text"], (page, "the notice naming the file is missing")
    # pages that do not need the file still show what they show
    for page in set(PAGES) - needs:
        assert pages[page]["text"].strip(), page
    assert pages["views/map.py"]["components"] >= 1  # the map is still drawn
