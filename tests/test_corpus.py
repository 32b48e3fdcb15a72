"""Data integrity of the shipped corpus: every rule a curator must keep is a test here."""

from collections import Counter

import pytest

from datafiles.dates import parse_when
from events.loader import SHIPPED
from events.support import only_popular

MIN_EVENTS = 45


def test_shipped_corpus_has_no_problems(corpus):
    assert [str(p) for p in corpus.problems] == []


def test_enough_events_from_every_document(corpus):
    assert len(corpus.events) >= MIN_EVENTS
    cited = Counter(src for e in corpus.events for src in {ex.source for ex in e.excerpts})
    for source in corpus.sources:
        assert cited[source] >= 3, f"{source} is cited by only {cited[source]} event(s)"


def test_every_excerpt_stands_verbatim_at_its_locator(corpus):
    for e in corpus.events:
        assert e.excerpts, e.id
        for ex in e.excerpts:
            text = corpus.sources[ex.source].text
            assert text[ex.start : ex.end] == ex.text, f"{e.id}: excerpt not at {ex.source} {ex.start}-{ex.end}"
            assert ex.verified


def test_event_ids_are_unique_slugs(corpus):
    ids = [e.id for e in corpus.events]
    assert len(ids) == len(set(ids))


def test_every_event_has_a_known_place_and_a_valid_date(corpus):
    for e in corpus.events:
        assert e.place in corpus.places, e.id
        assert parse_when(e.when.edtf) == e.when
        assert 1917 <= e.when.start.year <= e.when.end.year <= 1991, e.id


def test_titles_in_english_and_chinese(corpus):
    for e in corpus.events:
        assert e.title["en"].strip() and e.title["zh"].strip(), e.id
        assert any("\u4e00" <= c <= "\u9fff" for c in e.title["zh"]), f"{e.id}: zh title has no Chinese"


def test_chinese_excerpts_have_an_english_gloss(corpus):
    for e in corpus.events:
        for ex in e.excerpts:
            if corpus.sources[ex.source].language == "zh":
                assert ex.gloss.get("en"), f"{e.id}: Chinese excerpt without the project's English gloss"


def test_disputed_events_carry_each_claim(corpus):
    disputed = [e for e in corpus.events if e.disputed]
    assert disputed, "the sources disagree on the numbers who crossed: at least one disputed event"
    for e in disputed:
        claims = [ex for ex in e.excerpts if ex.claim]
        assert len(claims) >= 2 and len({ex.source for ex in claims}) >= 2, e.id


def test_popular_only_claims_are_not_certain(corpus):
    for e in corpus.events:
        if only_popular(e, corpus.sources):
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
