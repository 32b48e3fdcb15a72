"""The corpus documents are kept as received, and reading texts are derived from them faithfully."""

import hashlib

import pytest

from events.loader import SHIPPED, load_sources
from events.sources import wiki_markdown_reading

SHARED = SHIPPED.parent.parent.parent / "shared" / "sources"


@pytest.fixture(scope="module")
def sources():
    found, problems = load_sources(SHIPPED)
    assert problems == []
    return found


def test_five_documents_with_metadata(sources):
    assert len(sources) == 5
    for s in sources.values():
        assert s.available, s.id
        for field in ("title", "author", "language", "kind", "rights", "sha256"):
            assert getattr(s, field), f"{s.id}: {field} missing"
        assert s.url or s.archive_ref or s.date_note, f"{s.id}: no URL, archive reference or note on its origin"


def test_texts_are_byte_for_byte_as_received(sources):
    for s in sources.values():
        assert hashlib.sha256(s.path.read_bytes()).hexdigest() == s.sha256, s.id


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared folder is not beside this clone")
def test_texts_match_the_shared_originals(sources):
    for s in sources.values():
        assert (SHARED / s.path.name).read_bytes() == s.path.read_bytes(), s.id


def test_wiki_reading_keeps_words_and_drops_markup():
    raw = '**新疆**是[中国](https://x/y "wikilink")的\\[1\\]地区'
    text, origin = wiki_markdown_reading(raw)
    assert text == "新疆是中国的[1]地区"
    assert [raw[i] for i in origin] == list(text)


def test_reading_offsets_map_back_to_the_raw_file(sources):
    zh = sources["zhwiki-xinjiang-exodus"]
    assert "](" not in zh.text and "wikilink" not in zh.text
    passage = "伊寧苏联领事向伊犁、塔城、阿勒泰地区的哈萨克与其他突厥民族民众发放证件"
    [(start, end)] = zh.locate(passage)
    raw_start, raw_end = zh.raw_span(start, end)
    raw = zh.raw[raw_start:raw_end]
    assert raw.startswith("伊寧") and raw.endswith("发放证件") and "wikilink" in raw


def test_plain_sources_read_as_they_are(sources):
    s = sources["fm-circular-74"]
    assert s.text == s.raw
