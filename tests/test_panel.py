"""The event panel shows what the sources say apart from what the atlas adds in its own voice."""

import re

import pytest

from i18n import translator
from render.citations import locator
from render.html import esc
from render.panel import event_panel


def panel(corpus, event_id, lang="en"):
    e = corpus.event(event_id)
    assert e is not None, event_id
    return e, event_panel(e, corpus.sources, e.place, "-", lang, translator(lang), corpus.bibliography)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_panel_shows_its_support_and_labels_every_note(corpus, lang):
    _ = translator(lang)
    for e in corpus.events:
        _e, html = panel(corpus, e.id, lang)
        assert _("Support in these sources:") in html, e.id
        assert esc(e.support.phrase(lang)) in html, e.id
        if e.notes:
            # the note comes after every excerpt, under its label, with each reference cited by author and year
            assert html.rindex("atlas-excerpt") < html.index("atlas-notes"), e.id
            assert esc(_("Historians' note: the atlas's own words, not the sources'")) in html, e.id
            for note in e.notes:
                ref = corpus.bibliography[note.ref]
                assert str(ref.year) in html and esc(locator(note.pages, lang)) in html, (e.id, note.ref)
        else:
            assert "atlas-notes" not in html, e.id


def test_essay_only_support_is_never_shown_as_strong(corpus):
    essay_only = [e for e in corpus.events if e.support.essay_only]
    assert essay_only, "the corpus has events told only by an essay"
    for e in essay_only:
        _e, html = panel(corpus, e.id)
        assert "stated only in" in html and "atlas-support-weak" in html, e.id
        assert e.certainty == "uncertain", e.id


def test_a_date_from_a_reference_says_so(corpus):
    dated = [e for e in corpus.events if any(n.kind == "date" for n in e.notes)]
    assert dated
    for e in dated:
        _e, html = panel(corpus, e.id)
        assert re.search(r"Date from [^<]+ \d{4}[^<]*, not in the sources\.", html), e.id
        # and beside the date itself, where a reader takes it in (the note comes after the sources)
        meta = re.search(r'<p class="atlas-meta">(.*?)</p>', html).group(1)
        assert "(date from the historians&#x27; note)" in meta or "(date from the historians' note)" in meta, e.id
    undated = next(e for e in corpus.events if not any(n.kind == "date" for n in e.notes))
    assert "atlas-date-note" not in panel(corpus, undated.id)[1]


def test_a_city_standing_for_a_government_says_so(corpus):
    governments = [e for e in corpus.events if e.stands_for == "government"]
    assert governments, "the corpus has events placed at a capital for its government"
    for e in governments:
        _e, html = panel(corpus, e.id)
        assert "stands here for the government seated there" in html, e.id


def test_a_party_label_is_quoted_and_attributed_in_the_riot_title(corpus):
    e = corpus.event("yining-riot-1962")
    assert "counter-revolutionary" in e.title["en"] and "Beijing called" in e.title["en"]
    assert "反革命" in e.title["zh"] and "称之为" in e.title["zh"]
