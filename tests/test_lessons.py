"""Lessons: the model (steps with a note and a question), lesson files written and read back with the
teacher's own events, hostile lesson files and links refused with a message, links that round-trip, and
the Lesson page in AppTest."""

from __future__ import annotations

import base64
import io
import json
import zipfile
import zlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from events.lessons import (
    BUNDLE_MAX_BYTES,
    BUNDLE_MAX_MEMBERS,
    LINK_MAX,
    MAX_STEPS,
    MAX_TEXT,
    Lesson,
    Step,
    bundle_name,
    lesson_from_link,
    lesson_yaml,
    link_value,
    load_lessons,
    open_bundle,
    plain,
    read_lesson,
    write_bundle,
)
from events.sheet import example_files
from events.upload import read_upload
from tests.test_hostile import _geojson

APP = str(Path(__file__).resolve().parent.parent / "app.py")
LETTER = "A letter of 1962. The trucks came at dawn, and the families walked to the border. The end."
QUOTE = "The trucks came at dawn"


def _own_files() -> list[tuple[str, bytes]]:
    """An event of the teacher's own, citing a source text of the teacher's own: (name, bytes) each."""
    start = LETTER.index(QUOTE)

    def mutate(props, feature, data):
        props["id"] = feature["id"] = "my-dawn-trucks"
        props["title"] = {"en": "Trucks at dawn", "zh": "黎明的卡车"}
        props["excerpts"] = [{"source": "my-letter", "text": QUOTE, "start": start, "end": start + len(QUOTE)}]

    return [("my-letter.txt", LETTER.encode()), ("my-events.geojson", _geojson(mutate))]


def _lesson(ids, **texts) -> Lesson:
    return Lesson("your-lesson", plain("Spring 1962"), tuple(Step(i, **texts) for i in ids))


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def known(corpus) -> set[str]:
    return {e.id for e in corpus.events}


# The model


def test_the_shipped_lesson_is_a_list_of_ids_and_still_reads(known):
    lessons, problems = load_lessons(known)
    assert problems == []
    [lesson] = [lesson for lesson in lessons if lesson.id == "yita-1962"]
    assert len(lesson.steps) == 20 and lesson.event_ids[0] == "secret-speech-1956"
    assert all(step.note == {} and step.question == {} for step in lesson.steps)
    assert lesson.title["zh"] == "1962年伊塔事件"


def test_a_yaml_lesson_carries_notes_and_questions_and_reports_each_bad_step(tmp_path, known):
    (tmp_path / "spring.yaml").write_text(
        "id: spring\ntitle: {en: Spring, zh: 春}\nsteps:\n"
        "  - secret-speech-1956\n"
        "  - event: yining-riot-1962\n    note: {en: Read it aloud, zh: 朗读}\n    question: Who wrote this?\n"
        "  - nowhere-1962\n"  # line 8: unknown
        "  - secret-speech-1956\n"  # line 9: twice
        "  - [not, a, step]\n"  # line 10
        f"  - event: zhenbao-island-1969\n    note: {'x' * (MAX_TEXT + 1)}\n",  # line 11: note too long
        encoding="utf-8",
    )
    [lesson], problems = load_lessons(known, tmp_path)
    assert lesson.event_ids == ("secret-speech-1956", "yining-riot-1962", "zhenbao-island-1969")
    assert lesson.steps[2].note == {}  # a note too long is left out, with a problem; its step stays
    step = lesson.steps[1]
    assert step.note == {"en": "Read it aloud", "zh": "朗读"}
    assert step.question == {"en": "Who wrote this?", "zh": "Who wrote this?"}  # the teacher's words, as written
    found = {(p.line, p.field): p.message for p in problems}
    assert "unknown event 'nowhere-1962'" in found[8, "steps.2"]
    assert "already a step" in found[9, "steps.3"]
    assert "a step is an event id" in found[10, "steps.4"]
    assert f"longer than {MAX_TEXT:,}" in found[11, "steps.5.note"]


def test_a_lesson_written_as_yaml_reads_back_the_same(known):
    lesson = Lesson(
        "your-lesson",
        {"en": "Spring", "zh": "春"},
        (Step("yining-riot-1962", plain("Read «this» aloud: {x} `y`"), {"en": "Why?", "zh": "为什么？"}),
         Step("secret-speech-1956")),
    )  # fmt: skip
    again, problems = read_lesson(lesson_yaml(lesson).encode(), "lesson.yaml", known, "your-lesson")
    assert problems == [] and again == lesson


# Lesson files (bundles)


def test_a_lesson_file_with_own_events_and_a_source_text_round_trips(corpus):
    files = _own_files()
    upload = read_upload(files, corpus)
    assert [e.id for e in upload.events] == ["my-dawn-trucks"] and not upload.errors
    lesson = _lesson(["secret-speech-1956", "my-dawn-trucks"], note=plain("Look at the date"))
    data = write_bundle(lesson, files)
    assert data == write_bundle(lesson, files)  # the same lesson gives the same bytes
    assert bundle_name(lesson) == "yita-lesson-spring-1962.zip"

    lesson_bytes, unpacked, problems = open_bundle(data, "yita-lesson-spring-1962.zip")
    assert problems == [] and unpacked == files
    again = read_upload(unpacked, corpus)  # as the app does: the same checker as an upload
    assert [e.id for e in again.events] == ["my-dawn-trucks"] and "my-letter" in again.sources
    known = {e.id for e in corpus.events} | {e.id for e in again.events}
    restored, problems = read_lesson(lesson_bytes, "lesson.yaml", known, "your-lesson")
    assert problems == [] and restored == lesson


def test_a_lesson_alone_is_a_lesson_file_too(known):
    lesson = _lesson(["secret-speech-1956"])
    lesson_bytes, files, problems = open_bundle(lesson_yaml(lesson).encode(), "spring.yaml")
    assert files == [] and problems == []
    assert read_lesson(lesson_bytes, "spring.yaml", known, "your-lesson")[0] == lesson


def test_a_restored_lesson_without_its_events_says_which_are_missing(corpus, known):
    data = write_bundle(_lesson(["secret-speech-1956", "my-dawn-trucks"]), [])
    lesson_bytes, _files, _problems = open_bundle(data, "l.zip")
    restored, problems = read_lesson(lesson_bytes, "lesson.yaml", known, "your-lesson")
    assert restored.event_ids == ("secret-speech-1956",)
    assert [(p.field, p.message) for p in problems] == [("steps.1", "unknown event 'my-dawn-trucks'")]


LESSON = b"id: x\ntitle: X\nsteps: [secret-speech-1956]\n"


def _bomb(n: int) -> bytes:
    return _zip(
        [("lesson.yaml", LESSON)] + [(f"events/zeros-{i}.txt", b"0" * (BUNDLE_MAX_BYTES - 1)) for i in range(n)]
    )


def _lying_header() -> bytes:
    """A member whose header says 10 bytes but whose stream unpacks to 6 MB."""
    data = bytearray(_zip([("lesson.yaml", LESSON), ("events/big.txt", b"0" * 6_000_000)]))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_len = int.from_bytes(data[at + offset + 4 : at + offset + 6], "little")
            name_at = at + offset + 8 + (14 if signature == b"PK\x01\x02" else 0)
            if data[name_at : name_at + name_len] == b"events/big.txt":
                data[at + offset : at + offset + 4] = (10).to_bytes(4, "little")
            at += 4
    return bytes(data)


def _encrypted() -> bytes:
    data = bytearray(_zip([("lesson.yaml", LESSON), ("events/secret.txt", b"hello")]))
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            data[at + flag_at] |= 1
            at += 4
    return bytes(data)


HOSTILE = {
    "too big": (b"PK\x03\x04" + b"0" * BUNDLE_MAX_BYTES, "the limit is"),
    "not a zip": (b"%PDF-1.7 not a lesson", "not a lesson file"),
    "empty": (b"", "not a lesson file"),
    "truncated": (write_bundle(_lesson(["secret-speech-1956"]))[:60], "not a readable ZIP"),
    "too many members": (
        _zip([("lesson.yaml", LESSON)] + [(f"events/{i}.txt", b"x") for i in range(BUNDLE_MAX_MEMBERS)]),
        f"a lesson file holds at most {BUNDLE_MAX_MEMBERS}",
    ),
    "zip bomb": (_bomb(5), "bytes unpacked in all"),
    "member too big": (_zip([("lesson.yaml", LESSON), ("events/big.txt", b"0" * 6_000_000)]), "the limit is"),
    "size that lies": (_lying_header(), "cannot be unpacked"),  # zipfile reads no more than it says: a bad CRC
    "no lesson": (_zip([("events/a.txt", b"text")]), "no readable lesson.yaml"),
    "encrypted": (_encrypted(), "encrypted"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_lesson_file_gives_a_message_never_a_traceback(case):
    data, message = HOSTILE[case]
    lesson_bytes, files, problems = open_bundle(data, "hostile.zip")
    assert any(message in p.message for p in problems), (case, [str(p) for p in problems])
    assert all(p.path.startswith("hostile.zip") for p in problems)
    assert all(len(content) <= BUNDLE_MAX_BYTES for _name, content in files)


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "/etc/passwd.txt", "events/../../evil.txt", "events\\..\\evil.txt", "events/sub/x.txt",
     "C:/evil.txt", "events/.hidden.txt", "events/run.sh", "notes.txt", "events/x\x01.txt"],
)  # fmt: skip
def test_names_with_paths_are_not_read(name, known):
    lesson_bytes, files, problems = open_bundle(_zip([("lesson.yaml", LESSON), (name, b"x")]), "l.zip")
    assert files == [] and lesson_bytes == LESSON
    assert len(problems) == 1 and problems[0].path == f"l.zip/{name}" and "not read" in problems[0].message


def test_a_name_given_twice_is_read_once():
    data = _zip([("lesson.yaml", LESSON), ("events/a.txt", b"one"), ("events/a.txt", b"two")])
    _lesson_bytes, files, problems = open_bundle(data, "l.zip")
    assert files == [("a.txt", b"one")] and "twice" in problems[0].message


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: &a [1,2]\nb: [*a,*a]\nsteps: [*a]\n", "aliases"),  # billion laughs
        ("steps: " + "[" * 100 + "]" * 100 + "\n", "nested more than"),
        ("steps: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "a lesson needs"),
        ("\x00binary", "NUL"),
        (f"title: t\nsteps: [{', '.join(['secret-speech-1956'] * (MAX_STEPS + 5))}]\n", f"more than {MAX_STEPS} steps"),
    ],
)
def test_a_hostile_lesson_yaml_is_refused_with_its_reason(text, message, known):
    lesson_bytes, _files, problems = open_bundle(_zip([("lesson.yaml", text.encode())]), "l.zip")
    lesson, problems = read_lesson(lesson_bytes, "l.zip/lesson.yaml", known, "your-lesson")
    assert any(message in p.message for p in problems), [str(p) for p in problems]


# Links


def test_a_link_round_trips_a_lesson_of_shipped_events(known):
    lesson = Lesson(
        "linked-lesson",
        {"en": "Spring", "zh": "春天"},
        (Step("yining-riot-1962", plain("Read it aloud"), plain("Who wrote it? 谁写的？")), Step("secret-speech-1956")),
    )
    value = link_value(lesson)
    assert len(value) < 300 and set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert lesson_from_link(value, known, "linked-lesson") == (lesson, [])
    without = lesson_from_link(link_value(lesson, notes=False), known, "linked-lesson")[0]
    assert without.event_ids == lesson.event_ids and without.steps[0].note == {}


def _packed(body) -> str:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


@pytest.mark.parametrize(
    "value, message",
    [
        ("not*base64", "damaged"),
        (_packed({"t": "x", "s": ["secret-speech-1956"]})[:-8], "damaged"),
        (_packed(b"0" * 1_000_000), "unpacks to more than"),  # a small link that inflates to megabytes
        ("A" * (2 * LINK_MAX + 1), "the limit is"),
        (_packed([1, 2, 3]), "holds no lesson"),
        (_packed(b"[" * 100_000), "damaged"),
    ],
)
def test_a_damaged_or_hostile_link_gives_a_message(value, message, known):
    lesson, problems = lesson_from_link(value, known, "linked-lesson")
    assert lesson is None and message in problems[0].message


def test_a_link_naming_an_unknown_event_says_so(known):
    lesson, problems = lesson_from_link(_packed({"t": "x", "s": ["secret-speech-1956", "nowhere"]}), known, "l")
    assert lesson.event_ids == ("secret-speech-1956",) and "unknown event 'nowhere'" in problems[0].message


# The Lesson page (AppTest)


def _app(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_lesson_page_without_steps_says_how_to_add_them(lang):
    at = _app(lang).switch_page("views/lesson.py").run()
    assert not at.exception
    assert at.info and ("Add to lesson" in at.info[0].value) == (lang == "en")


def test_add_reorder_note_and_present():
    at = _app().switch_page("views/map.py").run()
    for event_id in ("yining-riot-1962", "secret-speech-1956"):
        at.session_state["event"] = event_id
        at.run()
        at.button(key="add-to-lesson").click().run()
        assert not at.exception
    assert at.button(key="add-to-lesson").disabled  # the selected event is a step already
    at.switch_page("views/lesson.py").run()
    at.button(key="up-1").click().run()  # the 1956 speech first
    at.text_area(key="lesson-note-secret-speech-1956").input("Read it aloud").run()
    at.text_area(key="lesson-question-secret-speech-1956").input("Why <b>secret</b>?").run()
    at.text_input(key="lesson-title").input("Spring").run()
    assert not at.exception
    at.button(key="lesson-present").click().run()
    assert not at.exception
    assert at.session_state["lesson"] == "your-lesson" and at.session_state["event"] == "secret-speech-1956"
    notes = [h.proto.body for h in at.get("html") if "atlas-step-notes" in h.proto.body]
    assert notes and "Read it aloud" in notes[0] and "Why &lt;b&gt;secret&lt;/b&gt;?" in notes[0]
    # AppTest reruns the page it last switched to, not the one st.switch_page chose: switch as the browser did.
    at.switch_page("views/present.py").run()
    at.button(key="next").click().run()
    assert at.session_state["event"] == "yining-riot-1962"
    # The sidebar is hidden while presenting: the way back to this lesson, and the other language, keep the
    # session (a reload would lose a lesson built in the browser).
    assert sorted(link.proto.label for link in at.get("page_link")) == ["Map", "Your lesson"]
    at.button(key="present-other-lang").click().run()
    assert not at.exception and at.session_state["lang"] == "zh"
    assert at.session_state["lesson"] == "your-lesson" and at.session_state["event"] == "yining-riot-1962"


def _restore_script(data: bytes) -> None:
    from ui import lesson

    lesson.restore_file("spring.zip", data)


def test_a_lesson_file_restores_its_lesson_and_its_events_in_the_session():
    """What the uploader's callback does with a file's bytes (AppTest cannot upload a file; the browser
    test does)."""
    data = write_bundle(_lesson(["my-dawn-trucks", "secret-speech-1956"], question=plain("When?")), _own_files())
    at = AppTest.from_function(_restore_script, args=(data,), default_timeout=60).run()
    assert not at.exception
    assert [s.event for s in at.session_state["_lesson_steps"]] == ["my-dawn-trucks", "secret-speech-1956"]
    assert at.session_state["_lesson_steps"][0].question == plain("When?")
    assert [e.id for e in at.session_state["user_upload"].events] == ["my-dawn-trucks"]


def _restore_beside(held: list, data: bytes) -> None:
    import streamlit as st

    from ui import lesson, session

    session.hold(held, "en")
    st.session_state["restored"] = lesson.restore_file("spring.zip", data)


def test_a_lesson_file_adds_its_events_to_those_held_and_never_replaces_one():
    """Nothing a teacher gave is lost: a lesson's own files join the files the session holds; a held file of
    the same name with other contents is kept, and the problem says so."""
    data = write_bundle(_lesson(["my-dawn-trucks"]), _own_files())
    held = [("earlier.csv", example_files("en")[0][1]), *example_files("en")[1:]]
    at = AppTest.from_function(_restore_beside, args=(held, data), default_timeout=60).run()
    assert not at.exception
    names = [name for name, _data in at.session_state["_user_files"]]
    assert set(names) == {"earlier.csv", "my-letter.txt", "my-events.geojson"} | {n for n, _d in held}
    ids = {e.id for e in at.session_state["user_upload"].events}
    assert "my-dawn-trucks" in ids and len(ids) == 4  # the example's three and the lesson's own

    clash = [(name, data + b"\n") if name.endswith(".geojson") else (name, data) for name, data in _own_files()]
    at = AppTest.from_function(_restore_beside, args=(clash, data), default_timeout=60).run()
    assert not at.exception
    assert dict(at.session_state["_user_files"])["my-events.geojson"].endswith(b"\n")  # the held one is kept
    lesson_read, problems = at.session_state["restored"]
    assert any("already include a different file named my-events.geojson" in p.message for p in problems)
    # The step on the lesson's own event is kept, and the lesson's copy of the file waits for the reader's choice.
    assert [s.event for s in lesson_read.steps] == ["my-dawn-trucks"]
    assert [name for name, _data in at.session_state["_upload_clashes"]] == ["my-events.geojson"]


def _replace_then_bring_back(data: bytes) -> None:
    import streamlit as st

    from events.lessons import Lesson, Step, plain
    from ui import lesson

    if "done" not in st.session_state:
        st.session_state["done"] = True
        lesson.restore(Lesson("your-lesson", plain("Mine"), (Step("zhenbao-island-1969", note=plain("Mine!")),)))
        lesson.restore_file("other.zip", data)
        st.session_state["after_upload"] = [s.event for s in lesson.steps()]
        st.session_state["previous"] = lesson.previous()
        lesson.bring_back()
    st.session_state["after_back"] = [(s.event, s.note) for s in lesson.steps()]


def test_a_lesson_file_chosen_by_mistake_never_loses_the_lesson_being_built():
    data = write_bundle(_lesson(["secret-speech-1956", "yining-riot-1962"]), [])
    at = AppTest.from_function(_replace_then_bring_back, args=(data,), default_timeout=60).run()
    assert not at.exception
    assert at.session_state["after_upload"] == ["secret-speech-1956", "yining-riot-1962"]
    assert at.session_state["previous"] == 1
    assert at.session_state["after_back"] == [("zhenbao-island-1969", plain("Mine!"))]


@pytest.mark.parametrize("lang, title", [("en", "A lesson from a link"), ("zh", "来自链接的课程")])
def test_a_link_without_a_title_opens_on_the_present_page(lang, title):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.query_params["plan"] = link_value(Lesson("x", {}, (Step("zhenbao-island-1969"), Step("secret-speech-1956"))))
    at.run().switch_page("views/present.py").run()
    assert not at.exception
    assert at.session_state["lesson"] == "linked-lesson" and at.session_state["event"] == "zhenbao-island-1969"
    [choice] = at.selectbox
    assert choice.format_func(choice.value) == title
