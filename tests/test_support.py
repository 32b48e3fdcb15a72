"""Support in these sources is computed from the excerpts, and certainty follows from it by one rule."""

from itertools import combinations_with_replacement
from types import SimpleNamespace

import pytest

from events.support import ESSAY_KINDS, Support, certainty_of, support_of

KINDS = ("archival-document", "encyclopedia", "popular-essay", "news-essay")


def support(*kinds, contradicting=(), disputed=False):
    return Support(
        tuple((f"s{i}", k) for i, k in enumerate(kinds)),
        tuple((f"c{i}", k) for i, k in enumerate(contradicting)),
        disputed,
    )


@pytest.mark.parametrize(
    "kinds, expected",
    [
        (("archival-document",), "certain"),
        (("encyclopedia", "encyclopedia"), "certain"),
        (("encyclopedia", "popular-essay"), "certain"),
        (("encyclopedia",), "less-certain"),
        (("popular-essay",), "uncertain"),
        (("popular-essay", "news-essay"), "uncertain"),
        ((), "uncertain"),
    ],
)
def test_the_rule(kinds, expected):
    assert certainty_of(support(*kinds)) == expected


@pytest.mark.parametrize("n", [1, 2, 3])
def test_essays_alone_are_never_strong_however_many(n):
    """Every combination of essay kinds, up to three documents: never 'certain', and the words say 'only'."""
    for kinds in combinations_with_replacement(sorted(ESSAY_KINDS), n):
        s = support(*kinds)
        assert s.essay_only and not s.strong and s.certainty == "uncertain"
        assert s.phrase("en").startswith("stated only in") and s.phrase("zh").startswith("仅见于")


@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_contradiction_or_a_dispute_is_never_certain(n):
    for kinds in combinations_with_replacement(KINDS, n):
        assert certainty_of(support(*kinds, contradicting=("encyclopedia",))) == "uncertain"
        assert certainty_of(support(*kinds, disputed=True)) == "uncertain"


def test_words_a_student_reads_correctly():
    assert (
        support("archival-document", "encyclopedia").phrase() == "attested by an archival document and an encyclopedia"
    )
    assert support("popular-essay").phrase() == "stated only in a popular essay"
    assert support("encyclopedia", "encyclopedia").phrase() == "attested by two encyclopedias"
    assert (
        support("encyclopedia", contradicting=("popular-essay",)).phrase()
        == "attested by an encyclopedia; contradicted by a popular essay"
    )
    assert support("archival-document", "encyclopedia").phrase("zh") == "见于一份档案文献和一篇百科条目"
    assert support("popular-essay").phrase("zh") == "仅见于一篇通俗文章"


def test_support_counts_each_document_once_and_skips_unknown_sources():
    excerpts = [
        SimpleNamespace(source="a", role="supports"),
        SimpleNamespace(source="a", role="supports"),
        SimpleNamespace(source="b", role="contradicts"),
        SimpleNamespace(source="nowhere", role="supports"),
    ]
    s = support_of(excerpts, {"a": "encyclopedia", "b": "popular-essay"})
    assert s.sources == 1 and s.supporting == (("a", "encyclopedia"),)
    assert s.contradicting == (("b", "popular-essay"),)
    assert s.certainty == "uncertain"


def test_an_excerpt_not_checked_against_its_text_supports_nothing_and_is_said():
    excerpts = [SimpleNamespace(source="cited", role="supports", verified=False)]
    s = support_of(excerpts, {"cited": "citation"})
    assert s.supporting == () and s.unchecked == 1 and s.certainty == "uncertain"
    assert s.phrase() == "not checked: quoted only from a work whose text is not in these sources"
    assert s.phrase("zh") == "未经核对：仅引自本语料以外的著作"
    checked = [SimpleNamespace(source="a", role="supports", verified=True), *excerpts]
    assert support_of(checked, {"a": "encyclopedia", "cited": "citation"}).phrase() == "attested by an encyclopedia"


def test_shipped_events_carry_the_computed_support(corpus):
    """No certainty is typed: each event's is the rule applied to its own excerpts' sources."""
    kind_of = {sid: s.kind for sid, s in corpus.sources.items()}
    for e in corpus.events:
        expected = support_of(e.excerpts, kind_of, e.disputed)
        assert e.support == expected, e.id
        assert e.certainty == certainty_of(expected), e.id
        if expected.essay_only:
            assert e.certainty != "certain", e.id
