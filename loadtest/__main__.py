"""`python -m loadtest`: a class of forty opens the atlas at once and makes twenty changes each.

Each student is a real Streamlit session driven through the agent API (`POST /_stcore/agent/interact`),
which this command turns on, by a command-line flag, only for the servers it starts itself. A
student opens the atlas, then makes changes a class makes (the year slider, the search box, the
regions, the language, another page), each with a value read from the page it was last given, and
checks that the page it gets back holds the change (and, on the map page, the map).

Targets, one after the other in one run:
- default: one server (app.py on a free loopback port);
- `--cluster 1 2`: deploy/run-cluster.sh's recipe (N app processes behind nginx, sticky sessions);
- `--url http://127.0.0.1:PORT`: a server or nginx already running (its agent API must be on).

Reported per target: errors (non-200 answers, pages where the app raised, pages without the
change, lost connections), latency of each change measured on the client (p50/p95/p99/max),
throughput (changes/s), and memory per session (the app processes' resident memory after the
run minus before it, over the sessions). Prints a table, writes loadtest/results/latest.json,
and exits 1 on any error or a p95 over `--max-p95` seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from loadtest.client import AgentClient, InteractionError
from loadtest.memory import rss_bytes
from loadtest.student import Student

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "loadtest" / "results"


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of the values, or None if there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latency(values: list[float]) -> dict:
    return {"n": len(values), **{f"p{p}": percentile(values, p) for p in (50, 95, 99)},
            "max": max(values) if values else None}  # fmt: skip


class _Peak(threading.Thread):
    """Samples the app processes' memory twice a second while the class works."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids, self.peak, self.halt = pids, 0, threading.Event()

    def run(self) -> None:
        while not self.halt.wait(0.5):
            self.peak = max(self.peak, rss_bytes(self.pids))


def warm(urls: list[str], deadline: float) -> None:
    """One session per process first: load the corpus and caches, as a teacher opening the atlas would."""
    for url in urls:
        client = AgentClient(url)
        page = client.interact({}, deadline)
        for widget_state in ({"years": [1960, 1965]}, {"lang": "中文"}, {"lang": "English"}):
            page = client.interact({"session_id": page["session_id"], "widget_state": widget_state}, deadline)


def run_class(url: str, pids: list[int], warm_urls: list[str], args) -> dict:
    """Warm the processes, then let `args.sessions` students work at once; measure it all."""
    deadline = time.monotonic() + args.timeout
    warm(warm_urls, deadline)
    before = rss_bytes(pids) if pids else None
    students = [Student(i, AgentClient(url, timeout=args.request_timeout), args.changes, args.seed, args.think)
                for i in range(args.sessions)]  # fmt: skip
    gate = threading.Barrier(len(students) + 1)

    def work(student: Student) -> None:
        gate.wait()
        try:
            student.run(deadline)
        except Exception as exc:  # noqa: BLE001 - a bug in the load test itself is counted as an error, never lost
            student.errors.append({"student": student.number, "step": None, "change": "-",
                                   "error": "load test crashed", "detail": f"{type(exc).__name__}: {exc}"})  # fmt: skip

    threads = [threading.Thread(target=work, args=(s,), daemon=True) for s in students]
    for thread in threads:
        thread.start()
    peak = _Peak(pids)
    if pids:
        peak.start()
    gate.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()) + 5)
    wall = time.perf_counter() - start
    peak.halt.set()
    after = rss_bytes(pids) if pids else None
    hung = sum(thread.is_alive() for thread in threads)

    errors = [e for s in students for e in s.errors]
    errors += [{"student": None, "step": None, "change": "-", "error": "hung",
                "detail": f"{hung} students still waiting at the deadline"}] * bool(hung)  # fmt: skip
    timings = [t for s in students for _, t in s.timings]
    by_kind: dict[str, list[float]] = {}
    for s in students:
        for kind, t in s.timings:
            by_kind.setdefault(kind, []).append(t)
    done = sum(s.done for s in students)
    return {
        "url": url,
        "sessions": args.sessions,
        "changes_per_session": args.changes,
        "think_s": args.think,
        "changes_done": done,
        "changes_asked": args.sessions * args.changes,
        "errors": len(errors),
        "error_kinds": dict(Counter(f"{e['change']}: {e['error']}" for e in errors)),
        "error_samples": errors[:20],
        "collected_202": sum(s.client.collected for s in students),
        "open_s": latency([s.open_s for s in students if s.open_s is not None]),
        "change_s": latency(timings),
        "change_s_by_kind": {k: latency(v) for k, v in sorted(by_kind.items())},
        "wall_s": wall,
        "throughput_per_s": done / wall if wall else None,
        "processes": len(warm_urls) if pids else None,
        "rss_before_bytes": before,
        "rss_after_bytes": after,
        "rss_peak_bytes": max(peak.peak, after) if pids else None,
        "rss_per_session_bytes": (after - before) / args.sessions if pids else None,
    }


def run_target(label: str, args, cluster: int | None) -> dict:
    with ExitStack() as stack:
        if args.url:
            url, pids, warm_urls = args.url, [], [args.url]
        elif cluster:
            from deploy.cluster import Cluster

            c = stack.enter_context(Cluster(cluster, agent_api=True))
            url, pids, warm_urls = c.url, [b.proc.pid for b in c.backends], [b.url for b in c.backends]
        else:
            from bench.server import Server

            server = Server(ROOT / "app.py", None)
            stack.callback(server.stop)
            url, pids, warm_urls = server.url, [server.proc.pid], [server.url]
        print(f"{label}: {args.sessions} sessions × {args.changes} changes at {url} …", file=sys.stderr)
        return {"target": label, **run_class(url, pids, warm_urls, args)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=40, help="students working at once (default 40)")
    parser.add_argument("--changes", type=int, default=20, help="changes each student makes (default 20)")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause between a student's changes, seconds (default 0: everyone clicks at once)",
    )
    parser.add_argument("--seed", type=int, default=1962, help="the same seed makes the same changes")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--url", help="a running server or nginx on this machine, with its agent API on")
    target.add_argument(
        "--cluster",
        type=int,
        nargs="+",
        metavar="N",
        help="through nginx in front of N app processes (deploy/run-cluster.sh); several N run one after the other",
    )
    parser.add_argument(
        "--timeout", type=float, default=900, help="the whole run of one target stops after this, seconds"
    )
    parser.add_argument("--request-timeout", type=float, default=120, help="one request gives up after this, seconds")
    parser.add_argument(
        "--max-p95", type=float, default=5.0, help="exit 1 if a target's p95 change latency is over this"
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json", help="where the JSON results go")
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.changes < 1 or args.sessions > 200 or args.changes > 200:
        parser.error("--sessions and --changes are between 1 and 200")
    if any(n < 1 or n > 8 for n in args.cluster or []):
        parser.error("--cluster takes 1 to 8 processes")

    if args.url:
        targets = [(f"running server {args.url}", None)]
    elif args.cluster:
        targets = [(f"nginx + {n} process{'es' * (n > 1)}", n) for n in args.cluster]
    else:
        targets = [("one server", None)]
    rows = []
    for label, cluster in targets:
        try:
            rows.append(run_target(label, args, cluster))
        except InteractionError as exc:  # the warm-up failed: the target does not serve the atlas
            raise SystemExit(f"{label}: the atlas did not answer ({exc}); is its agent API on?") from exc
    print_table(rows)
    machine = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
               "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "command": " ".join(sys.argv)}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine, "rows": rows}, indent=1, ensure_ascii=False), "utf-8")
    print(f"written to {args.out}", file=sys.stderr)
    failed = [r["target"] for r in rows if r["errors"] or (r["change_s"]["p95"] or math.inf) > args.max_p95]
    if failed:
        print(f"FAILED: {', '.join(failed)} (errors, or p95 over {args.max_p95:g} s)", file=sys.stderr)
        return 1
    return 0


def print_table(rows: list[dict]) -> None:
    def s(v):
        return "—" if v is None else f"{v:.2f}"

    def mb(v):
        return "—" if v is None else f"{v / 2**20:.0f}"

    print(f"{'target':<22}{'changes':>9}{'errors':>8}{'open p50':>10}{'p50 s':>8}{'p95 s':>8}{'p99 s':>8}"
          f"{'max s':>8}{'changes/s':>11}{'MB before':>11}{'MB after':>10}{'MB/session':>12}")  # fmt: skip
    for r in rows:
        c = r["change_s"]
        per = None if r["rss_per_session_bytes"] is None else f"{r['rss_per_session_bytes'] / 2**20:.1f}"
        print(f"{r['target']:<22}{r['changes_done']:>5}/{r['changes_asked']:<3}{r['errors']:>8}{s(r['open_s']['p50']):>10}"
              f"{s(c['p50']):>8}{s(c['p95']):>8}{s(c['p99']):>8}{s(c['max']):>8}{r['throughput_per_s']:>11.2f}"
              f"{mb(r['rss_before_bytes']):>11}{mb(r['rss_after_bytes']):>10}{per or '—':>12}")  # fmt: skip
    for r in rows:
        kinds = ", ".join(
            f"{k} p50 {s(v['p50'])} p95 {s(v['p95'])} (n={v['n']})" for k, v in r["change_s_by_kind"].items()
        )
        print(f"  {r['target']}: {kinds}")
        for kind, n in r["error_kinds"].items():
            print(f"  {r['target']}: {n} × {kind}")
        for e in r["error_samples"][:5]:
            print(f"    student {e['student']} step {e['step']} {e['change']}: {e['error']}: {e['detail']}")
    if len(rows) > 1 and rows[0]["throughput_per_s"]:
        base = rows[0]["throughput_per_s"]
        print(
            "throughput vs the first: " + ", ".join(f"{r['target']} {r['throughput_per_s'] / base:.2f}×" for r in rows)
        )


if __name__ == "__main__":
    sys.exit(main())
