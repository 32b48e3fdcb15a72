"""Search finds events by any script or spelling of their words and places."""

import pytest

from events.search import SearchIndex, fold, pinyin, words


@pytest.fixture(scope="module")
def index(corpus):
    return SearchIndex(corpus.events, corpus.places)


def yining_events(corpus):
    return {e.id for e in corpus.events if e.place == "yining"}


@pytest.mark.parametrize("query", ["伊宁", "伊寧", "Yining", "gulja", "Кульджа", "yining", "GHULJA"])
def test_yining_in_every_script(index, corpus, query):
    found = index.ids(query)
    assert yining_events(corpus) <= found, query


def test_every_name_of_yining_finds_the_same_events(index):
    names = ["伊宁", "伊寧", "Yining", "Gulja", "Кульджа", "Ghulja", "yining", "GHULJA", "Yining (Gulja)"]
    found = {name: index.ids(name) for name in names}
    assert all(ids == found["Gulja"] for ids in found.values()), found
    assert len(found["Gulja"]) >= 5


def test_every_name_of_every_place_finds_the_same_events(index, corpus):
    """Over the whole gazetteer: each name that names one place only finds what each of its other names finds."""
    owners: dict[str, set[str]] = {}
    for p in corpus.places.values():
        for name in p.all_names():
            owners.setdefault(words(name), set()).add(p.id)
    checked = 0
    for p in corpus.places.values():
        names = [n for n in p.all_names() if owners[words(n)] == {p.id}]
        results = {n: index.ids(n) for n in names}
        assert len({frozenset(r) for r in results.values()}) <= 1, (p.id, results)
        checked += len(names) > 1
    assert checked > 30


def test_a_place_finds_its_events_and_the_local_areas_that_contain_it(index, corpus):
    found = index.ids("Gulja")
    at = {e.id for e in corpus.events if e.place in ("yining", "ili-tacheng-altay", "ili-prefecture")}
    assert at <= found
    # Not every event about Xinjiang or China: those areas are far larger than a town's surroundings.
    wide = {e.id for e in corpus.events if e.place in ("xinjiang", "china")}
    assert wide - found, "a search for a town found every event about its province"


@pytest.mark.parametrize("query", ["Ili", "伊犁"])
def test_an_area_finds_the_events_at_the_towns_in_it(index, corpus, query):
    """A teacher searching "Ili" means the riot in Yining and the crossings at Khorgos too, not only the events
    about the whole prefecture."""
    found = index.ids(query)
    at = {e.id for e in corpus.events if e.place in ("yining", "khorgos", "ili-prefecture")}
    assert {"yining-riot-1962", "khorgos-crossing-1962-04-22"} <= at <= found
    assert not {e.id for e in corpus.events if e.place in ("tacheng", "beijing", "moscow")} & found


def test_latin_words_match_whole_words_not_inside_others(index, corpus):
    # "military" holds "ili": the word Ili must not find an event that only says "military".
    military = index.ids("military")
    assert "afghanistan-1979" in military
    assert "afghanistan-1979" not in index.ids("Ili")
    assert index.ids("ini") == set()  # inside Yining, Lenin and pinyin syllables: no word of its own
    assert index.ids("Soviet") >= index.ids("Soviets")  # an English plural still matches


def test_pinyin_matches_whole_syllables(index):
    assert index.ids("yining") == index.ids("伊宁")
    assert index.ids("ning") - index.ids("宁") == set()


def test_pinyin_without_tones_finds_chinese_text(index):
    assert "zhou-enlai-instructs-corps-1962-04-23" in index.ids("zhouenlai")
    assert pinyin("伊宁") == "yining"


def test_traditional_and_simplified_fold_together():
    assert fold("伊寧 珍寶島") == fold("伊宁 珍宝岛")
    assert fold("Ürümqi") == "urumqi"


def test_all_words_must_match(index):
    assert index.ids("Khorgos 1963") < index.ids("Khorgos")


def test_no_match_is_empty(index):
    assert index.ids("zzzz-no-such-thing") == set()


@pytest.mark.parametrize(
    "years, regions, words",
    [(None, None, None), ((1962, 1962), None, None), ((1917, 1950), ["ili"], None), ((1950, 1991), [], "Khorgos"),
     ((1960, 1970), ["ili", "tacheng", "elsewhere"], "伊宁"), ((1800, 1900), None, None), (None, ["no-such"], None)],
)  # fmt: skip
def test_column_selection_chooses_what_the_plain_selection_chooses(corpus, years, regions, words):
    from events.query import select
    from events.search import SearchIndex

    ids = SearchIndex(corpus.events, corpus.places).ids(words) if words else None
    expected = select(corpus.events, years, regions, ids)
    assert corpus.columns.select(years, regions, ids) == expected
