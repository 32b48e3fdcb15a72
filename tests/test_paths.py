"""Files stay inside the corpus (issue 15): a source text, lesson or event file that resolves outside its
folder is refused naming it; devices, FIFOs and sockets are refused before reading; sizes are counted while
reading; every command exits non-zero with a message on a missing or unreadable path."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from datafiles.problems import DataFileError
from datafiles.yamlfile import read_limited
from events.lessons import LESSONS, load_lessons
from events.loader import SHIPPED, load_corpus_dir

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.usefixtures("deadline")  # a device or a FIFO must never hang a test (tests/conftest.py)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(SHIPPED, root)
    return root


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def _name_source_file(root: Path, file: str) -> str:
    """Point the first source of sources.yaml at `file`; return the source's id."""
    text = (root / "sources.yaml").read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.strip().startswith("file:"))
    (root / "sources.yaml").write_text(text.replace(first, first.split("file:")[0] + f"file: {file}", 1))
    data = __import__("yaml").safe_load((root / "sources.yaml").read_text(encoding="utf-8"))
    return next(s["id"] for s in data if s.get("file") == file)


@pytest.mark.parametrize("file", ["../../../../../../../../etc/passwd", "/etc/passwd", "link.txt"])
def test_a_source_file_outside_the_corpus_is_refused_naming_it(corpus_copy, file):
    (corpus_copy / "link.txt").symlink_to("/etc/passwd")
    sid = _name_source_file(corpus_copy, file)
    corpus = load_corpus_dir(corpus_copy)
    refused = [p for p in corpus.problems if "outside the corpus" in p.message]
    assert refused and refused[0].item == sid and file in str(refused[0]), corpus.problems
    assert not corpus.sources[sid].available  # nothing of the file reaches a reader
    result = _run("events", "check", str(corpus_copy))
    assert result.returncode == 1 and "outside the corpus" in result.stdout


def test_an_event_file_linked_from_outside_the_corpus_is_refused(corpus_copy, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(corpus_copy / "events" / "early.yaml", outside)
    (corpus_copy / "events" / "early.yaml").unlink()
    (corpus_copy / "events" / "early.yaml").symlink_to(outside)
    corpus = load_corpus_dir(corpus_copy)
    assert any("early.yaml" in p.path and "outside the corpus" in p.message for p in corpus.problems)


def test_a_lesson_linked_from_outside_its_folder_is_refused(tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    shutil.copy(next(LESSONS.glob("*.yaml")), folder / "ok.yaml")
    outside = tmp_path / "outside.yaml"
    shutil.copy(folder / "ok.yaml", outside)
    (folder / "evil.yaml").symlink_to(outside)
    lessons, problems = load_lessons(set(), folder)
    assert len(lessons) == 1 and any("evil.yaml" in p.path and "outside" in p.message for p in problems)


@pytest.mark.parametrize("kind", ["device", "fifo", "socket"])
def test_check_refuses_devices_fifos_and_sockets_before_reading(tmp_path, kind):
    path = tmp_path / "events.yaml"
    if kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
    result = _run("events", "check", str(path))
    assert result.returncode == 1 and "not a regular file" in result.stdout, result
    assert "Traceback" not in result.stderr


def test_a_source_text_that_is_a_fifo_is_refused(corpus_copy):
    sid = _name_source_file(corpus_copy, "sources/pipe.txt")
    os.mkfifo(corpus_copy / "sources" / "pipe.txt")
    corpus = load_corpus_dir(corpus_copy)
    assert any(p.item == sid and "not a regular file" in p.message for p in corpus.problems)


def test_sizes_are_counted_while_reading_not_taken_from_stat():
    """/proc files say they are 0 bytes long: the limit must hold all the same."""
    with pytest.raises(DataFileError) as err:
        read_limited(Path("/proc/self/maps"), "maps", max_bytes=10)
    assert "the limit is 10" in str(err.value)


@pytest.mark.parametrize(
    "args",
    [
        ("events", "export", "--format", "csv", "--corpus", "/no/such/corpus"),
        ("events", "export", "--format", "geojson", "--corpus", "/no/such/events.geojson"),
        ("events", "export", "--format", "csv", "--corpus", "/dev/zero"),
        ("events", "locate", "--corpus", "/no/such/corpus", "ita-affair", "Khorgos"),
        ("events", "check", "/no/such/events.yaml"),
    ],
)
def test_every_command_exits_non_zero_with_a_message_on_a_missing_path(args):
    result = _run(*args)
    assert result.returncode != 0, result
    assert "/no/such" in result.stderr + result.stdout or "/dev/zero" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    if args[1] == "export":
        assert not result.stdout  # no header of an empty export, as if it had worked


def test_an_unreadable_file_is_a_message(tmp_path):
    """A file the checker cannot read gives a message, not a traceback. Root (CI) reads a file of mode 0,
    so the unreadable file is /proc/self/mem: a regular file whose first bytes fail to read (EIO) for any
    user, reached through a link with an event file's name."""
    path = tmp_path / "events.yaml"
    path.symlink_to("/proc/self/mem")
    result = _run("events", "check", str(path))
    assert result.returncode == 1 and "cannot read" in result.stdout, result
    assert "Traceback" not in result.stderr
