"""`python -m bench`: the map page's rerun after a year-slider change, against the floor and the naive way.

Measured in one process, one after the other, as medians of repeated reruns through Streamlit's
AppTest (the server-side cost of a rerun), and the bytes of map payload each change sends to the
browser (the map component's arguments). Ratios are the figures that count: these machines are
shared and noisy. Writes the table to standard output and bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
APPS = {"atlas": ROOT / "app.py", "naive": ROOT / "bench" / "naive_app.py", "floor": ROOT / "bench" / "floor_app.py"}
CHANGES = [(1917, 1991), (1960, 1965), (1962, 1962), (1950, 1980), (1917, 1950), (1962, 1991)]


def synthetic_corpus(n: int, folder: Path, seed: int = 1962) -> Path:
    """A GeoJSON export with `n` events: real places and real excerpts, shuffled across 1917-1991."""
    from events.interchange import to_geojson
    from events.loader import shipped_corpus

    corpus = shipped_corpus()
    template = to_geojson(corpus)["features"]
    rng = random.Random(seed)
    features = []
    for i in range(n):
        feature = json.loads(json.dumps(rng.choice(template)))
        year = rng.randint(1917, 1991)
        props = feature["properties"]
        props.update(id=f"synthetic-{i}", when=str(year), start=f"{year}-01-01", end=f"{year}-12-31", disputed=False)
        props["title"] = {"en": f"{props['title']['en']} ({i})", "zh": f"{props['title']['zh']}（{i}）"}
        props["excerpts"] = [x for x in props["excerpts"] if "claim" not in x][:1] or props["excerpts"][:1]
        props["excerpts"][0].pop("claim", None)
        features.append(feature)
    path = folder / f"synthetic-{n}.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), "utf-8")
    return path


def map_payload(at: AppTest) -> int:
    """Bytes of the map component's arguments in the last run (what a change sends to the browser)."""
    return sum(len(el.proto.json_args.encode()) for el in at.get("component_instance"))


def measure(app: Path, corpus: Path | None, repeats: int) -> dict:
    if corpus is None:
        os.environ.pop("ATLAS_CORPUS", None)
    else:
        os.environ["ATLAS_CORPUS"] = str(corpus)
    at = AppTest.from_file(str(app), default_timeout=300).run()  # warm: load, check and cache the corpus
    if at.exception:
        raise SystemExit(f"{app.name}: {at.exception[0].value}")
    times, payloads = [], []
    for i in range(repeats):
        at.slider(key="years").set_value(CHANGES[i % len(CHANGES)])
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        payloads.append(map_payload(at))
    return {"rerun_s": statistics.median(times), "payload_bytes": max(payloads)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="synthetic corpus sizes")
    parser.add_argument("--repeats", type=int, default=12, help="slider changes measured per case")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpora = [("shipped", None)] + [(f"{n:,} events", synthetic_corpus(n, Path(tmp))) for n in args.sizes]
        floor = measure(APPS["floor"], None, args.repeats)
        for label, path in corpora:
            atlas = measure(APPS["atlas"], path, args.repeats)
            naive = measure(APPS["naive"], path, max(3, args.repeats // 3))
            rows.append({
                "corpus": label,
                "atlas_rerun_s": atlas["rerun_s"], "naive_rerun_s": naive["rerun_s"], "floor_rerun_s": floor["rerun_s"],
                "atlas_vs_floor": atlas["rerun_s"] / floor["rerun_s"],
                "naive_vs_atlas": naive["rerun_s"] / atlas["rerun_s"],
                "atlas_payload_bytes": atlas["payload_bytes"], "naive_payload_bytes": naive["payload_bytes"],
            })  # fmt: skip
    header = f"{'corpus':<14}{'atlas ms':>10}{'naive ms':>10}{'floor ms':>10}{'atlas/floor':>13}{'naive/atlas':>13}" \
             f"{'atlas kB':>10}{'naive kB':>10}"  # fmt: skip
    print(header)
    for r in rows:
        print(f"{r['corpus']:<14}{r['atlas_rerun_s'] * 1000:>10.0f}{r['naive_rerun_s'] * 1000:>10.0f}"
              f"{r['floor_rerun_s'] * 1000:>10.1f}{r['atlas_vs_floor']:>13.1f}{r['naive_vs_atlas']:>13.1f}"
              f"{r['atlas_payload_bytes'] / 1000:>10.0f}{r['naive_payload_bytes'] / 1000:>10.0f}")  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    machine = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()}
    (RESULTS / "latest.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=1), "utf-8")
    print(f"written to {RESULTS / 'latest.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
