"""Lessons: ordered walks through the corpus for the presentation page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from datafiles.problems import DataFileError, Problem
from datafiles.yamlfile import inside, line_of, read_yaml

LESSONS = Path(__file__).parent / "lessons"


@dataclass(frozen=True)
class Lesson:
    """An ordered walk through the corpus for the Present page: a title and the ids of its events."""

    id: str
    title: dict
    steps: tuple[str, ...]


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
        if not isinstance(data, dict) or not isinstance(data.get("steps"), list) or not data.get("id"):
            problems.append(Problem(label, 1, "-", "-", "a lesson needs an id, a title {en, zh} and a list of steps"))
            continue
        steps = []
        for i, step in enumerate(data["steps"]):
            if step in known:
                steps.append(step)
            else:
                problems.append(Problem(label, line_of(lines, ("steps", i)), str(data["id"]), f"steps.{i}",
                                        f"unknown event {step!r}"))  # fmt: skip
        title = data.get("title") if isinstance(data.get("title"), dict) else {"en": str(data["id"])}
        lessons.append(
            Lesson(str(data["id"]), {"en": title.get("en", data["id"]), "zh": title.get("zh", "")}, tuple(steps))
        )
    return lessons, problems
