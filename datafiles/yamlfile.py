"""Reading hand-edited or uploaded text files safely, keeping the line of every value for error messages."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import yaml

from datafiles.problems import N_, DataFileError, Problem, file_problem

MAX_BYTES = 5_000_000  # one event file, checked by hand or uploaded (the app's upload limit is also 5 MB)
MAX_DEPTH = 32
MAX_ITEMS = 20_000  # entries at the top level of a YAML file: as many events as the loader takes from one file
# PyYAML's C loader (libyaml) where installed, its safe pure-Python one otherwise: the same documents, marks
# and refusals, about ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Lines = dict[tuple, int]

# C0 control characters other than tab, line feed and carriage return, and DEL: never in a text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAGIC = {
    b"PK\x03\x04": N_("this is a ZIP archive (or an .xlsx/.docx/.odt file): save it as a plain text file instead"),
    b"%PDF": N_("this is a PDF document, not a text file"),
    b"\x1f\x8b": N_("this is a gzip archive, not a text file"),
    b"\xd0\xcf\x11\xe0": N_("this is an old Office document (.xls/.doc): save it as CSV or plain text"),
}


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, through any `..`, absolute path or symlink, resolves inside `folder`."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        return False


def _not_regular(mode: int) -> str | None:
    """What a file that is not a regular file is, in a curator's words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = ("a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else
            "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
            "a special file")  # fmt: skip
    return f"not a regular file ({kind}): it is not read"


def read_limited(path: Path, label: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of `path`: refused before reading if it is not a regular file (a device, FIFO or socket,
    through a symlink or not), and refused once more than `max_bytes` have been read (the size is counted
    while reading, never taken from stat: /proc files say 0, a file may grow)."""

    def fail(message: str) -> DataFileError:
        return DataFileError([Problem(label, None, "-", "-", message)])

    try:
        why = _not_regular(os.stat(path).st_mode)
        if why:
            raise fail(why)
        # O_NONBLOCK: should the file become a FIFO between the stat and the open, the open does not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            why = _not_regular(os.fstat(fd).st_mode)
            if why:
                raise fail(why)
            chunks, size = [], 0
            while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise fail(f"the file is more than {max_bytes:,} bytes; the limit is {max_bytes:,}")
            return b"".join(chunks)
        finally:
            os.close(fd)
    except OSError as exc:
        raise fail(f"cannot read the file ({exc.strerror or exc})") from None
    except ValueError as exc:  # a NUL byte in the name
        raise fail(f"cannot read the file ({exc})") from None


def decode(raw: bytes, label: str, max_bytes: int = MAX_BYTES) -> str:
    """Text from the bytes of a file or an upload: UTF-8 (a byte-order mark is allowed), not empty, no
    binary. Raise DataFileError naming the file and the line otherwise."""

    def fail(template: str, line: int | None = None, **values: object) -> DataFileError:
        return DataFileError([file_problem(label, line, template, **values)])

    if len(raw) > max_bytes:
        raise fail(N_("the file is {size} bytes; the limit is {limit}"), size=f"{len(raw):,}", limit=f"{max_bytes:,}")
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise fail(what, 1)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail(N_("not UTF-8 text: the file is UTF-16; save it as UTF-8"), 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(N_("not UTF-8 text (byte {at}: {value}); save it as UTF-8"), line, at=exc.start,
                   value=f"{raw[exc.start]:#04x}") from None  # fmt: skip
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise fail(N_("the file is empty"), 1)
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        if bad.group() == "\x00":
            raise fail(N_("the file contains a NUL byte (is this a binary file?) at character {at}"), line,
                       at=bad.start())  # fmt: skip
        raise fail(N_("the file contains control character {code} at character {at}"), line,
                   code=f"{ord(bad.group()):#04x}", at=bad.start())  # fmt: skip
    return text


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


def read_yaml(path: Path | None, text: str | None = None, label: str | None = None, data: bytes | None = None):
    """Load a YAML file (or the `data` bytes of an upload, or `text`); return (data, lines).

    Raise DataFileError with a clear message: no aliases (billion laughs), no deep nesting, no more than
    MAX_ITEMS entries at the top level, UTF-8 only. libyaml (PyYAML's C loader) reads it when installed:
    the pure-Python parser took minutes and gigabytes on a 5 MB file of tiny items.
    """
    label = label or str(path)

    def fail(message: str, line: int | None = None) -> DataFileError:
        return DataFileError([Problem(label, line, "-", "-", message)])

    if text is None:
        text = decode(read_limited(path, label) if data is None else data, label)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise fail("the file is empty", 1)
    try:
        # The event stream first, without building anything: aliases and deep nesting are refused
        # before the composer (recursive) or the constructor (which expands aliases) see them.
        depth, top = 0, 0  # `top`: the entries (items or keys) of the top-level collection, counted as read
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent):
                raise fail("YAML aliases (*name) are not allowed in data files", event.start_mark.line + 1)
            if depth == 1 and isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                top += 1
                if top > 2 * MAX_ITEMS:  # a mapping's keys and values both count
                    raise fail(f"more than {MAX_ITEMS:,} entries at the top level: not read further",
                               event.start_mark.line + 1)  # fmt: skip
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise fail(f"nested more than {MAX_DEPTH} levels deep", event.start_mark.line + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        node = yaml.compose(text, Loader=_LOADER)
        lines: Lines = {}
        if node is not None:
            _line_index(node, (), lines, 0)
        loaded = yaml.load(text, Loader=_LOADER)
    except DataFileError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if "nesting depth" in str(exc.problem):  # libyaml stops deep nesting itself, before our count does
            raise fail(f"nested more than {MAX_DEPTH} levels deep", line) from None
        raise fail(f"not valid YAML: {exc.problem or exc.context}", line) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise fail(f"not valid YAML: {exc}") from None
    return loaded, lines
