"""A printable handout of the current view: a static map drawn offline as SVG, the events and their sources."""

from __future__ import annotations

import math

from shapely.geometry import box, mapping, shape

from events.categories import CATEGORIES, category_colour, category_name
from events.model import Event
from events.sources import Source
from geo.layers import layer
from render.citations import excerpt_citation
from render.html import esc, join, tag
from render.mapbuild import COUNTRY_FILL, DEFAULT_FILL, SEA, place_labels
from render.panel import date_from_note, notes_html

WIDTH, HEIGHT = 900, 560
RIVER, BORDER = "#5b8db8", "#a93226"


def _view(events: list[Event]) -> tuple[float, float, float, float]:
    """lon/lat bounds around the events, with a margin, never smaller than a few degrees."""
    if not events:
        return 70.0, 38.0, 100.0, 52.0
    lons, lats = [e.lon for e in events], [e.lat for e in events]
    pad = 1.5
    w, s, e, n = min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad
    if e - w < 8:
        mid = (e + w) / 2
        w, e = mid - 4, mid + 4
    if n - s < 5:
        mid = (n + s) / 2
        s, n = mid - 2.5, mid + 2.5
    return w, s, e, n


class _Projection:
    """Equirectangular, scaled by the cosine of the middle latitude: true enough for a handout."""

    def __init__(self, bounds):
        self.w, self.s, self.e, self.n = bounds
        self.k = math.cos(math.radians((self.s + self.n) / 2))
        span_x, span_y = (self.e - self.w) * self.k, self.n - self.s
        self.scale = min(WIDTH / span_x, HEIGHT / span_y)
        self.ox = (WIDTH - span_x * self.scale) / 2
        self.oy = (HEIGHT - span_y * self.scale) / 2

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.ox + (lon - self.w) * self.k * self.scale, self.oy + (self.n - lat) * self.scale)


def _path(geometry: dict, project) -> str:
    """SVG path data for a GeoJSON Polygon, MultiPolygon, LineString or MultiLineString."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        rings = coords
    elif kind == "MultiPolygon":
        rings = [ring for poly in coords for ring in poly]
    elif kind == "LineString":
        rings = [coords]
    elif kind == "MultiLineString":
        rings = coords
    else:
        return ""
    parts = []
    for ring in rings:
        pts = [project(x, y) for x, y in ring]
        if len(pts) < 2:
            continue
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + ("Z" if kind.endswith("Polygon") else ""))
    return "".join(parts)


BADGE = 22  # a marker's cell in a callout: its diameter (18) and a gap
_DIRECTIONS = [(math.cos(math.radians(a)), -math.sin(math.radians(a))) for a in (0, 45, 315, 90, 270, 135, 225, 180)]


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _overlap_area(a: tuple, b: tuple) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


CAPTION = 15  # the height of a callout's caption: the name of its place


def _callouts(
    points: list[tuple[float, float]], captions: list[str]
) -> list[tuple[tuple[float, float], list[int], tuple | None]]:
    """Where each marker's number goes, so that none hides another.

    Events at one place share an anchor; their numbers are set in a small grid (a callout) under the
    place's name, beside the place and joined to it by a leader line, at the first of several distances
    and directions where the callout covers no other anchor, callout or the frame's edge. A lone event at a
    free place keeps its marker on the place itself. Returns (anchor, indices into `points`, callout box or
    None for in place).
    """
    groups: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(points):
        groups.setdefault((round(x), round(y)), []).append(i)
    anchors = {k: (k[0] - 4, k[1] - 4, k[0] + 4, k[1] + 4) for k in groups}
    taken: list[tuple] = []
    placed = []
    for key, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        x, y = key
        cols = min(len(members), 4)
        w = max(cols * BADGE, _label_width(captions[members[0]]) + 8)
        h = math.ceil(len(members) / cols) * BADGE + CAPTION
        others = [box for k, box in anchors.items() if k != key] + taken
        candidates = [(x, y, 0)] if len(members) == 1 else []
        for d in (14, 30, 50, 75, 105, 140):
            candidates += [(x + dx * (d + w / 2), y + dy * (d + h / 2), d) for dx, dy in _DIRECTIONS]
        best = None
        for cx, cy, d in candidates:
            if d:  # kept inside the frame: a callout cut at the edge would lose numbers
                cx, cy = min(max(cx, w / 2 + 2), WIDTH - w / 2 - 2), min(max(cy, h / 2 + 2), HEIGHT - h / 2 - 2)
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2) if d else (x - 10, y - 10, x + 10, y + 10)
            cover = sum(_overlap_area(box, o) for o in others)
            if best is None or cover < best[0]:
                best = (cover, box, d)  # nowhere free: the least covered, still numbered
            if cover == 0:
                break
        _cover, box, d = best
        taken.append(box)
        placed.append(((x, y), members, box if d else None))
    return placed


def _badge(cx: float, cy: float, number: int, event: Event) -> str:
    """One numbered marker: a circle for an event at a place, a diamond for one about a whole region."""
    colour = category_colour(event.category)
    if event.area:
        r = 10.5
        shape_ = f'<path d="M{cx:.1f},{cy - r:.1f}L{cx + r:.1f},{cy:.1f}L{cx:.1f},{cy + r:.1f}L{cx - r:.1f},{cy:.1f}Z"'
    else:
        shape_ = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="9"'
    return (f'<g class="marker" data-n="{number}">{shape_} fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
            f'<text x="{cx:.1f}" y="{cy + 3.5:.1f}" class="num">{number}</text></g>')  # fmt: skip


def _label_width(text: str) -> float:
    """The width of a place label at 11px, near enough: CJK characters are square, Latin ones narrower."""
    return sum(11 if ord(c) > 0x2E80 else 6 for c in text)


def map_svg(events: list[Event], lang: str, places: dict | None = None) -> str:
    """The handout's map as SVG, drawn here from the committed layers (no tiles, no script): countries, rivers,
    border, places, and the events numbered as in the list, every number visible (`_callouts`)."""
    bounds = _view(events)
    project = _Projection(bounds)
    # Clip to what the drawing shows (wider than the bounds on the short side), plus a margin.
    dx, dy = project.ox / (project.k * project.scale) + 1, project.oy / project.scale + 1
    frame = box(bounds[0] - dx, bounds[1] - dy, bounds[2] + dx, bounds[3] + dy)
    shapes = []
    for feature in layer("countries_1962")["features"]:
        geom = shape(feature["geometry"]).intersection(frame)
        if geom.is_empty:
            continue
        fill = COUNTRY_FILL.get(feature["properties"]["id"], DEFAULT_FILL)
        shapes.append(f'<path d="{_path(mapping(geom), project)}" fill="{fill}" stroke="#8a8a80" stroke-width="0.6"/>')
    for name, colour, width, dash in (("rivers", RIVER, 2, ""), ("border_sino_soviet", BORDER, 2, "6 4")):
        for feature in layer(name)["features"]:
            geom = shape(feature["geometry"]).intersection(frame)
            if not geom.is_empty:
                line_dash = "2 4" if feature["properties"].get("inferred") else dash
                shapes.append(f'<path d="{_path(mapping(geom), project)}" fill="none" stroke="{colour}" '
                              f'stroke-width="{width}" stroke-dasharray="{line_dash}"/>')  # fmt: skip
    for feature in layer("countries_1962")["features"]:
        point = feature["properties"].get("label_point")
        if point and frame.contains(shape({"type": "Point", "coordinates": point})):
            x, y = project(*point)
            name = feature["properties"]["name"].get(lang) or feature["properties"]["name"]["en"]
            shapes.append(f'<text x="{x:.0f}" y="{y:.0f}" class="country">{esc(name)}</text>')
    markers, taken = [], []
    names = [places[e.place].label(lang) if e.place in (places or {}) else e.place for e in events]
    placed = _callouts([project(e.lon, e.lat) for e in events], names)
    in_place: dict[str, tuple] = {}  # a place whose one event's marker stands on it: the marker's box
    for (ax, ay), members, callout in placed:
        if callout is None:
            markers.append(_badge(ax, ay, members[0] + 1, events[members[0]]))
            taken.append((ax - 10, ay - 10, ax + 10, ay + 10))
            in_place[events[members[0]].place] = taken[-1]
            continue
        x0, y0, x1, y1 = callout
        taken.append(callout)
        # The leader line runs from the place to the nearest point of the callout's frame.
        lx, ly = min(max(ax, x0), x1), min(max(ay, y0), y1)
        markers.append(
            f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{lx:.1f}" y2="{ly:.1f}" class="leader"/>'
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" rx="4" class="callout"/>'
            f'<circle cx="{ax:.1f}" cy="{ay:.1f}" r="3.5" class="anchor"/>'
        )
        markers.append(f'<text x="{x0 + 4:.1f}" y="{y0 + 11:.1f}" class="caption">{esc(names[members[0]])}</text>')
        cols = min(len(members), 4)
        for k, i in enumerate(members):
            cx, cy = x0 + BADGE * (k % cols + 0.5), y0 + CAPTION + BADGE * (k // cols + 0.5)
            markers.append(_badge(cx, cy, i + 1, events[i]))
    # Place names where they hide no number and no other name: a crowded map keeps its numbers readable.
    # The places of the events shown are named first, each on the first free side of its dot.
    at = {e.place for e in events}
    captioned = {events[m[0]].place for _a, m, callout in placed if callout is not None}
    to_name = []  # (place id, its point on the map, its names {en, zh})
    for feature in place_labels()["features"]:
        pid = feature["properties"].get("id")
        if frame.contains(shape(feature["geometry"])) and pid not in captioned:
            to_name.append((pid, project(*feature["geometry"]["coordinates"]), feature["properties"]["name"]))
    # An event about a region stands on its area's point, which no town's name marks: its marker is named too.
    named_towns = {pid for pid, _at, _names in to_name}
    for pid, (x0, y0, x1, y1) in in_place.items():
        if pid not in named_towns and pid in (places or {}):
            to_name.append((pid, ((x0 + x1) / 2, (y0 + y1) / 2), places[pid].name))
    to_name.sort(key=lambda item: item[0] not in at)
    for pid, (x, y), names_ in to_name:
        name = names_.get(lang) or names_["en"]
        width = _label_width(name)
        # Named beside its dot, or beside the event's marker that stands on it (which it must not hide).
        own = in_place.get(pid)
        r, up, down = (12, 14, 22) if own else (6, 8, 16)
        sides = [(x + r, y + 4), (x - r - width, y + 4), (x - width / 2, y - up), (x - width / 2, y + down)]
        sides += [
            (x + r - 2, y - up),
            (x + r - 2, y + down),
            (x - r + 2 - width, y - up),
            (x - r + 2 - width, y + down),
        ]
        best = None
        for tx, ty in sides:
            label = (tx - 1, ty - 11, tx + width + 1, ty + 3)
            if label[0] < 0 or label[2] > WIDTH:
                continue
            cover = sum(_overlap_area(label, t) for t in taken if t is not own)
            if best is None or cover < best[0]:
                best = (cover, tx, ty, label)
            if cover == 0:
                break
        # A town with no event of the view is left unnamed where there is no room; the place of an event is
        # named in any case, on the least covered side (the markers are drawn above names: no number is hidden).
        if best is None or (best[0] and pid not in at):
            continue
        _cover, tx, ty, label = best
        taken.append(label)
        dot = "" if own else f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#333"/>'
        shapes.append(f'{dot}<text x="{tx:.1f}" y="{ty:.1f}" class="place">{esc(name)}</text>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{SEA}"/>{"".join(shapes)}{"".join(markers)}</svg>'
    )


def map_key(events: list[Event], lang: str, _) -> str:
    """The map's key: the categories shown, with their colours, the two marker shapes, the callouts and
    the lines."""
    shown = {e.category for e in events}
    symbols = [
        (f'<circle cx="12" cy="12" r="10" fill="{c.colour}"/>', c.label(lang)) for c in CATEGORIES if c.id in shown
    ]
    symbols += [
        ('<circle cx="12" cy="12" r="9" fill="none" stroke="#333" stroke-width="2"/>', _("an event at a place")),
        ('<path d="M12,1L23,12L12,23L1,12Z" fill="none" stroke="#333" stroke-width="2"/>',
         _("an event about a whole region, at the region's centre")),
        ('<circle cx="4" cy="20" r="3.5" fill="#222"/><line x1="4" y1="20" x2="20" y2="4" stroke="#222" '
         'stroke-width="1.5"/>', _("several events at one place: their numbers beside it")),
        (f'<line x1="0" y1="12" x2="24" y2="12" stroke="{BORDER}" stroke-width="3" stroke-dasharray="6 3"/>',
         _("Sino-Soviet border")),
        (f'<line x1="0" y1="12" x2="24" y2="12" stroke="{RIVER}" stroke-width="3"/>', _("river")),
    ]  # fmt: skip
    items = [
        tag(
            "li",
            join(f'<svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">{symbol}</svg> ', esc(label)),
            class_="key-item",
        )  # fmt: skip
        for symbol, label in symbols
    ]
    return tag("ul", join(*items), class_="key", aria_label=_("Key"))


def _source_language(sources: dict[str, Source], ex) -> str | None:
    return sources[ex.source].language if ex.source in sources else None


def _gloss(ex, sources: dict[str, Source], lang: str, _) -> str:
    """The project's translation of an excerpt, labelled as such (as in the panel), where the excerpt is in
    another language than the reader's."""
    gloss = ex.gloss.get(lang)
    if not gloss or _source_language(sources, ex) == lang:
        return ""
    return tag("p", join(tag("span", _("Project translation:"), class_="gloss-label"), " ", esc(gloss)),
               class_="gloss", lang=lang)  # fmt: skip


def handout_html(
    events: list[Event],
    sources: dict[str, Source],
    places: dict,
    filters: dict[str, str],
    lang: str,
    _,
    bibliography: dict | None = None,
) -> str:
    """A self-contained, print-ready HTML page (no script, no outside request). Each event shows its
    support in the sources, its excerpts, and any historians' note, labelled as the atlas's own."""
    items = []
    for e in events:  # numbered by the <ol>, as on the map
        place = places.get(e.place)
        quotes = [
            tag(
                "div",
                join(
                    tag("blockquote", ex.text, lang=_source_language(sources, ex)),
                    _gloss(ex, sources, lang, _),
                    tag("p", excerpt_citation(sources.get(ex.source), ex, lang, _), class_="cite"),
                ),
                class_="quote",
            )
            for ex in e.excerpts
        ]
        when = e.when.label(lang) + date_from_note(e, lang, _)
        meta = f"{when} · {place.label(lang) if place else e.place} · {category_name(e.category, lang)}"
        if e.disputed:
            meta += f" · {_('Sources disagree')}"
        support = (
            tag("p", f"{_('Support in these sources:')} {e.support.phrase(lang)}", class_="meta") if e.support else ""
        )
        notes = notes_html(e, bibliography or {}, lang, _)
        items.append(tag("li", join(tag("h3", e.label(lang)), tag("p", meta, class_="meta"), support, *quotes, notes)))
    rows = join(*(tag("tr", join(tag("th", k), tag("td", v))) for k, v in filters.items()))
    # On paper no hover shows a note's full reference: the works the notes cite are listed at the end.
    cited = sorted({n.ref for e in events for n in e.notes if n.ref in (bibliography or {})},
                   key=lambda ref: bibliography[ref].full())  # fmt: skip
    works = (
        join(tag("h2", _("Works cited in the historians' notes")),
             # the entries as the bibliography writes them, in English (Chicago style), whatever the handout's language
             tag("ul", join(*(tag("li", bibliography[ref].full()) for ref in cited)), class_="works", lang="en"))
        if cited
        else ""
    )  # fmt: skip
    title = _("The Yi–Ta incident and the Sino-Soviet split")
    return (
        '<!DOCTYPE html><html lang="'
        + esc(lang)
        + '"><head><meta charset="utf-8">'
        + tag("title", title)
        + "<style>body{font:11pt/1.45 Georgia,'Noto Serif CJK SC',serif;margin:1.5cm;color:#111}"
        "h1{font-size:18pt;margin:0 0 .2cm}h2{font-size:13pt;margin:.6cm 0 .2cm}.works{font-size:10pt;padding-left:.5cm}h3{font-size:12pt;margin:.4cm 0 .1cm}table{border-collapse:collapse;"
        "margin:.2cm 0 .4cm}th,td{text-align:left;padding:.05cm .3cm .05cm 0;font-size:10pt}.meta{color:#444;"
        "margin:0}blockquote{margin:.15cm 0 .05cm .3cm;padding-left:.3cm;border-left:3px solid #b03a2e}"
        ".gloss{margin:0 0 0 .6cm;font-size:10pt}.cite{margin:0 0 .15cm .6cm;font-size:8.5pt;color:#555;"
        "overflow-wrap:anywhere}.gloss-label{font:700 8.5pt sans-serif;color:#555}.quote{break-inside:avoid}"
        "h3,.meta{break-after:avoid}figure{margin:0;break-inside:avoid}.key{list-style:none;padding:0;margin:.15cm 0 .3cm;"
        "display:flex;flex-wrap:wrap;gap:.05cm .45cm;font:9pt sans-serif;color:#333}.key svg{vertical-align:-2px}"
        "svg .leader{stroke:#222;stroke-width:1.2}svg .anchor{fill:#222;stroke:#fff;stroke-width:1}"
        "svg .callout{fill:#fff;fill-opacity:.9;stroke:#777;stroke-width:.8}svg text.caption{font:600 11px sans-serif;fill:#222}svg text.country{font:600 13px sans-serif;fill:#6b6b60;text-anchor:middle}"
        "svg text.place{font:11px sans-serif;fill:#222;paint-order:stroke;stroke:#fff;stroke-width:3px}"
        "svg text.num{font:700 10px sans-serif;fill:#fff;text-anchor:middle}"
        ".atlas-notes{border:1.5px dashed #555;padding:.1cm .3cm;margin:.2cm 0 .3cm .3cm;font:10pt sans-serif}"
        ".atlas-notes-head{font-weight:700;margin:0}.atlas-note{margin:.05cm 0}.atlas-note-kind{font-weight:700}"
        "@page{size:A4;margin:1.2cm}</style></head><body>"
        + tag("h1", title)
        + tag("table", rows)
        + tag("figure", join(map_svg(events, lang, places), map_key(events, lang, _)))
        + tag("ol", join(*items))
        + str(works)
        + "</body></html>"
    )
