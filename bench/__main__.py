"""`python -m bench`: the map page after a year-slider change, against the floor and the naive way.

For each corpus (the shipped one, and synthetic ones of 1,000 and 10,000 events given through
ATLAS_CORPUS) three apps are started side by side as real Streamlit servers, in one run: the atlas
(app.py), the naive way (bench/naive_app.py: a folium.Marker per event, the whole map rebuilt on
every rerun) and the floor (bench/floor_app.py: a script with only a slider). Their reruns are
interleaved, so that each ratio compares reruns made at the same moments.

Measured for each:
- server: the median time of a rerun after a year-slider change, from the change sent to the
  server's "script finished", over Streamlit's own websocket as a browser causes it (bench.wsclient),
  with the bytes that change sends: all of them, and the map's payload (the map component's
  arguments), each element sent whole, as for a view the browser has not seen;
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

from bench import load, upload
from bench.server import Server
from bench.wsclient import Session

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
APPS = {
    "atlas": ROOT / "app.py",
    "naive": ROOT / "bench" / "naive_app.py",
    "floor": ROOT / "bench" / "floor_app.py",
    "interface": ROOT / "bench" / "interface_app.py",
}
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


class Rerun:
    """A reader's session on an app's server, in two ways: over Streamlit's websocket, as a browser
    (bench.wsclient), and through the agent API. Each measure makes one slider change, in one of the
    two ways; the server's CPU time is read around each way's series of changes."""

    def __init__(self, server: Server):
        self.server, self.session = server, Session(server.url)
        self.agent = server.interact({})["session_id"]
        self.times, self.agent_times, self.payloads, self.received = [], [], [], []
        self.cpu = {"websocket": 0.0, "agent": 0.0}
        self._cpu_from = None
        for years in CHANGES[:2]:  # warm: caches, the first render
            self.session.rerun({"years": list(years)})
            self._agent_change(years)

    def _agent_change(self, years: tuple[int, int]) -> float:
        start = time.perf_counter()
        self.server.interact({"session_id": self.agent, "widget_state": {"years": list(years)}})
        return time.perf_counter() - start

    def start(self) -> None:
        """Before a series of changes: note the server's CPU time so far."""
        self._cpu_from = self.server.cpu_seconds()

    def stop(self, way: str) -> None:
        """After a series of changes made `way` ("websocket" or "agent"): add the CPU time they took."""
        self.cpu[way] += self.server.cpu_seconds() - self._cpu_from

    def measure(self, years: tuple[int, int]) -> None:
        """A slider change over the websocket."""
        seconds, received, payload = self.session.rerun({"years": list(years)})
        self.times.append(seconds)
        self.received.append(received)
        self.payloads.append(payload)

    def measure_agent(self, years: tuple[int, int]) -> None:
        """A slider change through the agent API."""
        self.agent_times.append(self._agent_change(years))

    def result(self) -> dict:
        self.session.close()
        return {"rerun_s": statistics.median(self.times), "agent_rerun_s": statistics.median(self.agent_times),
                "cpu_s": self.cpu["websocket"] / len(self.times), "agent_cpu_s": self.cpu["agent"] / len(self.agent_times),
                "payload_bytes": max(self.payloads), "sent_bytes": max(self.received), "reruns": len(self.times)}  # fmt: skip


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


def run_corpus(corpus: Path | None, repeats: int, browser) -> dict:
    """The floors, the atlas and the naive way on one corpus, as servers side by side.

    Slider changes go first over the websocket, then through the agent API. The floor, the interface
    floor and the atlas take turns (floor, interface, atlas, floor, …), so each ratio of their times
    compares reruns made at the same moments, whatever else the machine is doing; then the naive way,
    slow on large corpora, makes a tenth as many changes on its own. Each app's series lies between two
    readings of its server's CPU time, so a server idling while the naive way works is not charged.
    """
    servers = {}
    try:
        for app in ("floor", "interface", "atlas", "naive"):
            servers[app] = Server(APPS[app], corpus if app in ("atlas", "naive") else None)
        runs = {app: Rerun(server) for app, server in servers.items()}
        for way in ("websocket", "agent"):
            for group, count in ((("floor", "interface", "atlas"), repeats), (("naive",), max(3, repeats // 10))):
                for app in group:
                    runs[app].start()
                for i in range(count):
                    for app in group:
                        (runs[app].measure if way == "websocket" else runs[app].measure_agent)(
                            CHANGES[i % len(CHANGES)]
                        )
                for app in group:
                    runs[app].stop(way)
        results = {app: run.result() for app, run in runs.items()}
        if browser is not None:
            for app in ("floor", "atlas", "naive"):
                results[app].update(browser_case(browser, servers[app], app))
        return results
    finally:
        for server in servers.values():
            server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="synthetic corpus sizes")
    parser.add_argument(
        "--repeats", type=int, default=120, help="slider changes measured per app and way (naive: a tenth)"
    )
    parser.add_argument("--no-browser", action="store_true", help="server measures only")
    parser.add_argument("--load", action="store_true", help="the load benchmark instead (bench/load.py)")
    parser.add_argument("--load-sizes", type=int, nargs="*", default=list(load.SIZES), help="corpus sizes to load")
    parser.add_argument("--upload", action="store_true", help="the upload benchmark instead (bench/upload.py)")
    args = parser.parse_args(argv)
    if args.upload:
        result = upload.run()
        upload.print_upload(result)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "upload.json").write_text(json.dumps(result, indent=1), "utf-8")
        return 0
    if args.load:
        with tempfile.TemporaryDirectory() as tmp:
            result = load.run(Path(tmp), args.load_sizes)
        load.print_load(result)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "load.json").write_text(json.dumps(result, indent=1), "utf-8")
        return 0
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
                results = run_corpus(path, args.repeats, browser)
                atlas, naive, floor, face = (results[k] for k in ("atlas", "naive", "floor", "interface"))
                rows.append({"corpus": label, **results,
                             "cpu_atlas_vs_floor": atlas["cpu_s"] / floor["cpu_s"],
                             "cpu_atlas_vs_interface": atlas["cpu_s"] / face["cpu_s"],
                             "cpu_naive_vs_atlas": naive["cpu_s"] / atlas["cpu_s"],
                             "agent_cpu_atlas_vs_floor": atlas["agent_cpu_s"] / floor["agent_cpu_s"],
                             "agent_cpu_naive_vs_atlas": naive["agent_cpu_s"] / atlas["agent_cpu_s"],
                             "atlas_vs_floor": atlas["rerun_s"] / floor["rerun_s"],
                             "atlas_vs_interface": atlas["rerun_s"] / face["rerun_s"],
                             "naive_vs_atlas": naive["rerun_s"] / atlas["rerun_s"],
                             "agent_atlas_vs_floor": atlas["agent_rerun_s"] / floor["agent_rerun_s"],
                             "agent_naive_vs_atlas": naive["agent_rerun_s"] / atlas["agent_rerun_s"]})  # fmt: skip
    finally:
        if browser is not None:
            browser.close()
            playwright.stop()
    print_table(rows)
    verdicts = targets(rows)
    print_targets(verdicts)
    RESULTS.mkdir(parents=True, exist_ok=True)
    machine = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
               "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  # fmt: skip
    (RESULTS / "latest.json").write_text(
        json.dumps({"machine": machine, "rows": rows, "targets": verdicts}, indent=1), "utf-8"
    )
    print(f"written to {RESULTS / 'latest.json'}", file=sys.stderr)
    return 0


_HEAD = (f"{'corpus':<14}{'atlas':>8}{'iface':>8}{'floor':>8}{'naive':>9}{'atl/floor':>11}{'atl/iface':>11}"
         f"{'naive/atl':>11}{'agent atl/floor':>17}{'agent naive/atl':>17}")  # fmt: skip


def _server_row(r: dict, measure: str, prefix: str) -> str:
    """One corpus's server figures: `measure` (seconds) of each app in ms, then the ratios named `prefix`…"""
    apps = "".join(f"{r[app][measure] * 1000:>{width}.1f}" for app, width in
                   (("atlas", 8), ("interface", 8), ("floor", 8), ("naive", 9)))  # fmt: skip
    return (f"{r['corpus']:<14}{apps}{r[prefix + 'atlas_vs_floor']:>11.2f}{r[prefix + 'atlas_vs_interface']:>11.2f}"
            f"{r[prefix + 'naive_vs_atlas']:>11.1f}{r['agent_' + prefix + 'atlas_vs_floor']:>17.2f}"
            f"{r['agent_' + prefix + 'naive_vs_atlas']:>17.1f}")  # fmt: skip


def print_table(rows: list[dict]) -> None:
    def ms(value):
        return "—" if value is None else f"{value * 1000:.0f}"

    print("server CPU time per slider change (ms): all the server's threads, over a series of changes")
    print("made over the websocket as a browser makes them, and through the agent API (agent)")
    print(_HEAD)
    for r in rows:
        print(_server_row(r, "cpu_s", "cpu_"))
    print("\nserver latency: median time from a slider change sent to the run's end received, over the websocket")
    print("(ms; Streamlit flushes a run's messages every 5 ms, so short runs land in steps), and through the")
    print("agent API (agent); map payload and all bytes sent per change (kB)")
    print(f"{_HEAD}{'map kB':>9}{'naive map':>11}{'sent kB':>9}")
    for r in rows:
        a, n = r["atlas"], r["naive"]
        print(f"{_server_row(r, 'rerun_s', '')}{a['payload_bytes'] / 1000:>9.1f}{n['payload_bytes'] / 1000:>11.1f}"
              f"{a['sent_bytes'] / 1000:>9.1f}")  # fmt: skip
    if all("open_s" in r["atlas"] for r in rows):
        print("\nbrowser (headless Chromium): open to markers visible; slider change to map updated")
        print(f"{'corpus':<14}{'atlas open':>12}{'naive open':>12}{'floor open':>12}{'atlas change':>14}"
              f"{'naive change':>14}{'floor change':>14}")  # fmt: skip
        for r in rows:
            a, n, f = r["atlas"], r["naive"], r["floor"]
            print(f"{r['corpus']:<14}{ms(a['open_s']):>12}{ms(n['open_s']):>12}{ms(f['open_s']):>12}"
                  f"{ms(a['change_s']):>14}{ms(n['change_s']):>14}{ms(f['change_s']):>14}")  # fmt: skip


def targets(rows: list[dict]) -> list[dict]:
    """The issue's targets, each with the figure that decides it: the server's CPU time per change (what
    forty readers on one server share); the latency ratios are printed beside them."""
    found = []

    def check(what: str, figure: str, value: float, limit: float, at_most: bool) -> None:
        met = value <= limit if at_most else value >= limit
        found.append({"target": what, "figure": figure, "value": value, "limit": limit, "met": met})

    for r in rows:
        a = r["atlas"]
        if r["corpus"] == "shipped":
            check("shipped corpus: a slider change costs at most 2.5x the floor", "CPU atlas/floor, websocket",
                  r["cpu_atlas_vs_floor"], 2.5, True)  # fmt: skip
            check("shipped corpus: a slider change costs at most 2.5x the floor", "CPU atlas/floor, agent API",
                  r["agent_cpu_atlas_vs_floor"], 2.5, True)  # fmt: skip
        elif r["corpus"] == "10,000 events":
            check(
                "10,000 events: at most 10x the floor", "CPU atlas/floor, websocket", r["cpu_atlas_vs_floor"], 10, True
            )
            check("10,000 events: at most 10x the floor", "CPU atlas/floor, agent API", r["agent_cpu_atlas_vs_floor"],
                  10, True)  # fmt: skip
            check("10,000 events: at least 10x less than the naive way", "CPU naive/atlas, websocket",
                  r["cpu_naive_vs_atlas"], 10, False)  # fmt: skip
            check("10,000 events: at most 1 MB of map payload per change", "map payload (MB)",
                  a["payload_bytes"] / 1e6, 1.0, True)  # fmt: skip
    return found


def print_targets(found: list[dict]) -> None:
    if found:
        print("\ntargets")
    for t in found:
        mark = "met" if t["met"] else "NOT MET"
        sign = "<=" if "at most" in t["target"] else ">="
        print(f"  {mark:<8}{t['target']}: {t['figure']} {t['value']:.2f} {sign} {t['limit']:g}")


if __name__ == "__main__":
    sys.exit(main())
