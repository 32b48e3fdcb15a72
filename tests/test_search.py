"""Search finds events by any script or spelling of their words and places."""

import pytest

from events.search import SearchIndex, fold, pinyin


@pytest.fixture(scope="module")
def index(corpus):
    return SearchIndex(corpus.events, corpus.places)


def yining_events(corpus):
    return {e.id for e in corpus.events if e.place == "yining"}


@pytest.mark.parametrize("query", ["伊宁", "伊寧", "Yining", "gulja", "Кульджа", "yining", "GHULJA"])
def test_yining_in_every_script(index, corpus, query):
    found = index.ids(query)
    assert yining_events(corpus) <= found, query


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
