"""`python -m bench --load`: loading and checking a corpus grows linearly with its events, whatever its layout.

Synthetic corpora of 1,000, 10,000 and 100,000 events are made from the shipped events by copying
them with new ids (everything else verbatim, so every excerpt still verifies against its source), as
GeoJSON exports on one line (what `json.dump` writes) and indented. Each is opened through
`events.corpora.load_corpus`, as `ATLAS_CORPUS` opens it, in a fresh Python process (no cache of an
earlier load helps), and timed; then, for the largest, a real Streamlit server is started with it as
`ATLAS_CORPUS` and the time to its first page rendered through the agent API is measured.

Each copy keeps its event's Point (an area event's gazetteer point; the area is drawn from its place
id): an export also writes each area event's polygon, about 25 kB, which the import reads and
discards, so that a corpus of 100,000 such events would be 1.1 GB of mostly polygons. Cost per byte
is linear too (the one-line and indented files differ in size by about half).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000, 100_000)
LINEAR = 1.5  # the cost per 1,000 events may grow at most this much from one size to the next


def load_corpus_file(n: int, folder: Path, indent: int | None = None) -> Path:
    """A GeoJSON export of `n` events: the shipped events copied with new ids, on one line or indented."""
    from events.interchange import event_feature
    from events.loader import shipped_corpus

    corpus = shipped_corpus()
    template = []
    for e in corpus.events:
        feature = event_feature(e, corpus.places)
        feature["geometry"] = {"type": "Point", "coordinates": [e.lon, e.lat]}
        template.append(feature)
    features = []
    for i in range(n):
        feature = json.loads(json.dumps(template[i % len(template)]))
        new_id = f"{feature['id']}-copy-{i}"
        feature["id"] = feature["properties"]["id"] = new_id
        features.append(feature)
    layout = "indented" if indent else "one-line"
    path = folder / f"load-{n}-{layout}.geojson"
    with path.open("w", encoding="utf-8") as out:
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=indent)
    return path


_TIMED = """
import json, sys, time
start = time.perf_counter()
from events.corpora import load_corpus
from events.loader import shipped_corpus
shipped_corpus()
fixed = time.perf_counter() - start
start = time.perf_counter()
c = load_corpus(sys.argv[1])
loaded = time.perf_counter() - start
errors = sum(1 for p in c.problems if p.severity == "error")
print(json.dumps({"seconds": loaded, "fixed": fixed, "loaded": len(c.events), "errors": errors}))
"""


def time_load(path: Path) -> dict:
    """Open `path` through load_corpus in a fresh process: seconds (the file's own cost), fixed (the imports
    and the shipped corpus's sources, which every load pays once, whatever its size), loaded (events), errors."""
    out = subprocess.run([sys.executable, "-c", _TIMED, str(path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=3600, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_page(path: Path) -> dict:
    """A Streamlit server with `path` as ATLAS_CORPUS: seconds from its start to its first page rendered
    (the map page, through the agent API), and to a second reader's page."""
    from bench.server import Server

    start = time.perf_counter()
    server = Server(ROOT / "app.py", path)
    try:
        answer = server.interact({})
        first = time.perf_counter() - start
        start = time.perf_counter()
        server.interact({})
        second = time.perf_counter() - start
        return {"first_page_s": first, "second_reader_s": second, "status": answer.get("status", "ok")}
    finally:
        server.stop()


def run(folder: Path, sizes=SIZES, page: bool = True) -> dict:
    rows = []
    for n in sizes:
        for indent in (None, 1):
            path = load_corpus_file(n, folder, indent)
            print(f"loading {path.name} ({path.stat().st_size / 1e6:.1f} MB) …", file=sys.stderr)
            result = time_load(path)
            rows.append({"events": n, "layout": "indented" if indent else "one-line", "mb": path.stat().st_size / 1e6,
                         **result, "s_per_1000": result["seconds"] / n * 1000})  # fmt: skip
            if not (page and n == max(sizes) and indent is None):
                path.unlink()
    pages = None
    if page:
        largest = folder / f"load-{max(sizes)}-one-line.geojson"
        print(f"opening the atlas with {largest.name} as ATLAS_CORPUS …", file=sys.stderr)
        pages = {"events": max(sizes), **time_page(largest)}
    return {"rows": rows, "page": pages, "ratios": ratios(rows)}


def ratios(rows: list[dict]) -> list[dict]:
    """For each layout, the cost per 1,000 events of each size over the size before it (1.0 is linear)."""
    out = []
    for layout in ("one-line", "indented"):
        mine = sorted((r for r in rows if r["layout"] == layout), key=lambda r: r["events"])
        for small, big in zip(mine, mine[1:], strict=False):
            ratio = big["s_per_1000"] / small["s_per_1000"]
            out.append({"layout": layout, "from": small["events"], "to": big["events"], "ratio": ratio,
                        "linear": ratio <= LINEAR})  # fmt: skip
    return out


def print_load(result: dict) -> None:
    print("loading a corpus through load_corpus (ATLAS_CORPUS), in a fresh process: seconds per 1,000 events")
    print("(seconds: the file's own; fixed: imports and the shipped sources, paid once by every load)")
    print(f"{'events':>9}{'layout':>11}{'MB':>8}{'seconds':>10}{'s/1000':>9}{'fixed s':>9}{'errors':>8}")
    for r in result["rows"]:
        print(f"{r['events']:>9,}{r['layout']:>11}{r['mb']:>8.1f}{r['seconds']:>10.2f}{r['s_per_1000']:>9.3f}"
              f"{r['fixed']:>9.2f}{r['errors']:>8}")  # fmt: skip
    print(f"\ncost per 1,000 events, each size over the one before (linear: 1.0; the target: at most {LINEAR})")
    for r in result["ratios"]:
        mark = "met" if r["linear"] else "NOT MET"
        print(f"  {r['layout']:<10}{r['from']:>8,} → {r['to']:<8,}{r['ratio']:>6.2f}  {mark}")
    p = result["page"]
    if p:
        mark = "met" if p["first_page_s"] < 60 else "NOT MET"
        print(f"\n{p['events']:,} events as ATLAS_CORPUS: server start to the first page rendered "
              f"{p['first_page_s']:.1f} s ({mark}: under 60 s); a second reader's page {p['second_reader_s']:.2f} s")  # fmt: skip
