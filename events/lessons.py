"""Lessons: ordered walks through the corpus for the Present page, read from YAML, from a lesson file
(a ZIP bundle a teacher downloads and uploads again) or from a link."""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from datafiles.problems import DataFileError, Problem
from datafiles.yamlfile import CONTROL, MAX_BYTES, Lines, inside, line_of, read_yaml
from events.upload import ACCEPTED, MAX_FILES

LESSONS = Path(__file__).parent / "lessons"

MAX_STEPS = 100  # steps in one lesson: a term's worth of events, and every step is drawn on the Lesson page
MAX_TITLE = 200  # characters of a title
MAX_TEXT = 1000  # characters of a note or a question: what a projector shows under a slide
LESSON_FILE = "lesson.yaml"  # the lesson inside a bundle
EVENTS_FOLDER = "events"  # the teacher's own event files and source texts inside a bundle
BUNDLE_MAX_BYTES = MAX_BYTES  # a bundle as uploaded: the app's upload limit (5 MB)
BUNDLE_MAX_MEMBERS = MAX_FILES + 1  # the lesson and as many files as one upload of events takes
BUNDLE_MAX_TOTAL = 4 * MAX_BYTES  # bytes of every member unpacked: a zip bomb stops here
LINK_MAX = 2000  # characters of a lesson's link: longer addresses are cut by chat apps and some browsers
LINK_PARAM = "plan"  # the URL parameter that carries a lesson (`lesson` and `step` name a shipped one)
_LINK_UNPACKED = 200_000  # bytes a link's text may inflate to


@dataclass(frozen=True)
class Step:
    """One step of a lesson: an event, and what the teacher adds to it (a note, a question for the class),
    each {en, zh}; a teacher's own words are the same text in both."""

    event: str
    note: dict = field(default_factory=dict)
    question: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Lesson:
    """An ordered walk through the corpus for the Present page: a title {en, zh} and its steps."""

    id: str
    title: dict
    steps: tuple[Step, ...]

    @property
    def event_ids(self) -> tuple[str, ...]:
        """The events of the steps, in order."""
        return tuple(step.event for step in self.steps)


def text_in(text: dict, lang: str) -> str:
    """A title, note or question {en, zh} in `lang` (English when it has none in `lang`)."""
    return text.get(lang) or text.get("en") or ""


def plain(text: str) -> dict:
    """A teacher's own words: shown as written in either language."""
    return {"en": text, "zh": text} if text else {}


def _text(value, limit: int, where: str, label: str, item: str, line: int | None, problems: list) -> dict | None:
    """A text {en, zh} from a plain string or a mapping of them; None (and a problem) if it is neither, or
    longer than `limit`."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        value = {"en": value, "zh": value}
    if not isinstance(value, dict) or not all(isinstance(value.get(k, ""), str) for k in ("en", "zh")):
        problems.append(Problem(label, line, item, where, "must be text, or {en: …, zh: …}"))
        return None
    texts = {k: value[k].strip() for k in ("en", "zh") if value.get(k, "").strip()}
    if any(len(t) > limit for t in texts.values()):
        problems.append(Problem(label, line, item, where, f"longer than {limit:,} characters"))
        return None
    if any(CONTROL.search(t) for t in texts.values()):
        problems.append(Problem(label, line, item, where, "contains a control character"))
        return None
    return texts


def lesson_from_data(data, lines: Lines, label: str, known: set[str], lesson_id: str | None = None):
    """A Lesson from the mapping a lesson file (or link) holds: (Lesson or None, problems). A step is an
    event id, or {event, note, question}; steps naming events not in `known`, or an event twice, are
    reported and left out. `lesson_id` replaces the file's own id (a bundle's or link's lesson)."""
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list) or not (lesson_id or data.get("id")):
        problems.append(Problem(label, 1, "-", "-", "a lesson needs an id, a title {en, zh} and a list of steps"))
        return None, problems
    item = str(lesson_id or data["id"])
    title = _text(data.get("title"), MAX_TITLE, "title", label, item, line_of(lines, ("title",)), problems)
    raw_steps = data["steps"]
    if len(raw_steps) > MAX_STEPS:
        problems.append(Problem(label, line_of(lines, ("steps", MAX_STEPS)), item, f"steps.{MAX_STEPS}",
                                f"more than {MAX_STEPS} steps: the ones after step {MAX_STEPS} are left out"))  # fmt: skip
    steps: list[Step] = []
    for i, raw in enumerate(raw_steps[:MAX_STEPS]):
        line, where = line_of(lines, ("steps", i)), f"steps.{i}"
        if isinstance(raw, str):
            raw = {"event": raw}
        if not isinstance(raw, dict) or not isinstance(raw.get("event"), str):
            problems.append(Problem(label, line, item, where, "a step is an event id, or {event: id, note: …, question: …}"))  # fmt: skip
            continue
        event = raw["event"]
        if event not in known:
            problems.append(Problem(label, line, item, where, f"unknown event {event!r}"))
            continue
        if event in (s.event for s in steps):
            problems.append(Problem(label, line, item, where, f"event {event!r} is already a step of this lesson"))
            continue
        note = _text(raw.get("note"), MAX_TEXT, f"{where}.note", label, item, line, problems)
        question = _text(raw.get("question"), MAX_TEXT, f"{where}.question", label, item, line, problems)
        steps.append(Step(event, note or {}, question or {}))
    title = title or {"en": item}
    return Lesson(
        item, {"en": title.get("en") or title.get("zh") or item, "zh": title.get("zh", "")}, tuple(steps)
    ), problems


def load_lessons(known: set[str], folder: Path = LESSONS) -> tuple[list[Lesson], list[Problem]]:
    """Every lesson file in `folder`; steps naming unknown events are reported and left out."""
    lessons, problems = [], []
    for path in sorted(folder.glob("*.yaml")):
        label = str(path)
        if not inside(path, folder):
            problems.append(Problem(label, None, "-", "-", f"resolves outside the lessons folder ({folder}), to "
                                    f"{path.resolve()}: a lesson must be a file inside it; it is not read"))  # fmt: skip
            continue
        try:
            data, lines = read_yaml(path, label=label)
        except DataFileError as exc:
            problems += exc.problems
            continue
        lesson, found = lesson_from_data(data, lines, label, known)
        problems += found
        if lesson is not None:
            lessons.append(lesson)
    return lessons, problems


def read_lesson(data: bytes, label: str, known: set[str], lesson_id: str) -> tuple[Lesson | None, list[Problem]]:
    """A lesson from the bytes of a lesson file (YAML: its size, aliases and nesting checked by read_yaml)."""
    try:
        raw, lines = read_yaml(None, label=label, data=data)
    except DataFileError as exc:
        return None, exc.problems
    return lesson_from_data(raw, lines, label, known, lesson_id)


def _written(text: dict):
    """A text as a lesson file holds it: plain when both languages say the same."""
    if not text:
        return None
    return text["en"] if text.get("en") == text.get("zh") else dict(text)


def lesson_yaml(lesson: Lesson) -> str:
    """The lesson as a YAML lesson file (what events/lessons/ holds, with notes and questions)."""
    steps = []
    for step in lesson.steps:
        extra = {k: _written(v) for k, v in (("note", step.note), ("question", step.question)) if v}
        steps.append({"event": step.event, **extra} if extra else step.event)
    body = {"id": lesson.id, "title": _written(lesson.title) or lesson.id, "steps": steps}
    return (
        "# A lesson of the Yi–Ta atlas: upload this file (or the .zip it came in) on the atlas's Lesson page.\n"
        + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=110)
    )


def slug(lesson: Lesson) -> str:
    """A file name's part for the lesson: its English title in lower-case ASCII words ("lesson" if none)."""
    words = re.sub(r"[^a-z0-9]+", "-", text_in(lesson.title, "en").lower()).strip("-")[:60].strip("-")
    return words or "lesson"


def bundle_name(lesson: Lesson) -> str:
    """The file name a lesson downloads as."""
    return f"yita-lesson-{slug(lesson)}.zip"


# What unpacking a damaged or odd member raises: a bad CRC, a broken stream, an unknown compression
# method, a password.
_UNPACK_ERRORS = (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, RuntimeError, ValueError)
_STAMP = (1980, 1, 1, 0, 0, 0)  # every member's date: the same lesson gives the same bytes


def write_bundle(lesson: Lesson, files: list[tuple[str, bytes]] = ()) -> bytes:
    """The lesson file: a ZIP holding lesson.yaml and, under events/, the files the teacher's own events
    and source texts were read from (`files`, (name, bytes) each)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(zipfile.ZipInfo(LESSON_FILE, _STAMP), lesson_yaml(lesson).encode("utf-8"), zipfile.ZIP_DEFLATED)
        for name, data in files:
            member = zipfile.ZipInfo(f"{EVENTS_FOLDER}/{PurePosixPath(name.replace(chr(92), '/')).name}", _STAMP)
            bundle.writestr(member, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _bad_member(name: str) -> str | None:
    """Why a bundle's member is not read (a path out of the bundle, a kind of file it never holds); None
    for lesson.yaml and events/<file>."""
    if name == LESSON_FILE:
        return None
    parts = name.split("/")
    if "\\" in name or name.startswith("/") or ":" in name or ".." in parts or CONTROL.search(name):
        return "a path that leads out of the lesson file: not read"
    if len(parts) != 2 or parts[0] != EVENTS_FOLDER or not parts[1] or parts[1].startswith("."):
        return f"not read: a lesson file holds {LESSON_FILE} and the files of the folder {EVENTS_FOLDER}/ only"
    if len(parts[1]) > 200:
        return "a file name longer than 200 characters: not read"
    if PurePosixPath(parts[1]).suffix.lower().lstrip(".") not in ACCEPTED:
        return f"not an event file or a source text ({', '.join('.' + a for a in ACCEPTED)}): not read"
    return None


def open_bundle(data: bytes, label: str) -> tuple[bytes | None, list[tuple[str, bytes]], list[Problem]]:
    """The lesson file's lesson.yaml (None if it cannot be read), its event files and source texts
    ((name, bytes) each, to be checked like an upload), and every problem found. A .yaml file is a
    lesson on its own. Sizes are counted while unpacking, never taken from the archive's own word."""
    problems: list[Problem] = []

    def fail(message: str, where: str = label) -> tuple[None, list, list[Problem]]:
        return None, [], [*problems, Problem(where, None, "-", "-", message)]

    if len(data) > BUNDLE_MAX_BYTES:
        return fail(f"the file is {len(data):,} bytes; the limit is {BUNDLE_MAX_BYTES:,}")
    if label.lower().endswith((".yaml", ".yml")):
        return data, [], []
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return fail("not a lesson file: a lesson file is the .zip (or the lesson .yaml) the Lesson page downloads")
    try:
        bundle = zipfile.ZipFile(io.BytesIO(data))
        members = bundle.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        return fail(f"not a readable ZIP archive ({exc})")
    if len(members) > BUNDLE_MAX_MEMBERS:
        return fail(f"{len(members):,} files in the archive; a lesson file holds at most {BUNDLE_MAX_MEMBERS}")
    lesson, files, seen, total = None, [], set(), 0
    for member in members:
        name, where = member.filename, f"{label}/{member.filename}"
        if member.is_dir() or name.startswith("__MACOSX/"):  # folders, and what macOS's Compress adds
            continue
        why = _bad_member(name) or ("the archive holds this name twice: not read" if name in seen else None)
        if not why and member.flag_bits & 0x1:
            why = "encrypted: not read (save the lesson file again without a password)"
        if not why and member.file_size > MAX_BYTES:
            why = f"{member.file_size:,} bytes unpacked; the limit is {MAX_BYTES:,}"
        if why:
            problems.append(Problem(where, None, "-", "-", why))
            continue
        seen.add(name)
        try:
            with bundle.open(member) as f:
                content = f.read(MAX_BYTES + 1)  # the header may lie about the size: count what comes out
        except _UNPACK_ERRORS as exc:
            problems.append(Problem(where, None, "-", "-", f"cannot be unpacked ({exc})"))
            continue
        if len(content) > MAX_BYTES:
            problems.append(Problem(where, None, "-", "-", f"more than {MAX_BYTES:,} bytes unpacked: not read"))
            continue
        total += len(content)
        if total > BUNDLE_MAX_TOTAL:
            return fail(f"more than {BUNDLE_MAX_TOTAL:,} bytes unpacked in all: not read further")
        if name == LESSON_FILE:
            lesson = content
        else:
            files.append((name.split("/")[1], content))
    if lesson is None:
        problems.append(
            Problem(label, None, "-", "-", f"no readable {LESSON_FILE} in the archive: no lesson to restore")
        )
    return lesson, files, problems


def _link_body(lesson: Lesson, notes: bool) -> dict:
    def text(t: dict):
        return _written(t) or ""

    steps = [
        [s.event, text(s.note), text(s.question)] if notes and (s.note or s.question) else s.event for s in lesson.steps
    ]
    return {"t": _written(lesson.title) or "", "s": steps}


def link_value(lesson: Lesson, notes: bool = True) -> str:
    """The lesson as the value of the link's `plan` parameter: compact JSON, deflated, in base64url."""
    raw = json.dumps(_link_body(lesson, notes), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")


def lesson_from_link(value: str, known: set[str], lesson_id: str) -> tuple[Lesson | None, list[Problem]]:
    """The lesson a link's `plan` parameter carries (as `link_value` wrote it); a damaged or hostile value
    gives a problem, never an exception."""
    label = "link"

    def fail(message: str):
        return None, [Problem(label, None, "-", LINK_PARAM, message)]

    if len(value) > 2 * LINK_MAX:
        return fail(f"the lesson in the link is {len(value):,} characters; the limit is {2 * LINK_MAX:,}")
    try:
        packed = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, _LINK_UNPACKED)
        if inflater.unconsumed_tail:
            return fail(f"the lesson in the link unpacks to more than {_LINK_UNPACKED:,} bytes")
        body = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError, RecursionError):
        return fail("the link is damaged (cut short when it was copied?): ask for it again")
    if not isinstance(body, dict) or not isinstance(body.get("s"), list):
        return fail("the link holds no lesson")
    steps = [
        {"event": s[0], "note": s[1], "question": s[2]} if isinstance(s, list) and len(s) == 3 else s for s in body["s"]
    ]
    return lesson_from_data({"title": body.get("t"), "steps": steps}, {}, label, known, lesson_id)
