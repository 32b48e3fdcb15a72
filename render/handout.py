"""A printable handout of the current view: a static map drawn offline as SVG, the events and their sources."""

from __future__ import annotations

import math

from shapely.geometry import box, mapping, shape

from events.categories import category_colour, category_name
from events.model import Event
from events.sources import Source
from geo.layers import layer
from render.citations import excerpt_citation
from render.html import esc, join, tag
from render.mapbuild import COUNTRY_FILL, DEFAULT_FILL, SEA, place_labels
from render.panel import notes_html

WIDTH, HEIGHT = 900, 560


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


def map_svg(events: list[Event], lang: str) -> str:
    """The handout's map as SVG, drawn here from the committed layers (no tiles, no script): countries, rivers,
    border, places, and the events numbered as in the list."""
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
    for name, colour, width, dash in (("rivers", "#5b8db8", 2, ""), ("border_sino_soviet", "#a93226", 2, "6 4")):
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
    for feature in place_labels()["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        if frame.contains(shape(feature["geometry"])):
            x, y = project(lon, lat)
            name = feature["properties"]["name"].get(lang) or feature["properties"]["name"]["en"]
            shapes.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#333"/>'
                          f'<text x="{x + 6:.1f}" y="{y + 4:.1f}" class="place">{esc(name)}</text>')  # fmt: skip
    for number, e in enumerate(events, 1):
        x, y = project(e.lon, e.lat)
        shapes.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{category_colour(e.category)}" '
                      f'stroke="#fff" stroke-width="2"/><text x="{x:.1f}" y="{y + 4:.1f}" class="num">{number}</text>')  # fmt: skip
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{SEA}"/>{"".join(shapes)}</svg>'
    )


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
            join(
                tag("blockquote", ex.text, lang=sources[ex.source].language if ex.source in sources else None),
                tag("p", ex.gloss[lang], class_="gloss") if ex.gloss.get(lang) else "",
                tag("p", excerpt_citation(sources.get(ex.source), ex, lang, _), class_="cite"),
            )
            for ex in e.excerpts
        ]
        meta = f"{e.when.label(lang)} · {place.label(lang) if place else e.place} · {category_name(e.category, lang)}"
        if e.disputed:
            meta += f" · {_('Sources disagree')}"
        support = (
            tag("p", f"{_('Support in these sources:')} {e.support.phrase(lang)}", class_="meta") if e.support else ""
        )
        notes = notes_html(e, bibliography or {}, lang, _)
        items.append(tag("li", join(tag("h3", e.label(lang)), tag("p", meta, class_="meta"), support, *quotes, notes)))
    rows = join(*(tag("tr", join(tag("th", k), tag("td", v))) for k, v in filters.items()))
    title = _("The Yi–Ta incident and the Sino-Soviet split")
    return (
        '<!DOCTYPE html><html lang="'
        + esc(lang)
        + '"><head><meta charset="utf-8">'
        + tag("title", title)
        + "<style>body{font:11pt/1.45 Georgia,'Noto Serif CJK SC',serif;margin:1.5cm;color:#111}"
        "h1{font-size:18pt;margin:0 0 .2cm}h3{font-size:12pt;margin:.4cm 0 .1cm}table{border-collapse:collapse;"
        "margin:.2cm 0 .4cm}th,td{text-align:left;padding:.05cm .3cm .05cm 0;font-size:10pt}.meta{color:#444;"
        "margin:0}blockquote{margin:.15cm 0 .05cm .3cm;padding-left:.3cm;border-left:3px solid #b03a2e}"
        ".gloss{margin:0 0 0 .6cm;font-size:10pt}.cite{margin:0 0 .15cm .6cm;font-size:8.5pt;color:#555;"
        "overflow-wrap:anywhere}svg text.country{font:600 13px sans-serif;fill:#6b6b60;text-anchor:middle}"
        "svg text.place{font:11px sans-serif;fill:#222;paint-order:stroke;stroke:#fff;stroke-width:3px}"
        "svg text.num{font:700 10px sans-serif;fill:#fff;text-anchor:middle}li{page-break-inside:avoid}"
        ".atlas-notes{border:1.5px dashed #555;padding:.1cm .3cm;margin:.2cm 0 .3cm .3cm;font:10pt sans-serif}"
        ".atlas-notes-head{font-weight:700;margin:0}.atlas-note{margin:.05cm 0}.atlas-note-kind{font-weight:700}"
        "@page{size:A4;margin:1.2cm}</style></head><body>"
        + tag("h1", title)
        + tag("table", rows)
        + map_svg(events, lang)
        + tag("ol", join(*items))
        + "</body></html>"
    )
