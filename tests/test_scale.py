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
