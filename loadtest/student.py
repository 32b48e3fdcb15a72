"""What one student does: open the atlas, then make changes a class makes, each checked on the page it gets back."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from loadtest.client import AgentClient, InteractionError

# What a class types into the search box: place names in several scripts and spellings, pinyin, topics.
SEARCHES = ["伊宁", "伊寧", "Yining", "Gulja", "Кульджа", "yining", "Khorgos", "霍尔果斯", "Tacheng", "塔城",
            "treaty", "border", "Ili", "Ussuri", "Damansky", "refugees", "1962", ""]  # fmt: skip
# How often each kind of change comes: the year slider most, then search, pages, regions, language.
MIX = {"years": 35, "q": 20, "page": 20, "regions": 15, "lang": 10}
MAP_PAGE = ""  # the default page's url_path


def find(tree: dict, key: str) -> dict | None:
    """The node of the widget with this key in a snapshot's tree, or None."""
    if tree.get("key") == key:
        return tree
    for child in tree.get("children", []):
        found = find(child, key)
        if found is not None:
            return found
    return None


def has_type(tree: dict, fragment: str) -> bool:
    return fragment in str(tree.get("type", "")) or any(has_type(c, fragment) for c in tree.get("children", []))


def exception_message(tree: dict) -> str:
    if tree.get("type") == "exception":
        return str(tree.get("props", {}).get("message", "")) or str(tree.get("props"))
    return next((m for c in tree.get("children", []) if (m := exception_message(c))), "")


def choose_change(rng: random.Random, page: dict) -> tuple[str, object]:
    """One change a student could make on this page, with a value legal for it (read from the page).
    Only the widgets on the page can change: the years slider is on the map and the timeline only."""
    tree = page["tree"]
    kinds = [k for k in MIX if k == "page" or find(tree, k) is not None]
    kind = rng.choices(kinds, weights=[MIX[k] for k in kinds])[0]
    if kind == "years":
        props = find(tree, "years")["props"]
        lo, hi = props["min_value"], props["max_value"]
        if rng.random() < 0.6:  # most of a lesson is around 1962
            a, b = rng.randint(max(lo, 1955), min(hi, 1965)), rng.randint(max(lo, 1960), min(hi, 1970))
        else:
            a, b = rng.randint(lo, hi), rng.randint(lo, hi)
        return kind, [min(a, b), max(a, b)]
    if kind == "regions":
        options = find(tree, "regions")["props"]["options"]
        return kind, rng.sample(options, rng.choice([0, 1, 1, 2]))
    if kind == "lang":
        node = find(tree, "lang")
        return kind, next(o for o in node["props"]["options"] if o != node["value"])
    if kind == "q":
        current = find(tree, "q")["value"]
        return kind, rng.choice([s for s in SEARCHES if s != current])
    here = page["page"]["url_path"]
    others = [p["url_path"] for p in page["pages"] if p["url_path"] != here]
    # Back to the map half the time: it is the page a class works on.
    return kind, MAP_PAGE if here != MAP_PAGE and rng.random() < 0.5 else rng.choice(others)


def check(page: dict, kind: str, value) -> str | None:
    """Why this page is not the answer to the change, or None if it is."""
    if page.get("status") != "ready":
        return f"the app raised: {exception_message(page['tree'])[:300] or page.get('status')}"
    if kind == "page":
        if page["page"]["url_path"] != value:
            return f"asked for page {value!r}, got {page['page']['url_path']!r}"
    else:
        node = find(page["tree"], kind)
        if node is None:
            return f"the {kind} widget is not on the page"
        if node.get("value") != value:
            return f"{kind} holds {node.get('value')!r}, sent {value!r}"
    if page["page"]["url_path"] == MAP_PAGE and not has_type(page["tree"], "declare_component"):
        return "the map page has no map"
    return None


@dataclass
class Student:
    """One reader's session: `changes` changes after opening the atlas, timed on the client side."""

    number: int
    client: AgentClient
    changes: int
    seed: int
    think: float = 0.0  # mean pause between two changes, seconds
    timings: list[tuple[str, float]] = field(default_factory=list)  # (kind, seconds) of each good change
    open_s: float | None = None
    errors: list[dict] = field(default_factory=list)
    done: int = 0

    def _error(self, step: int, kind: str, what: str, detail: str) -> None:
        self.errors.append({"student": self.number, "step": step, "change": kind, "error": what, "detail": detail})

    def run(self, deadline: float) -> None:
        rng = random.Random(self.seed * 1000 + self.number)
        start = time.perf_counter()
        try:
            page = self.client.interact({}, deadline)
        except InteractionError as exc:
            self._error(0, "open", exc.kind, exc.detail)
            return
        self.open_s = time.perf_counter() - start
        session = page["session_id"]
        if (why := check(page, "page", MAP_PAGE)) is not None:
            self._error(0, "open", "page", why)
        failures_in_a_row = 0
        for step in range(1, self.changes + 1):
            if time.monotonic() > deadline:
                self._error(step, "-", "deadline", f"stopped after {self.done} of {self.changes} changes")
                return
            if self.think:
                time.sleep(rng.uniform(0, 2 * self.think))
            kind, value = choose_change(rng, page)
            body = {"session_id": session, "page": value} if kind == "page" else \
                {"session_id": session, "widget_state": {kind: value}}  # fmt: skip
            start = time.perf_counter()
            try:
                answer = self.client.interact(body, deadline)
            except InteractionError as exc:
                self._error(step, kind, exc.kind, exc.detail)
                failures_in_a_row += 1
                if failures_in_a_row >= 3 or "unknown_session" in exc.detail:
                    self._error(step, "-", "gave up", f"after {self.done} of {self.changes} changes")
                    return
                continue
            elapsed = time.perf_counter() - start
            failures_in_a_row = 0
            if (why := check(answer, kind, value)) is not None:
                self._error(step, kind, "page", why)  # the next change is chosen from the last good page
            else:
                self.timings.append((kind, elapsed))
                self.done += 1
                page = answer
