"""The corpus in other formats: GeoJSON and CSV (export and import) and Linked Places Format (export)."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path
from typing import TextIO

from shapely.errors import GEOSException
from shapely.geometry import shape

from datafiles.problems import DataFileError, Problem, rel
from datafiles.yamlfile import MAX_BYTES, MAX_DEPTH, decode, read_limited
from events.loader import MAX_EVENTS, Corpus, build_event, dedupe, load_event_file, shipped_corpus, with_regions
from events.model import Event
from events.rules import km
from geo.areas import area_geometry, load_areas
from geo.gazetteer import Place
from geo.land import on_land

CORPUS_MAX_BYTES = 500_000_000  # a whole corpus named by the server's operator in ATLAS_CORPUS
CORPUS_MAX_EVENTS = 1_000_000
NEAR_KM = 50  # a feature's point this far from its named place's gazetteer coordinate is a contradiction
SITE = "https://yita-atlas.example.org"  # base of the LPF @id URIs; stable, never fetched

CSV_COLUMNS = [
    "id", "title_en", "title_zh", "when", "start", "end", "place", "place_name", "lat", "lon", "region",
    "category", "certainty", "support", "disputed", "stands_for", "source", "excerpt", "excerpt_start",
    "excerpt_end", "role", "claim_en", "claim_zh", "gloss_en", "gloss_zh", "notes",
]  # fmt: skip
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- export


def _notes(e: Event) -> list[dict]:
    return [{"kind": n.kind, "text": dict(n.text), "ref": n.ref, "pages": n.pages} for n in e.notes]


def _geometry(e: Event) -> dict:
    """The event's geometry: its area's polygon where it is drawn as an area, else its point."""
    geometry = area_geometry(e.area) if e.area else None
    return geometry or {"type": "Point", "coordinates": [e.lon, e.lat]}


def event_feature(e: Event, places: dict[str, Place]) -> dict:
    """One event as a GeoJSON Feature: its area's polygon or its point, and every field an import needs back."""
    place = places.get(e.place)
    excerpts = []
    for ex in e.excerpts:
        item = {"source": ex.source, "text": ex.text, "start": ex.start, "end": ex.end}
        if ex.role != "supports":
            item["role"] = ex.role
        if ex.claim:
            item["claim"] = ex.claim
        if ex.gloss:
            item["gloss"] = ex.gloss
        excerpts.append(item)
    props = {
        "id": e.id,
        "title": dict(e.title),
        "when": e.when.edtf,
        "start": e.when.start.isoformat(),
        "end": e.when.end.isoformat(),
        "place": e.place,
        "place_name": place.label("en") if place else e.place,
        "place_name_zh": place.label("zh") if place else e.place,
        "region": e.region,
        "regions": list(e.regions),
        "category": e.category,
        "certainty": e.certainty,
        "support": {"en": e.support.phrase("en"), "zh": e.support.phrase("zh")} if e.support else None,
        "disputed": e.disputed,
        "excerpts": excerpts,
    }
    if e.summary:
        props["summary"] = dict(e.summary)
    if e.stands_for:
        props["stands_for"] = e.stands_for
    if e.notes:
        props["notes"] = _notes(e)
    return {"type": "Feature", "id": e.id, "geometry": _geometry(e), "properties": props}


def to_geojson(corpus: Corpus) -> dict:
    """The corpus's events as a GeoJSON FeatureCollection (what `read_geojson` reads back)."""
    return {"type": "FeatureCollection", "features": [event_feature(e, corpus.places) for e in corpus.events]}


def write_geojson(corpus: Corpus, out: TextIO) -> None:
    """Write `to_geojson(corpus)` to `out` (UTF-8 JSON, one feature per event)."""
    json.dump(to_geojson(corpus), out, ensure_ascii=False, indent=1)
    out.write("\n")


def neutralise(cell: object) -> str:
    """A CSV cell that a spreadsheet will show as text, never run as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(_FORMULA) else text


def write_csv(corpus: Corpus, out: TextIO) -> None:
    """Write the events as CSV, one row per event and excerpt, every cell safe from spreadsheet formulas."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in corpus.events:
        place = corpus.places.get(e.place)
        support = e.support.phrase("en") if e.support else ""
        notes = json.dumps(_notes(e), ensure_ascii=False) if e.notes else ""
        for k, ex in enumerate(e.excerpts):
            row = [
                e.id, e.title["en"], e.title["zh"], e.when.edtf, e.when.start.isoformat(), e.when.end.isoformat(),
                e.place, place.label("en") if place else e.place, e.lat, e.lon, e.region, e.category,
                e.certainty, support, str(e.disputed).lower(), e.stands_for or "", ex.source, ex.text, ex.start,
                ex.end, ex.role, (ex.claim or {}).get("en", ""), (ex.claim or {}).get("zh", ""),
                ex.gloss.get("en", ""), ex.gloss.get("zh", ""), notes if k == 0 else "",
            ]  # fmt: skip
            writer.writerow([neutralise(c) for c in row])


def lpf_feature(place: Place) -> dict:
    """One gazetteer place as a Linked Places Format feature (an area as its polygon), for the World Historical
    Gazetteer."""
    names = [{"toponym": place.name["en"], "lang": "en"}, {"toponym": place.name["zh"], "lang": "zh"}]
    names += [{"toponym": name, "lang": lang or None} for name, lang in place.names]
    certainty = "certain" if place.precision in ("point", "town") else "less-certain"
    geometry = {"type": "Point", "coordinates": [place.lon, place.lat]}
    if place.kind == "area":  # an area is its polygon; its label point is only where the map writes its name
        polygon = area_geometry(place.geometry or place.id)
        if polygon is not None:
            geometry, certainty = polygon, "certain"
    feature = {
        "@id": f"{SITE}/places/{place.id}",
        "type": "Feature",
        "properties": {"title": place.name["en"], "title_zh": place.name["zh"]},
        "geometry": {
            "type": "GeometryCollection",
            "geometries": [{**geometry, "certainty": certainty, "citation": {"label": place.coord_source}}],
        },
        "names": names,
        "types": [{"label": place.kind}],
        "descriptions": [{"value": f"Point precision: {place.precision}. {place.note}".strip(), "lang": "en"}],
    }
    if place.founded:
        feature["when"] = {"timespans": [{"start": {"earliest": place.founded.rstrip("~?")}}]}
    return feature


def to_lpf(corpus: Corpus) -> dict:
    """The gazetteer as a Linked Places Format FeatureCollection."""
    return {
        "type": "FeatureCollection",
        "@context": "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld",
        "features": [lpf_feature(p) for p in corpus.places.values()],
    }


def write_lpf(corpus: Corpus, out: TextIO) -> None:
    """Write `to_lpf(corpus)` to `out`."""
    json.dump(to_lpf(corpus), out, ensure_ascii=False, indent=1)
    out.write("\n")


# ---------------------------------------------------------------- import


def _id_lines(text: str) -> dict[str, int]:
    """The line where each `"id": "..."` first stands, to point curators at a feature."""
    lines: dict[str, int] = {}
    line, counted = 1, 0  # the line at `counted`: walked forward, so each byte is counted once (linear)
    for m in re.finditer(r'"id"\s*:\s*"([^"\\]{1,200})"', text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        lines.setdefault(m.group(1), line)
    return lines


def _point(geometry: object) -> tuple[float, float] | str | None:
    """(lon, lat) of a Point geometry; a message if it is not a usable one; None if there is none."""
    if geometry is None:
        return None
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if not (
        isinstance(geometry, dict)
        and geometry.get("type") == "Point"
        and isinstance(coords, list)
        and len(coords) >= 2
        and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords[:2])
    ):
        return "needs a known place id or a Point geometry [lon, lat]"
    try:
        lon, lat = float(coords[0]), float(coords[1])
    except OverflowError:  # an integer too large for a float (JSON allows any number of digits)
        lon = lat = math.inf
    if not (math.isfinite(lon) and math.isfinite(lat)):
        shown = ", ".join(str(c) if len(str(c)) <= 30 else f"{str(c)[:12]}…({len(str(c))} digits)" for c in coords[:2])
        return f"coordinates [{shown}] are not finite numbers"
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        swapped = " (are lon and lat swapped?)" if -180 <= lat <= 180 and -90 <= lon <= 90 else ""
        return f"coordinates [{lon}, {lat}] are out of range: GeoJSON order is [lon, lat], lon -180..180, lat -90..90{swapped}"
    return lon, lat


def _point_id(lon: float, lat: float) -> str:
    """A place id for a point of the file's own: point-43-9100n-81-3300e (a valid slug)."""
    ns, ew = "n" if lat >= 0 else "s", "e" if lon >= 0 else "w"
    return f"point-{abs(lat):.4f}{ns}-{abs(lon):.4f}{ew}".replace(".", "-")


def _place_for(props: dict, geometry: object, corpus: Corpus) -> tuple[str | None, Place | None, str | None, str]:
    """The gazetteer id to use, a new Place built from the feature's own point, or why neither works,
    and a warning (or "") when the point is outside the atlas's countries."""
    pid = props.get("place")
    point = _point(geometry)
    if isinstance(pid, str) and pid in corpus.places:
        known = corpus.places[pid]
        if isinstance(point, tuple):
            lon, lat = point
            off = km(lon, lat, known.lon, known.lat)
            if off > NEAR_KM:
                swapped = km(lat, lon, known.lon, known.lat) <= NEAR_KM
                hint = ("lon and lat are swapped (GeoJSON order is [lon, lat])" if swapped else
                        "remove the place id to use your own point, or correct the point")  # fmt: skip
                return (
                    None,
                    None,
                    (
                        f"the point [{lon}, {lat}] is {off:,.0f} km from {pid!r} in the gazetteer "
                        f"[{known.lon}, {known.lat}]: {hint}"
                    ),
                    "",
                )
        if isinstance(point, str) and isinstance(geometry, dict) and geometry.get("type") == "Point":
            return None, None, point, ""  # a broken point is never silently replaced by the gazetteer's
        if isinstance(geometry, dict) and geometry.get("type") not in (None, "Point"):
            return _shape_for_place(geometry, known)
        return pid, None, None, ""
    if point is None or isinstance(point, str):
        return None, None, point or "needs a known place id or a Point geometry [lon, lat]", ""
    lon, lat = point
    warning = ""
    land = on_land(lon, lat)
    if land is False:
        if on_land(lat, lon) and -90 <= lon <= 90:
            return (
                None,
                None,
                (
                    f"the point [{lon}, {lat}] is outside the atlas's countries but [{lat}, {lon}] is inside: "
                    "lon and lat look swapped (GeoJSON order is [lon, lat])"
                ),
                "",
            )
        warning = f"the point [{lon}, {lat}] is outside every country of the atlas's 1962 map (at sea or far away)"
    pid = pid if isinstance(pid, str) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", pid) else _point_id(lon, lat)
    name = props.get("place_name") if isinstance(props.get("place_name"), str) else pid
    zh = props.get("place_name_zh") if isinstance(props.get("place_name_zh"), str) else name
    place = Place(pid.replace(".", "-"), {"en": name, "zh": zh}, lat, lon, "town", "point",
                  "from the imported file's own geometry")  # fmt: skip
    return place.id, place, None, warning


def _shape_for_place(geometry: dict, known: Place) -> tuple[str | None, Place | None, str | None, str]:
    """A non-Point geometry given with a known place id: it is the area's own polygon (as the GeoJSON
    export writes it) or it is refused with the reason, never silently dropped for the gazetteer's."""
    kind = str(geometry.get("type"))[:40]
    if known.kind != "area":
        return None, None, (
            f"a {kind} cannot stand for {known.id!r}, which the gazetteer has as a point: give a Point [lon, lat] "
            "near it, no geometry, or the id of an area (kind: area)"
        ), ""  # fmt: skip
    try:
        given = shape(geometry)
        inside = given.is_valid and not given.is_empty
        area = load_areas().get(known.geometry or known.id)
        inside = inside and area is not None and area.buffer(0.05).contains(given.representative_point())
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, GEOSException):
        inside = False
    if not inside:
        return None, None, (
            f"the {kind} does not lie in the area {known.id!r} of the gazetteer: the event would be drawn as that "
            "area, not as your shape; remove the place id to keep a point of your own, or correct the geometry"
        ), ""  # fmt: skip
    return known.id, None, None, ""


def _raw_event(props: dict) -> dict:
    """The project's event fields out of an export feature's properties.

    Certainty, support, start, end and regions are left behind: they are computed anew from the
    excerpts, the corpus's sources and the place on every load (events.support, events.loader).
    """
    keys = ("id", "title", "when", "place", "category", "disputed", "summary", "excerpts", "stands_for", "notes")
    return {k: props[k] for k in keys if k in props}


class _NotFinite(ValueError):
    pass


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


# Where a number may be too large for a float: an exponent of three digits, or 309 digits in a row.
_HUGE = (re.compile(r"[eE]\+?[0-9]{3}"), re.compile(r"[0-9]{309}"))  # two scans: 4x faster than one alternation


def _reject_constant(name: str):
    raise _NotFinite(name)


def _too_deep(data: object, limit: int = MAX_DEPTH) -> bool:
    """Whether JSON data nests lists and objects more than `limit` levels (iteratively: no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return True
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items if isinstance(item, (dict, list)))  # scalars: no depth
    return False


def read_geojson(
    text: str, corpus: Corpus, label: str, origin: str, max_events: int = MAX_EVENTS
) -> tuple[list[Event], list[Problem], dict]:
    """Events from the text of a GeoJSON event file (as `to_geojson` writes it), checked like the corpus: (events,
    problems, new places)."""
    problems: list[Problem] = []
    try:
        # A number too large for a float (1e999) is read as infinite: checked number by number only
        # where one may stand (a Python call per number costs a second per 2 million coordinates).
        exact = any(p.search(text) for p in _HUGE)
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite if exact else float)
    except json.JSONDecodeError as exc:
        return [], [Problem(label, exc.lineno, "-", "-", f"not valid JSON: {exc.msg} (column {exc.colno})")], {}
    except _NotFinite as exc:
        return [], [Problem(label, None, "-", "-", f"not valid JSON: {exc} is not a number JSON allows")], {}
    except RecursionError:
        return [], [Problem(label, None, "-", "-", f"not valid JSON: nested too deeply (the limit is {MAX_DEPTH})")], {}
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return [], [Problem(label, None, "-", "-", f"not valid JSON: {exc}")], {}
    if _too_deep(data):
        return [], [Problem(label, None, "-", "-", f"not valid JSON: nested more than {MAX_DEPTH} levels deep")], {}
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        got = type(data).__name__ if not isinstance(data, dict) else f"an object of type {data.get('type')!r}"
        got = {"list": "a list", "int": "a number", "float": "a number", "str": "a string"}.get(got, got)
        return [], [Problem(label, 1, "-", "-",
                            f"expected a GeoJSON FeatureCollection with a list of features, got {got}")], {}  # fmt: skip
    if len(data["features"]) > max_events:
        n = len(data["features"])
        return (
            [],
            [Problem(label, None, "-", "features", f"the file has {n:,} features; the limit is {max_events:,}")],
            {},
        )
    lines = _id_lines(text)
    events, new_places = [], {}
    for i, feature in enumerate(data["features"]):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            problems.append(Problem(label, None, "-", f"features.{i}", "a feature needs a properties object"))
            continue
        eid = str(props.get("id", "-"))[:120]
        line = lines.get(eid)
        pid, place, why, warning = _place_for(props, feature.get("geometry"), corpus)
        if why:
            problems.append(Problem(label, line, eid, f"features.{i}.geometry", why))
            continue
        if warning:
            problems.append(Problem(label, line, eid, f"features.{i}.geometry", warning, "warning"))
        places = corpus.places
        if place is not None:
            new_places[place.id] = place
            places = {**corpus.places, place.id: place}
        raw = {**_raw_event(props), "place": pid}
        event, found = build_event(
            raw, label, line, lambda p: None, corpus.sources, places, origin, corpus.bibliography
        )
        problems += [_prefixed(p, f"features.{i}.properties") for p in found]
        if event is not None:
            events.append(event)
    return events, problems, new_places


def _prefixed(p: Problem, prefix: str) -> Problem:
    return Problem(p.path, p.line, p.item, f"{prefix}.{p.field}" if p.field != "-" else prefix, p.message, p.severity)


def _cell(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] in _FORMULA else value


def read_csv(
    text: str, corpus: Corpus, label: str, origin: str, max_events: int = MAX_EVENTS
) -> tuple[list[Event], list[Problem], dict]:
    """Events from the text of a CSV event file (as `write_csv` writes it, rows of one event together), checked like
    the corpus: (events, problems, new places)."""
    problems: list[Problem] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    required = ["id", "title_en", "title_zh", "when", "category", "source", "excerpt", "excerpt_start",
                "excerpt_end"]  # fmt: skip
    missing = [c for c in required if c not in header]
    if missing:
        return [], [Problem(label, 1, "-", "-", f"missing column(s): {', '.join(missing)}")], {}
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        problems.append(Problem(label, 1, "-", "-", f"unknown column(s) ignored: {', '.join(map(str, unknown))}"))
    grouped: dict[str, dict] = {}
    broken: set[str] = set()
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                problems.append(Problem(label, line, row.get("id") or "-", "-", "more cells than columns"))
                continue
            row = {k: _cell(v or "") for k, v in row.items()}
            eid = row["id"] or f"row-{line}"
            if eid not in grouped and len(grouped) >= max_events:
                problems.append(
                    Problem(label, line, eid, "-", f"more than {max_events:,} events: the rest of the file is not read")
                )
                break
            try:
                start, end = int(row["excerpt_start"]), int(row["excerpt_end"])
            except ValueError:
                problems.append(
                    Problem(label, line, eid, "excerpt_start", "excerpt_start and excerpt_end must be whole numbers")
                )
                broken.add(eid)  # the event is left out whole, never shown without one of its excerpts
                continue
            item = grouped.setdefault(eid, {"line": line, "props": {
                "id": row["id"], "title": {"en": row["title_en"], "zh": row["title_zh"]}, "when": row["when"],
                "place": row.get("place") or None, "place_name": row.get("place_name") or None,
                "category": row["category"], "stands_for": row.get("stands_for") or None,
                "disputed": (row.get("disputed") or "false").lower() == "true", "excerpts": []},
                "geometry": _csv_point(row)})  # fmt: skip
            if row.get("notes"):
                try:
                    item["props"]["notes"] = json.loads(row["notes"])
                except ValueError:
                    problems.append(
                        Problem(label, line, eid, "notes", "not a JSON list of notes, as the export writes")
                    )
                    broken.add(eid)
                    continue
            excerpt = {"source": row["source"], "text": row["excerpt"], "start": start, "end": end}
            if row.get("role") and row["role"] != "supports":
                excerpt["role"] = row["role"]
            if row.get("claim_en") or row.get("claim_zh"):
                excerpt["claim"] = {"en": row.get("claim_en", ""), "zh": row.get("claim_zh", "")}
            gloss = {lang: row[f"gloss_{lang}"] for lang in ("en", "zh") if row.get(f"gloss_{lang}")}
            if gloss:
                excerpt["gloss"] = gloss
            item["props"]["excerpts"].append(excerpt)
    except csv.Error as exc:
        problems.append(Problem(label, reader.line_num, "-", "-", f"not valid CSV: {exc}"))
    events, new_places = [], {}
    for eid, item in grouped.items():
        if eid in broken:
            continue
        pid, place, why, warning = _place_for(item["props"], item["geometry"], corpus)
        if why:
            problems.append(Problem(label, item["line"], eid, "lat/lon" if item["geometry"] else "place", why))
            continue
        if warning:
            problems.append(Problem(label, item["line"], eid, "lat/lon", warning, "warning"))
        places = corpus.places if place is None else {**corpus.places, place.id: place}
        if place is not None:
            new_places[place.id] = place
        raw = {k: v for k, v in {**item["props"], "place": pid}.items() if k != "place_name" and v is not None}
        event, found = build_event(
            raw, label, item["line"], lambda p: None, corpus.sources, places, origin, corpus.bibliography
        )
        problems += found
        if event is not None:
            events.append(event)
    return events, problems, new_places


def _csv_point(row: dict) -> dict | None:
    lon, lat = (row.get("lon") or "").strip(), (row.get("lat") or "").strip()
    if not lon and not lat:
        return None
    try:
        return {"type": "Point", "coordinates": [float(lon), float(lat)]}
    except ValueError:
        return {"type": "Point", "coordinates": [lon, lat]}  # reported by _point: not numbers


FORMATS = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".yaml": "yaml", ".yml": "yaml"}


def read_events(
    path: Path | None,
    corpus: Corpus,
    label: str | None = None,
    origin: str = "user",
    max_bytes: int = MAX_BYTES,
    data: bytes | None = None,
    max_events: int = MAX_EVENTS,
):
    """Events from an event file in any format (export CSV or GeoJSON, or the project's YAML), read from
    `path` or from the `data` bytes of an upload named `label`, checked like the corpus.

    Returns (events, problems, new places). Never raises for bad content: every problem names the
    file, the line or row, and the field.
    """
    label = label or rel(path)
    kind = FORMATS.get(Path(label if data is not None else path).suffix.lower())
    if kind is None:
        return [], [Problem(label, None, "-", "-", "unknown file type: expected .yaml, .geojson, .json or .csv")], {}
    if kind == "yaml":
        events, problems = load_event_file(
            path, corpus.sources, corpus.places, origin, label=label, data=data, bibliography=corpus.bibliography
        )
        places: dict = {}
    else:
        try:
            text = decode(read_limited(path, label, max_bytes) if data is None else data, label, max_bytes)
        except DataFileError as exc:
            return [], exc.problems, {}
        reader = read_csv if kind == "csv" else read_geojson
        events, problems, places = reader(text, corpus, label, origin, max_events)
    events = dedupe(events, problems)
    return with_regions(events), problems, places


def load_geojson_corpus(path: Path) -> Corpus:
    """A whole corpus from one event file (a GeoJSON or CSV export, or a YAML event file): sources come
    from the shipped corpus where known."""
    shipped = shipped_corpus()
    events, problems, places = read_events(
        path, shipped, origin="corpus", max_bytes=CORPUS_MAX_BYTES, max_events=CORPUS_MAX_EVENTS
    )
    return Corpus(dict(shipped.sources), {**shipped.places, **places}, events, problems, path, shipped.bibliography)
