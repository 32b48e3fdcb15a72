"""Reading hand-edited YAML safely, keeping the line of every value for error messages."""

from __future__ import annotations

from pathlib import Path

import yaml

from events.problems import DataFileError, Problem

MAX_BYTES = 5_000_000
MAX_DEPTH = 32

Lines = dict[tuple, int]


def _line_index(node: yaml.Node, path: tuple, lines: Lines, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark)
            lines[path + (name,)] = key.start_mark.line + 1
            _line_index(value, path + (name,), lines, depth + 1)
            lines[path + (name,)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, path + (i,), lines, depth + 1)


def line_of(lines: Lines, path: tuple) -> int | None:
    """The line of the deepest part of `path` that the file has."""
    for cut in range(len(path), -1, -1):
        if path[:cut] in lines:
            return lines[path[:cut]]
    return None


def read_yaml(path: Path, text: str | None = None, label: str | None = None):
    """Load a YAML file; return (data, lines). Raise DataFileError with a clear message."""
    label = label or str(path)

    def fail(message: str, line: int | None = None) -> DataFileError:
        return DataFileError([Problem(label, line, "-", "-", message)])

    if text is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise fail(f"cannot read the file ({exc.strerror or exc})") from None
        if len(raw) > MAX_BYTES:
            raise fail(f"the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise fail(f"not UTF-8 text (byte {exc.start}: {raw[exc.start]:#04x}); save it as UTF-8", line) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise fail("the file is empty")
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise fail("YAML aliases (*name) are not allowed in data files", event.start_mark.line + 1)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        lines: Lines = {}
        if node is not None:
            _line_index(node, (), lines, 0)
        data = yaml.safe_load(text)
    except DataFileError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise fail(f"not valid YAML: {exc.problem or exc.context}", line) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise fail(f"not valid YAML: {exc}") from None
    return data, lines
