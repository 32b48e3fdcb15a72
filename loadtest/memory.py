"""Resident memory of server processes and their children, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            # The command name sits in parentheses and may hold spaces: the parent pid follows the last ')'.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we read
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def tree(pids: list[int]) -> list[int]:
    """These processes and all their descendants."""
    children, found, todo = _children(), [], list(pids)
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.append(pid)
            todo.extend(children.get(pid, []))
    return found


def rss_bytes(pids: list[int]) -> int:
    """The summed resident set size (VmRSS) of these processes and their descendants."""
    total = 0
    for pid in tree(pids):
        try:
            status = (PROC / str(pid) / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total
