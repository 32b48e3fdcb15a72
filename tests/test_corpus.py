"""Data integrity of the shipped corpus: every rule a curator must keep is a test here.

The loader drops an event it cannot load (a duplicate id, an excerpt not at its locator, an unknown
place, an impossible date) and reports a problem: a rule tested on `corpus.events` alone could never
see the event that breaks it. Those rules are tested on the events as written in the files."""

import json
import re
from collections import Counter

import pytest
import yaml

from datafiles.dates import DateError, parse_when
from events.loader import SHIPPED
from events.support import ESSAY_KINDS

MIN_EVENTS = 45
SLUG = json.loads((SHIPPED.parent / "schema" / "events.schema.json").read_text("utf-8"))["$defs"]["slug"]["pattern"]


@pytest.fixture(scope="module")
def written() -> list[tuple[str, dict]]:
    """(file name, event mapping) for every event in the shipped files, as the curator wrote it."""
    found = []
    for path in sorted((SHIPPED / "events").glob("*.y*ml")):
        found += [(path.name, raw) for raw in yaml.safe_load(path.read_text("utf-8")) or []]
    return found


def test_shipped_corpus_has_no_problems(corpus):
    assert [str(p) for p in corpus.problems] == []


def test_enough_events_from_every_document(corpus):
    assert len(corpus.events) >= MIN_EVENTS
    cited = Counter(src for e in corpus.events for src in {ex.source for ex in e.excerpts})
    for source in corpus.sources:
        assert cited[source] >= 3, f"{source} is cited by only {cited[source]} event(s)"


def test_every_written_event_is_loaded(written, corpus):
    """The loader dropped none of the curator's events (it drops one that breaks a rule below)."""
    assert sorted(e.id for e in corpus.events) == sorted(raw["id"] for _name, raw in written)


def test_every_excerpt_stands_verbatim_at_its_locator(written, corpus):
    for name, raw in written:
        assert raw["excerpts"], (name, raw["id"])
        for ex in raw["excerpts"]:
            text = corpus.sources[ex["source"]].text
            assert text[ex["start"] : ex["end"]] == ex["text"], (
                f"{name}: {raw['id']}: excerpt not at {ex['source']} {ex['start']}-{ex['end']}"
            )
    assert all(ex.verified for e in corpus.events for ex in e.excerpts)


def test_event_ids_are_unique_slugs(written):
    ids = Counter(raw["id"] for _name, raw in written)
    assert [i for i, n in ids.items() if n > 1] == [], "an id is used by more than one event"
    assert [i for i in ids if not re.fullmatch(SLUG, i)] == [], "ids are lower-case words joined by hyphens"


def test_every_event_has_a_known_place_and_a_valid_date(written, corpus):
    for name, raw in written:
        assert raw["place"] in corpus.places, (name, raw["id"], raw["place"])
        try:
            when = parse_when(raw["when"])
        except DateError as exc:
            raise AssertionError(f"{name}: {raw['id']}: {exc}") from None
        assert 1917 <= when.start.year <= when.end.year <= 1991, (name, raw["id"])


def test_titles_in_english_and_chinese(corpus):
    for e in corpus.events:
        assert e.title["en"].strip() and e.title["zh"].strip(), e.id
        assert any("\u4e00" <= c <= "\u9fff" for c in e.title["zh"]), f"{e.id}: zh title has no Chinese"


def test_chinese_excerpts_have_an_english_gloss(corpus):
    for e in corpus.events:
        for ex in e.excerpts:
            if corpus.sources[ex.source].language == "zh":
                assert ex.gloss.get("en"), f"{e.id}: Chinese excerpt without the project's English gloss"


def test_disputed_events_carry_each_claim(written):
    disputed = [(name, raw) for name, raw in written if raw.get("disputed")]
    assert disputed, "the sources disagree on the numbers who crossed: at least one disputed event"
    for name, raw in disputed:
        claims = [ex for ex in raw["excerpts"] if ex.get("claim")]
        assert len(claims) >= 2 and len({ex["source"] for ex in claims}) >= 2, (name, raw["id"])


def test_popular_only_claims_are_not_certain(corpus):
    for e in corpus.events:
        kinds = {corpus.sources[ex.source].kind for ex in e.excerpts if ex.source in corpus.sources}
        if kinds and kinds <= ESSAY_KINDS:  # read from the sources here, not from the support under test
            assert e.certainty != "certain", f"{e.id} rests only on a popular essay"


def test_span_covers_1917_to_1991(corpus):
    years = [y for e in corpus.events for y in (e.when.start.year, e.when.end.year)]
    assert min(years) <= 1924 and max(years) >= 1991


def test_places_of_the_brief_are_on_the_map(corpus):
    """Khorgos, Yining, Tacheng, Altay, Zhenbao and the Corps farms are on the map: the points that
    passages name carry events, the prefectures the passages speak of are areas, and the farms are
    places of their own (no passage names a farm, so no event stands on one)."""
    from render.mapbuild import place_labels

    used = {e.place for e in corpus.events}
    for place in ("khorgos", "yining", "zhenbao-island", "moscow", "beijing", "tacheng-prefecture",
                  "altay-prefecture", "xinjiang-soviet-border"):  # fmt: skip
        assert place in used, place
    labelled = {f["properties"].get("id") or f["properties"].get("place") for f in place_labels()["features"]}
    assert {"khorgos", "yining", "tacheng", "altay", "zhenbao-island"} <= labelled
    farms = [p.id for p in corpus.places.values() if p.kind == "farm"]
    assert farms and set(farms) <= labelled
    assert not [e.id for e in corpus.events if corpus.places[e.place].kind == "farm"]


def test_shipped_files_are_where_the_loader_looks():
    assert (SHIPPED / "sources.yaml").is_file() and list((SHIPPED / "events").glob("*.yaml"))


@pytest.mark.parametrize("region", ["ili", "tacheng", "altay"])
def test_yita_regions_have_events(corpus, region):
    assert any(region in e.regions for e in corpus.events)
