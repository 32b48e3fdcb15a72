"""Export formats carry the whole corpus; a GeoJSON export reads back as the same corpus."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from jsonschema import Draft7Validator

from events.interchange import neutralise, to_geojson, to_lpf
from events.loader import load_corpus

ROOT = Path(__file__).resolve().parent.parent
LPF_SCHEMA = ROOT / "events" / "schema" / "vendor" / "linked-places-format-v1.2.2.schema.json"  # vendored, BSD-3


def export(fmt: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "events", "export", "--format", fmt],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_geojson_export_has_every_event_and_field(corpus):
    data = json.loads(export("geojson"))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(corpus.events)
    props = data["features"][0]["properties"]
    for key in (
        "id",
        "title",
        "when",
        "start",
        "end",
        "place",
        "place_name",
        "region",
        "category",
        "certainty",
        "disputed",
        "excerpts",
    ):
        assert key in props, key
    assert set(props["title"]) == {"en", "zh"}
    assert {"source", "text", "start", "end"} <= set(props["excerpts"][0])
    by_id = {f["properties"]["id"]: f for f in data["features"]}
    for e in corpus.events:
        f = by_id[e.id]
        if e.area:  # an event about a region is exported as that region's polygon
            assert f["geometry"]["type"] in ("Polygon", "MultiPolygon"), e.id
        else:
            assert f["geometry"]["coordinates"] == [e.lon, e.lat]
        assert f["properties"]["start"] == e.when.start.isoformat() and f["properties"]["end"] == e.when.end.isoformat()
        assert len(f["properties"]["excerpts"]) == len(e.excerpts)


def test_csv_export_has_a_row_per_event_and_excerpt(corpus):
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    assert len(rows) == sum(len(e.excerpts) for e in corpus.events)
    assert {r["id"] for r in rows} == {e.id for e in corpus.events}


def test_csv_neutralises_formulas():
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert neutralise("+1") == "'+1" and neutralise("@cmd") == "'@cmd" and neutralise("plain") == "plain"


def test_lpf_export_is_valid_against_the_whg_schema(corpus):
    validator = Draft7Validator(json.loads(LPF_SCHEMA.read_text(encoding="utf-8")))
    data = json.loads(export("lpf"))
    assert len(data["features"]) == len(corpus.places)
    for feature in data["features"]:
        errors = [e.message for e in validator.iter_errors(feature)]
        assert not errors, (feature["@id"], errors)


def test_geojson_export_reads_back_as_the_same_corpus(tmp_path, corpus):
    path = tmp_path / "corpus.geojson"
    path.write_text(json.dumps(to_geojson(corpus), ensure_ascii=False), encoding="utf-8")
    again = load_corpus(path)
    assert [str(p) for p in again.problems] == []
    assert {e.id: (e.when, e.place, e.region, e.excerpts) for e in again.events} == {
        e.id: (e.when, e.place, e.region, e.excerpts) for e in corpus.events
    }


def test_geojson_with_unknown_sources_is_unverified_not_dropped(tmp_path, corpus):
    data = to_geojson(corpus)
    feature = data["features"][0]
    for ex in feature["properties"]["excerpts"]:
        ex["source"] = "someone-elses-archive"
    data["features"] = [feature]
    path = tmp_path / "mine.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = load_corpus(path)
    assert [e.id for e in loaded.events] == [feature["properties"]["id"]]
    assert all(not ex.verified for ex in loaded.events[0].excerpts)
    assert loaded.problems and all(p.severity == "unverified" for p in loaded.problems)


def test_lpf_names_every_place_in_both_languages(corpus):
    for feature in to_lpf(corpus)["features"]:
        langs = {n["lang"] for n in feature["names"]}
        assert {"en", "zh"} <= langs
