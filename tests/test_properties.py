"""Property tests (Hypothesis, issue 15): generated dates, numbers, strings and nested structures in every
field of every format (YAML, GeoJSON, CSV). The checker never raises, and whatever it passes renders on
every page: the panel, the handout, the list and timeline's rows, the map's features and the date label.

Bounded so that the fast loop stays fast: 100 examples per property, no deadline (the first
example pays for loading the regions layer)."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import string

import pandas as pd
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datafiles.dates import DateError, format_when, parse_when
from events.check import check_data
from events.interchange import CSV_COLUMNS, to_geojson, write_csv
from events.loader import Corpus, shipped_corpus
from events.table import events_frame
from geo.regions import region_names
from i18n import translator
from render.eventfile import event_features
from render.handout import handout_html
from render.panel import event_panel

# 100 generated examples per property in the full suite; the fast loop (./test fast sets ATLAS_FAST=1) runs
# 25, so a developer's loop stays under 3 minutes while CI still tries the full 100 on every run.
EXAMPLES = 25 if os.environ.get("ATLAS_FAST") == "1" else 100
BOUNDED = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- what is generated

_DATE_CHARS = string.digits + "X-/~?%{}[],.ST:Z +"
dates = st.one_of(
    # the grammar's own shapes, with any numbers in them
    st.builds(
        lambda y, m, d, q, tail: f"{y:04d}{m}{d}{q}{tail}",
        st.integers(0, 10_999),
        st.sampled_from(["", *(f"-{n:02d}" for n in range(0, 45))]),
        st.sampled_from(["", *(f"-{n:02d}" for n in range(0, 33))]),
        st.sampled_from(["", "~", "?", "%"]),
        st.sampled_from(["", "/", "/1963", "/196X", "/1961", "/..", "/1963-02-29", "T10:00:00", "S2", "/2205"]),
    ),
    st.text(_DATE_CHARS, max_size=25),
    st.sampled_from(["1962-04-22T10:00:00", "1962-21", "1962/", "{1962,1963}", "1962S2", "?1962-04-22",
                     "196X", "19XX", "1962-XX", "/1962", "../1962", "1962-04-22/..", "2200/", "1678"]),
    st.text(max_size=12),
)  # fmt: skip
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=10**300, max_value=10**420),
    st.integers(max_value=-(10**300), min_value=-(10**420)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
scalars = st.one_of(st.none(), numbers, st.text(max_size=30), dates)
nested = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
FIELDS = [
    ("id",), ("title",), ("title", "en"), ("title", "zh"), ("when",), ("place",), ("category",), ("disputed",),
    ("summary",), ("summary", "en"), ("stands_for",), ("notes",), ("excerpts",), ("excerpts", 0),
    ("excerpts", 0, "source"), ("excerpts", 0, "text"), ("excerpts", 0, "start"), ("excerpts", 0, "end"),
    ("excerpts", 0, "claim"), ("excerpts", 0, "gloss"), ("excerpts", 0, "role"), ("surplus",),
]  # fmt: skip


def _good_feature() -> dict:
    feature = next(f for f in to_geojson(shipped_corpus())["features"] if f["properties"]["place"] == "khorgos")
    feature = copy.deepcopy(feature)
    feature["id"] = feature["properties"]["id"] = "my-crossing"
    return feature


GOOD = _good_feature()
_ = {lang: translator(lang) for lang in ("en", "zh")}


def _set(target: dict, path: tuple, value) -> dict:
    out = copy.deepcopy(target)
    node = out
    for key in path[:-1]:
        if isinstance(node, list):
            node = node[key] if key < len(node) else node[-1]
        else:
            node = node.setdefault(key, {})
            if not isinstance(node, (dict, list)):
                return out
    if isinstance(node, dict):
        node[path[-1]] = value
    return out


# ---------------------------------------------------------------- what must hold


def _renders(events, corpus: Corpus) -> None:
    """Every page's rendering of the accepted events, in both languages."""
    if not events:
        return
    places = {**corpus.places}
    # The handout's map costs a quarter of a second (it projects every layer): drawn once, in English; its
    # text in Chinese is what the panel and the rows below already render.
    handout_html(list(events), corpus.sources, places, {"years": "all"}, "en", _["en"], corpus.bibliography)
    for lang in ("en", "zh"):
        for e in events:
            format_when(e.when, lang)
            event_panel(e, corpus.sources, e.place, e.region, lang, _[lang], corpus.bibliography)
        frame = events_frame(list(events), places, region_names(), lang)
        assert len(frame) == len(events)
        event_features(events, lang, lambda e, lang=lang: e.when.label(lang))


def _checked(name: str, data: bytes) -> None:
    events, problems, places = check_data(name, data)  # never raises
    corpus = shipped_corpus()
    _renders(events, Corpus(corpus.sources, {**corpus.places, **places}, [], [], None, corpus.bibliography))
    for p in problems:
        assert str(p).startswith(f"{name}:") and p.message


@BOUNDED
@given(dates)
def test_a_date_is_refused_with_a_message_or_shown_on_every_page(text):
    try:
        when = parse_when(text)
    except DateError as exc:
        assert str(exc)
        return
    assert when.start <= when.end
    for lang in ("en", "zh"):
        assert format_when(when, lang)
    pd.Timestamp(when.start), pd.Timestamp(when.end) + pd.Timedelta(days=1)  # the timeline and the list


@BOUNDED
@given(st.sampled_from(FIELDS), nested)
def test_any_value_in_any_field_of_a_yaml_event(path, value):
    props = _set(GOOD["properties"], path, value)
    event = {k: v for k, v in props.items() if k not in ("start", "end", "region", "regions", "certainty",
                                                         "support", "place_name", "place_name_zh")}  # fmt: skip
    _checked("events.yaml", yaml.safe_dump([event], allow_unicode=True).encode("utf-8"))


@BOUNDED
@given(st.sampled_from(FIELDS), nested)
def test_any_value_in_any_field_of_a_geojson_feature(path, value):
    feature = {**GOOD, "properties": _set(GOOD["properties"], path, value)}
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False)
    _checked("events.geojson", data.encode("utf-8"))


def _event_file(fmt: str, when: str) -> tuple[str, bytes]:
    """The good event with this `when`, as an event file in `fmt`."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({**row, "when": when} for row in ROWS)
        return "events.csv", out.getvalue().encode("utf-8")
    props = {**GOOD["properties"], "when": when}
    if fmt == "yaml":
        keys = ("id", "title", "when", "place", "category", "disputed", "excerpts")
        return "events.yaml", yaml.safe_dump([{k: props[k] for k in keys}], allow_unicode=True).encode("utf-8")
    return "events.geojson", json.dumps({"type": "FeatureCollection", "features": [{**GOOD, "properties": props}]},
                                        ensure_ascii=False).encode("utf-8")  # fmt: skip


def test_the_good_event_passes_in_every_format():
    """The properties below spoil a valid event: it must pass unspoilt, or they would prove nothing."""
    for fmt in ("yaml", "geojson", "csv"):
        events, problems, _places = check_data(*_event_file(fmt, GOOD["properties"]["when"]))
        assert len(events) == 1, problems


@BOUNDED
@given(st.sampled_from(["yaml", "geojson", "csv"]), dates)
def test_the_checker_and_every_page_read_one_date_grammar(fmt, when):
    """A date the checker passes, in any format, renders on every page; one it refuses has a message on
    the `when` field; and the checker agrees with parse_when."""
    name, data = _event_file(fmt, when)
    events, problems, _places = check_data(name, data)
    try:
        parse_when(when)
        agreed = True
    except DateError:
        agreed = False
    if isinstance(when, str) and when.strip() and len(when) >= 4:  # the schema's own length limits aside
        assert bool(events) == agreed or len(when) > 40, problems
    if not events:
        assert any(p.field.endswith("when") or p.item == "-" for p in problems), problems  # or the file's
    _renders(events, shipped_corpus())


@BOUNDED
@given(
    st.one_of(
        nested, st.tuples(numbers, numbers).map(list), st.tuples(st.floats(-180, 180), st.floats(-90, 90)).map(list)
    ),
    st.one_of(st.just(None), st.just("khorgos"), nested),
)
def test_any_geometry_of_a_geojson_feature(coordinates, place):
    props = {**GOOD["properties"]}
    if place is None:
        props.pop("place")
    else:
        props["place"] = place
    feature = {**GOOD, "geometry": {"type": "Point", "coordinates": coordinates}, "properties": props}
    data = json.dumps({"type": "FeatureCollection", "features": [feature]})
    _checked("events.geojson", data.encode("utf-8"))


def _good_rows() -> list[dict]:
    c = shipped_corpus()
    event = next(e for e in c.events if e.place == "khorgos")
    out = io.StringIO()
    write_csv(Corpus(c.sources, c.places, [event], [], None), out)
    return [{**row, "id": "my-crossing"} for row in csv.DictReader(io.StringIO(out.getvalue()))]


ROWS = _good_rows()


@BOUNDED
@given(st.sampled_from(CSV_COLUMNS), st.one_of(st.text(max_size=40), dates, numbers.map(str)), st.booleans())
def test_any_cell_in_any_column_of_a_csv_file(column, cell, every_row):
    rows = [dict(row) for row in ROWS]
    for row in rows if every_row else rows[:1]:
        row[column] = cell
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _checked("events.csv", out.getvalue().encode("utf-8"))


@BOUNDED
@given(nested)
def test_any_document_at_all(value):
    for name, data in (("any.yaml", yaml.safe_dump(value).encode()), ("any.geojson", json.dumps(value).encode())):
        _checked(name, data)
