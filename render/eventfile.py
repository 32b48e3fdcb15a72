"""The map's events, published once per corpus and language as a static file the browser fetches.

A filter change then sends the map only which events are visible: one bit per event of that file
(base64), about 1.7 kB for 10,000 events, instead of the events themselves. The browser keeps the
file (its name is its content's hash, so a new corpus gets a new file), and the map is never
rebuilt. Where the static folder cannot be written (a read-only install), the events travel inline
in the map script instead: slower, never wrong.

Only a corpus the server's operator chose (the shipped one, or $ATLAS_CORPUS) is published. A reader's
uploaded events never reach the disk or a URL: they travel inline in that reader's own map script
(`with_own`), after the corpus's file. Published files are never pruned while a server runs: the shipped
corpus's file must stay for as long as any reader may fetch it (once about 200 uploads had each published
a file, pruning the oldest removed the shipped one and every new reader's map drew nothing).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from events.categories import category_colour, category_glyph, category_ink
from events.model import Event
from geo import assets
from i18n import translator
from render.html import esc

DIR = assets.STATIC / "events"
URL = "/app/static/events"


def event_features(
    events: Iterable[Event], lang: str, date_label: Callable[[Event], str], places: Mapping | None = None
) -> dict:
    """The event layer's GeoJSON: only what the map needs; details are looked up on click.

    Each event carries its accessible name (`label`), its category's glyph and the glyph's colour, and the
    name of its place when `places` (the corpus's gazetteer) is given: the map names a cluster by it ("3
    events at Yining"). Every text is escaped, like the tooltip, so that no data string travels raw; the map
    reads the name and the place back as text (render/js/keyboard.js) and sets them as attributes.
    """
    _ = translator(lang)
    features = []
    for e in events:
        tip = f"{e.label(lang)} · {date_label(e)}"
        place = places.get(e.place) if places else None
        place_name = place.label(lang) if place else None
        if e.area:
            label = _("{title}, {date}, across {area}", title=e.label(lang), date=date_label(e),
                      area=place_name or e.area)  # fmt: skip
        else:
            label = _("{title}, {date}", title=e.label(lang), date=date_label(e))
        props = {"id": e.id, "tip": esc(tip), "label": esc(label), "colour": category_colour(e.category),
                 "glyph": category_glyph(e.category, lang), "ink": category_ink(e.category)}  # fmt: skip
        if place_name:
            props["place"] = esc(place_name)
        if e.origin == "user":
            props["user"] = True
        if e.area:
            props["area"] = e.area  # drawn as that area's polygon (static areas layer) and a diamond
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(e.lon, 4), round(e.lat, 4)]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True)
class Published:
    """A corpus's events for the map in one language: where the browser gets them, and their order."""

    ids: tuple[str, ...]
    url: str | None = None  # the static file, or None when the events go inline
    data: dict | None = field(default=None, compare=False, hash=False)
    index: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    own: dict | None = field(default=None, compare=False, hash=False)  # a reader's events: inline, after the file's

    def mask(self, ids: Iterable[str]) -> str:
        """The visible events as a bit set over this file's order, base64."""
        bits = bytearray((len(self.ids) + 7) // 8)
        for event_id in ids:
            i = self.index.get(event_id)
            if i is not None:
                bits[i >> 3] |= 1 << (i & 7)
        return base64.b64encode(bytes(bits)).decode("ascii")


def decode_mask(mask: str, ids: tuple[str, ...]) -> set[str]:
    """The ids a mask marks visible (the inverse of Published.mask; for tests and tools)."""
    bits = base64.b64decode(mask)
    return {event_id for i, event_id in enumerate(ids) if bits[i >> 3] & (1 << (i & 7))}


def shown_ids(layer_js: str, static: Path = assets.STATIC) -> set[str]:
    """The ids of the events a map layer script (render.mapbuild.event_layer) shows: for tests and tools."""
    found = re.search(r"const selected = (.*?), url = (.*?), visible = (.*?);", layer_js)
    if not found:
        return set()
    url, visible = json.loads(found.group(2)), json.loads(found.group(3))
    inline = {k: json.loads(v) for k, v in re.findall(r"^ *const (data|own) = (.*);$", layer_js, re.MULTILINE)}
    if url:
        data = json.loads((static / url.removeprefix("/app/static/")).read_text("utf-8"))
    else:
        data = inline.get("data") or {"features": []}
    features = data["features"] + ((inline.get("own") or {}).get("features") or [])
    ids = tuple(f["properties"]["id"] for f in features)
    return set(ids) if visible is None else decode_mask(visible, ids)


def publish(
    events: list[Event], lang: str, date_label, folder: Path = DIR, url: str = URL, places: Mapping | None = None
) -> Published:
    """Write the events' map features to `folder` (named by content hash) unless already there. Only for
    a corpus the operator chose: a reader's events go through `with_own`, never to a file."""
    data = event_features(events, lang, date_label, places)
    ids = tuple(f["properties"]["id"] for f in data["features"])
    index = {event_id: i for i, event_id in enumerate(ids)}
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    name = f"events-{hashlib.sha256(body).hexdigest()[:20]}.json"
    target = folder / name
    try:
        forget_readers(folder)
        if not target.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            # Atomic: several server processes may publish the same file at once.
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            os.replace(tmp, target)
    except OSError:
        return Published(ids=ids, data=data, index=index)
    return Published(ids=ids, url=f"{url}/{name}", index=index)


def with_own(
    published: Published, events: list[Event], lang: str, date_label, places: Mapping | None = None
) -> Published:
    """`published` (a corpus's file) and a reader's own events, which travel inline in that reader's map
    script only: in the order of the file's events and then the reader's, as the mask counts them."""
    own = event_features(events, lang, date_label, places)
    ids = published.ids + tuple(f["properties"]["id"] for f in own["features"])
    index = {**published.index, **{event_id: i for i, event_id in enumerate(ids) if i >= len(published.ids)}}
    return Published(ids=ids, url=published.url, data=published.data, index=index, own=own)


_FORGOTTEN: set[Path] = set()


def forget_readers(folder: Path) -> None:
    """Once per process and folder: remove the files of readers' events that earlier versions of the atlas
    published there (they stayed across restarts, fetchable by name). A corpus's own file is never removed."""
    if folder in _FORGOTTEN or not folder.is_dir():
        return
    _FORGOTTEN.add(folder)
    for path in folder.glob("events-*.json"):
        try:
            if b'"user":true' in path.read_bytes():
                path.unlink(missing_ok=True)
        except OSError:
            continue
