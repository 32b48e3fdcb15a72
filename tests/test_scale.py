"""Scale and a reader's privacy: loading grows linearly whatever the file's layout, the shipped corpus's
published event file is never pruned, and a reader's uploaded events never reach disk or a URL."""

from __future__ import annotations

import json
import time

from events.interchange import _id_lines


def _features(n: int) -> list[dict]:
    return [{"type": "Feature", "id": f"e-{i}", "properties": {"id": f"e-{i}", "title": {"en": "x" * 200}}}
            for i in range(n)]  # fmt: skip


def test_line_numbers_of_a_one_line_export_are_counted_in_linear_time():
    """`json.dump` writes an export on one line: counting lines from the file's start for every feature
    was quadratic (20,000 features, 5.8 MB: 49 s); walked forward once, it is a few milliseconds."""
    text = json.dumps({"type": "FeatureCollection", "features": _features(20_000)})
    start = time.perf_counter()
    lines = _id_lines(text)
    assert time.perf_counter() - start < 1.0
    assert len(lines) == 20_000 and set(lines.values()) == {1}


def test_line_numbers_of_an_indented_export_are_each_features_own():
    text = json.dumps({"type": "FeatureCollection", "features": _features(50)}, indent=1)
    lines = _id_lines(text)
    numbered = text.split("\n")
    for eid, line in lines.items():
        assert f'"{eid}"' in numbered[line - 1]
    assert sorted(lines.values()) == list(lines.values())


def _static_files_naming(folder, text: str) -> list:
    return [p for p in folder.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]


def test_many_readers_uploads_never_prune_the_shipped_corpus_file(tmp_path):
    """About 200 uploads (each a corpus of its own, published as a file) pruned the shipped corpus's event
    file: every new reader's map then drew no events. The shipped file stays while the server runs."""
    from dataclasses import replace

    from events.loader import shipped_corpus
    from render.eventfile import publish

    events = shipped_corpus().events
    label = lambda e: e.when.label("en")  # noqa: E731
    shipped = publish(events, "en", label, folder=tmp_path, url="/x")
    assert shipped.url
    for k in range(205):  # 200 files were kept
        mine = replace(events[0], id=f"reader-event-{k}", origin="user")
        publish([*events, mine], "en", label, folder=tmp_path, url="/x")
    assert (tmp_path / shipped.url.removeprefix("/x/")).is_file()


def test_a_readers_uploaded_events_never_reach_disk_or_a_url():
    """Uploaded events were written to static/events/ and stayed there, fetchable by anyone with the name,
    while the page promised they were not saved. They now travel inline, in that reader's map script only."""
    from streamlit.testing.v1 import AppTest

    from geo import assets
    from tests.test_app import map_event_ids
    from tests.test_upload import APP, _mixed

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/upload.py").run()
    at.file_uploader[0].set_value([("mine.geojson", _mixed(), "application/json")]).run()
    assert not at.exception
    at.switch_page("views/map.py").run()
    assert not at.exception
    assert {"my-first-event", "my-second-event"} <= map_event_ids(at)
    assert not _static_files_naming(assets.STATIC, "my-first-event")
    [component] = [el for el in at.get("component_instance") if "feature_group" in el.proto.json_args]
    assert "my-first-event" in component.proto.json_args  # inline, in this reader's map script
    # another reader, at the same time: the shipped events only, nothing of the first reader's
    other = AppTest.from_file(APP, default_timeout=60)
    other.run()
    assert "my-first-event" not in map_event_ids(other)
    assert "my-first-event" not in json.dumps([el.proto.json_args for el in other.get("component_instance")])


def test_the_upload_page_says_what_is_kept_and_for_how_long():
    """The page promised "not saved on the server" while the events were written to static/events/: it
    now says they are held in the server's memory, for how long, and that nothing is written or published."""
    from tests.test_upload import upload_page

    for lang, words in (("en", ("server's memory", "never written", "about 2 minutes")), ("zh", ("内存", "约 2"))):
        at = upload_page(lang)
        [info] = at.info
        assert all(w in info.value for w in words), info.value


def test_an_upload_is_checked_in_a_worker_process_apart_from_the_server():
    """A 4.9 MB upload was checked in the server's process, holding the GIL from every other session for
    171 s (their p95 went from 0.16 to 1.64 s): it is checked in a worker process now, with the same result."""
    import os

    from events import upload as up
    from events.loader import shipped_corpus
    from tests.test_upload import _mixed

    files = [("mine.geojson", _mixed())]
    here = up.read_upload(files, shipped_corpus())
    apart = up.check_apart(files, None, shipped_corpus())
    assert [e.id for e in apart.events] == [e.id for e in here.events]
    assert apart.problems == here.problems and apart.token == here.token
    workers = list(up._pool()._processes)
    assert workers and os.getpid() not in workers
