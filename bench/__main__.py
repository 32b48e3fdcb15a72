"""`python -m bench`: the map page after a year-slider change, against the floor and the naive way.

For each corpus (the shipped one, and synthetic ones of 1,000 and 10,000 events given through
ATLAS_CORPUS) three apps are started as real Streamlit servers, one after the other, in one run:
the atlas (app.py), the naive way (bench/naive_app.py: a folium.Marker per event, the whole map
rebuilt on every rerun) and the floor (bench/floor_app.py: a script with only a slider).

Measured for each:
- server: the median time of a rerun after a year-slider change, through Streamlit's agent API
  (`POST /_stcore/agent/interact`, enabled for these servers only), and the bytes of map payload
  that change sends (the map component's arguments);
- browser (headless Chromium): time from opening the page to the markers visible, and from a
  slider change (keyboard on the slider) to the map updated.

Ratios are the figures that count: these machines are shared and noisy. Prints a table and
writes bench/results/latest.json with the machine it ran on.
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

from bench.server import Server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
APPS = {"atlas": ROOT / "app.py", "naive": ROOT / "bench" / "naive_app.py", "floor": ROOT / "bench" / "floor_app.py"}
CHANGES = [(1917, 1991), (1960, 1965), (1962, 1962), (1950, 1980), (1917, 1950), (1962, 1991)]
CHROMIUM = "/usr/bin/chromium"


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


def map_payload(tree: dict) -> int:
    """Bytes of the map component's arguments in a snapshot (what a change sends to the map)."""
    if "declare_component" in str(tree.get("type")) and "args" in tree.get("props", {}):
        return len(json.dumps(tree["props"]["args"], separators=(",", ":")).encode())
    return sum(map_payload(child) for child in tree.get("children", []))


def server_case(server: Server, repeats: int) -> dict:
    session = server.interact({})["session_id"]
    for years in CHANGES[:2]:  # warm: caches, the first render in each language
        server.interact({"session_id": session, "widget_state": {"years": list(years)}})
    times, payloads = [], []
    for i in range(repeats):
        years = CHANGES[i % len(CHANGES)]
        start = time.perf_counter()
        answer = server.interact({"session_id": session, "widget_state": {"years": list(years)}})
        times.append(time.perf_counter() - start)
        payloads.append(map_payload(answer["tree"]))
    return {"rerun_s": statistics.median(times), "payload_bytes": max(payloads)}


_MAP_STATE = """() => {
    const frame = [...document.querySelectorAll("iframe")].find(f => (f.title || "").includes("st_folium"));
    const w = frame && frame.contentWindow;
    if (!w || !w.map) return null;
    const n = w.document.querySelectorAll(".leaflet-marker-icon, path.leaflet-interactive").length;
    return {renders: w.atlasRenders || 0, markers: n};
}"""


_THUMB = "[data-testid=stSlider] input[type=range]"  # the years slider's two thumbs; the last is its end


def _settled(page, frames: list, since: float, quiet: float = 0.25, limit: float = 300) -> float:
    """Wait until the server has answered since `since` and then said nothing for `quiet` seconds;
    return the time of its last message (Streamlit sends a rerun's result over its websocket)."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        page.wait_for_timeout(20)
        last = frames[-1] if frames else 0.0
        if last > since and time.perf_counter() - last >= quiet:
            return last
    raise SystemExit(f"no answer from the server within {limit:.0f} s")


def browser_case(browser, server: Server, kind: str) -> dict:
    """Open the page until its map shows markers (the floor: until it has answered), then move the
    end of the years slider with the keyboard and time until the map is updated (the floor: until
    the server's answer has arrived)."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.set_default_timeout(300_000)
    frames: list[float] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda _: frames.append(time.perf_counter())))
    start = time.perf_counter()
    page.goto(server.url)
    if kind == "floor":
        page.wait_for_selector(_THUMB)
        opened = _settled(page, frames, start) - start
    else:
        page.wait_for_function(f"() => {{ const s = ({_MAP_STATE})(); return s && s.markers > 0; }}")
        opened = time.perf_counter() - start
    changes = []
    for key in ("Home", "End", "Home", "End"):  # the end year to the first year and back
        thumb = page.locator(_THUMB).last
        thumb.focus()
        _settled(page, frames, 0.0)  # nothing from an earlier change still on its way
        before = page.evaluate(_MAP_STATE)
        start = time.perf_counter()
        thumb.press(key)
        if kind == "floor":
            changes.append(_settled(page, frames, start) - start)
            continue
        page.wait_for_function(
            f"""(before) => {{ const s = ({_MAP_STATE})(); return s && s.markers > 0 &&
                (s.renders !== before.renders || (before.renders === 0 && s.markers !== before.markers)); }}""",
            arg=before,
        )
        changes.append(time.perf_counter() - start)
    page.close()
    return {"open_s": opened, "change_s": statistics.median(changes)}


def run_case(app: str, corpus: Path | None, repeats: int, browser) -> dict:
    server = Server(APPS[app], corpus)
    try:
        result = server_case(server, repeats)
        if browser is not None:
            result.update(browser_case(browser, server, app))
        return result
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="synthetic corpus sizes")
    parser.add_argument("--repeats", type=int, default=12, help="slider changes measured per case")
    parser.add_argument("--no-browser", action="store_true", help="server measures only")
    args = parser.parse_args(argv)
    rows = []
    playwright = browser = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
    try:
        with tempfile.TemporaryDirectory() as tmp:
            corpora = [("shipped", None)] + [(f"{n:,} events", synthetic_corpus(n, Path(tmp))) for n in args.sizes]
            for label, path in corpora:
                print(f"measuring {label} …", file=sys.stderr)
                floor = run_case("floor", None, args.repeats, browser)
                atlas = run_case("atlas", path, args.repeats, browser)
                naive = run_case("naive", path, max(3, args.repeats // 3), browser)
                rows.append({"corpus": label, "atlas": atlas, "naive": naive, "floor": floor,
                             "atlas_vs_floor": atlas["rerun_s"] / floor["rerun_s"],
                             "naive_vs_atlas": naive["rerun_s"] / atlas["rerun_s"]})  # fmt: skip
    finally:
        if browser is not None:
            browser.close()
            playwright.stop()
    print_table(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    machine = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
               "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  # fmt: skip
    (RESULTS / "latest.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=1), "utf-8")
    print(f"written to {RESULTS / 'latest.json'}", file=sys.stderr)
    return 0


def print_table(rows: list[dict]) -> None:
    def ms(value):
        return "—" if value is None else f"{value * 1000:.0f}"

    print("server: median rerun after a slider change (agent API), map payload per change")
    print(f"{'corpus':<14}{'atlas ms':>10}{'naive ms':>10}{'floor ms':>10}{'atlas/floor':>13}"
          f"{'naive/atlas':>13}{'atlas kB':>10}{'naive kB':>10}")  # fmt: skip
    for r in rows:
        a, n, f = r["atlas"], r["naive"], r["floor"]
        print(f"{r['corpus']:<14}{a['rerun_s'] * 1000:>10.1f}{n['rerun_s'] * 1000:>10.1f}{f['rerun_s'] * 1000:>10.1f}"
              f"{r['atlas_vs_floor']:>13.1f}{r['naive_vs_atlas']:>13.1f}"
              f"{a['payload_bytes'] / 1000:>10.1f}{n['payload_bytes'] / 1000:>10.1f}")  # fmt: skip
    if all("open_s" in r["atlas"] for r in rows):
        print("\nbrowser (headless Chromium): open to markers visible; slider change to map updated")
        print(f"{'corpus':<14}{'atlas open':>12}{'naive open':>12}{'floor open':>12}{'atlas change':>14}"
              f"{'naive change':>14}{'floor change':>14}")  # fmt: skip
        for r in rows:
            a, n, f = r["atlas"], r["naive"], r["floor"]
            print(f"{r['corpus']:<14}{ms(a['open_s']):>12}{ms(n['open_s']):>12}{ms(f['open_s']):>12}"
                  f"{ms(a['change_s']):>14}{ms(n['change_s']):>14}{ms(f['change_s']):>14}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
