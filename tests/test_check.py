"""`python -m events check` passes on the shipped corpus and names the event of any forged excerpt."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from events.loader import SHIPPED

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "events", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def corpus_copy(tmp_path):
    dst = tmp_path / "corpus"
    shutil.copytree(SHIPPED, dst)
    return dst


def first_event(dst):
    path = sorted((dst / "events").glob("*.yaml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return path, data


def test_shipped_corpus_passes():
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_forged_excerpt_fails_naming_the_event(corpus_copy):
    path, data = first_event(corpus_copy)
    victim = data[0]
    text = victim["excerpts"][0]["text"]
    forged = text.replace(text.split()[0], "Allegedly", 1) if " " in text else "伪造" + text[2:]
    original = path.read_text(encoding="utf-8")
    assert text in original or text.replace('"', '\\"') in original
    path.write_text(
        original.replace(text, forged, 1)
        if text in original
        else original.replace(text.replace('"', '\\"'), forged, 1),
        encoding="utf-8",
    )
    result = run("check", str(corpus_copy))
    assert result.returncode == 1
    [line] = [ln for ln in result.stdout.splitlines() if victim["id"] in ln]
    path_part, lineno, event_id, field, message = line.split(": ", 4)[0].rsplit(":", 1) + line.split(": ", 4)[1:]
    assert path_part.endswith(path.name) and lineno.isdigit()
    assert event_id == victim["id"] and field == "excerpts.0.text"
    assert "not found verbatim" in message
    assert "Traceback" not in result.stderr


def test_moved_locator_is_reported_with_the_right_one(corpus_copy):
    path, data = first_event(corpus_copy)
    victim = data[0]
    ex = victim["excerpts"][0]
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace(f"start: {ex['start']}\n", f"start: {ex['start'] + 1}\n", 1), encoding="utf-8")
    result = run("check", str(corpus_copy))
    assert result.returncode == 1
    assert f"{victim['id']}: excerpts.0.text: the passage is in {ex['source']} but not at" in result.stdout
    assert f"start: {ex['start']}, end: {ex['end']}" in result.stdout


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b"", "the file is empty"),
        (b"- id: x\n  title: [unclosed\n", "not valid YAML"),
        (b"- &a [1]\n- *a\n", "aliases"),
        (b"id: not-a-list\n", "a list of events"),
        (
            b"- id: bad-date\n  title: {en: A, zh: B}\n  when: '1962-02-30'\n  place: khorgos\n  category: flight\n"
            b"  excerpts:\n  - {source: ita-affair, text: 'In the early morning', start: 58, end: 78}\n",
            "bad-date: when: '1962-02-30' is not a valid EDTF date",
        ),
        (
            b"- id: nowhere\n  title: {en: A, zh: B}\n  when: '1962'\n  place: atlantis\n  category: flight\n"
            b"  excerpts:\n  - {source: ita-affair, text: 'In the early morning', start: 58, end: 78}\n",
            "nowhere: place: unknown place 'atlantis'",
        ),
        (
            b"- id: extra\n  title: {en: A, zh: B}\n  when: '1962'\n  place: khorgos\n  category: flight\n  colour: red\n"
            b"  excerpts:\n  - {source: ita-affair, text: 'In the early morning', start: 58, end: 78}\n",
            "extra: -: unknown field: 'colour' was unexpected",
        ),
    ],
)
def test_bad_event_files_get_a_clear_message(tmp_path, content, expected):
    path = tmp_path / "events.yaml"
    path.write_bytes(content)
    result = run("check", str(path))
    assert result.returncode == 1
    assert expected in result.stdout
    assert "Traceback" not in result.stderr


def test_locate_prints_a_locator():
    result = run("locate", "ita-affair", "In the early morning of April 22, 1962")
    assert result.returncode == 0
    assert "start: 58" in result.stdout and "end: 96" in result.stdout


def test_help_is_clear():
    for cmd in ("check", "locate", "export"):
        result = run(cmd, "--help")
        assert result.returncode == 0 and "usage: python -m events" in result.stdout


@pytest.mark.parametrize("fmt, name", [("geojson", "corpus.geojson"), ("csv", "corpus.csv")])
def test_check_reads_the_export_formats_and_names_a_forged_event(tmp_path, fmt, name):
    exported = run("export", "--format", fmt).stdout
    path = tmp_path / name
    path.write_text(exported, encoding="utf-8")
    assert run("check", str(path)).returncode == 0
    forged = exported.replace("In the early morning of April 22, 1962", "In the late evening of April 22, 1962", 1)
    assert forged != exported
    path.write_text(forged, encoding="utf-8")
    result = run("check", str(path))
    assert result.returncode == 1
    assert "khorgos-crossing-1962-04-22" in result.stdout and "not found verbatim" in result.stdout
    assert "Traceback" not in result.stderr
