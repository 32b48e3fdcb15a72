"""Each editorial rule is a data test: an event that breaks it fails `python -m events check` with
`path:line: id: field: message`, and the same event, mended, passes."""

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from events.loader import SHIPPED, load_corpus_dir
from events.rules import date_stated
from geo.gazetteer import load_places

ROOT = Path(__file__).resolve().parent.parent

GOOD = {
    "id": "test-khorgos",
    "title": {"en": "Crowds at the Khorgos port", "zh": "霍尔果斯口岸的人群"},
    "when": "1962-04-22",
    "place": "khorgos",
    "category": "flight",
    "excerpts": [
        {
            "source": "ita-affair",
            "start": 58,
            "end": 129,
            "text": "In the early morning of April 22, 1962, at the Khorgos port in Xinjiang",
        }
    ],
}
REFERENCE = {
    "id": "test-ref",
    "author": "A. Historian",
    "title": "A Book",
    "publisher": "A Press",
    "year": 2001,
    "kind": "book",
}
NOTE = {
    "kind": "date",
    "text": {"en": "The date is from the book.", "zh": "日期据该书。"},
    "ref": "test-ref",
    "pages": "12",
}


def a_farm() -> str:
    places, _ = load_places()
    return next(p.id for p in places.values() if p.kind == "farm")


def broken_examples():
    """(name, the event, the field the checker must name, a word its message must contain)."""
    certainty = dict(GOOD, certainty="certain")
    other_day = dict(GOOD, when="1962-04-23")
    unknown_ref = dict(GOOD, when="1962-04-23", notes=[dict(NOTE, ref="no-such-book")])
    far_city = dict(GOOD, place="yining")
    farm = dict(GOOD, place=a_farm())
    only_against = copy.deepcopy(GOOD)
    only_against["excerpts"][0]["role"] = "contradicts"
    claim = {"en": "A claim (the essay)", "zh": "一种说法（文章）"}
    claimless = copy.deepcopy(GOOD)
    claimless["disputed"] = True
    # (each its own copy: YAML would write shared objects as aliases, which the reader refuses)
    claimless["excerpts"] = [dict(GOOD["excerpts"][0], claim=dict(claim)), dict(GOOD["excerpts"][0], claim=dict(claim)),
                             dict(GOOD["excerpts"][0])]  # fmt: skip
    return [
        ("typed certainty", certainty, "certainty", "computed"),
        ("a day no excerpt states", other_day, "when", "date"),
        ("a note citing no bibliography entry", unknown_ref, "notes.0.ref", "bibliography"),
        ("a city the passage does not name", far_city, "place", "Yining"),
        ("a farm no passage names", farm, "place", "farm"),
        ("no supporting excerpt", only_against, "excerpts", "note never replaces"),
        ("a disputed event's excerpt without a claim", claimless, "excerpts.2.claim", "whose claim"),
    ]


def mended_examples():
    return [
        ("as it is", GOOD),
        ("a day from a cited reference", dict(GOOD, when="1962-04-23", notes=[NOTE])),
        ("a government's seat", dict(GOOD, place="yining", stands_for="government")),
        ("a place note", dict(GOOD, place="yining", notes=[dict(NOTE, kind="place")])),
    ]


def make_corpus(tmp_path, event) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(SHIPPED, dst)
    for f in (dst / "events").glob("*.yaml"):
        f.unlink()
    (dst / "events" / "test.yaml").write_text(yaml.safe_dump([event], allow_unicode=True), encoding="utf-8")
    (dst / "bibliography.yaml").write_text(yaml.safe_dump([REFERENCE], allow_unicode=True), encoding="utf-8")
    return dst


@pytest.mark.parametrize("name, event, field, word", broken_examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_each_broken_example_fails_naming_file_line_event_and_field(tmp_path, name, event, field, word):
    dst = make_corpus(tmp_path, event)
    problems = [p for p in load_corpus_dir(dst).problems if p.severity == "error"]
    assert any(p.item == "test-khorgos" and p.field == field and word.lower() in p.message.lower() for p in problems), (
        name,
        [str(p) for p in problems],
    )
    assert all(p.line is not None and p.path.endswith("test.yaml") for p in problems if p.item == "test-khorgos")


def test_the_cli_fails_on_a_broken_example_with_path_line_id_field(tmp_path):
    dst = make_corpus(tmp_path, dict(GOOD, place="yining"))
    result = subprocess.run(
        [sys.executable, "-m", "events", "check", str(dst)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = [ln for ln in result.stdout.splitlines() if "test-khorgos" in ln]
    where, event_id, field, message = line.split(": ", 3)
    assert where.rsplit(":", 1)[0].endswith("test.yaml") and where.rsplit(":", 1)[1].isdigit()
    assert (event_id, field) == ("test-khorgos", "place") and "Yining" in message


@pytest.mark.parametrize("name, event", mended_examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_mended_examples_pass(tmp_path, name, event):
    c = load_corpus_dir(make_corpus(tmp_path, event))
    assert [str(p) for p in c.problems if p.severity == "error"] == [], name
    assert [e.id for e in c.events] == ["test-khorgos"]


@pytest.mark.parametrize(
    "edtf, text, stated",
    [
        ("1962-04-22", "In the early morning of April 22, 1962", True),
        ("1962-04-22", "4月22日，6万多新疆居民离开中国", True),
        ("1963-07-18", "on the 18th of July this year", True),
        ("1962-08-30", "In our note dated 30 August of last year", True),
        ("1962-04-23", "In the early morning of April 22, 1962", False),
        ("1956-06", "it wasn't until June that the People's Daily", True),
        ("1956-04", "it wasn't until June that the People's Daily", False),
        ("1952-04/1952-06", "in April–June 1952 a group of Soviet Tupolev", True),
        ("1962", "no month at all", True),
    ],
)
def test_date_stated(edtf, text, stated):
    assert date_stated(edtf, [text]) is stated
