"""The corpus documents are kept as received, and reading texts are derived from them faithfully."""

import hashlib

import pytest

from events.loader import SHIPPED, load_sources
from events.sources import wiki_markdown_reading

# The five documents as the project received them (shared/sources/, read on 2026-11-27): their SHA-256,
# recorded here apart from sources.yaml so that a text and its recorded digest cannot be changed together
# unseen, and so that a clean clone, with no shared/ beside it, checks them too. A new document received
# is added here with the digest of the file as received.
RECEIVED = {
    "000_b4e40609660dacf4.txt": "0ce5f5ad93e035d398ceba6f3fc552d5a120d88a5d4fca5854bc8b9eedf75db4",
    "001_b6f3b565c297197c.txt": "b542865dcb48f79b7d0fbb334026556334b60c2b58541197ac966f83cdd63279",
    "002_eb8ad162ed7883e5.txt": "8fb4d028090306536c88949907272f64f072128c182c7d7c0a0c5459e5a0b93e",
    "003_c4fca34ebc1c8dce.txt": "ce6ed4d081b8ca626152b23560819350dc7b5352fba5fb429bf417b31586f11c",
    "004_6bed0b64b860ade8.txt": "4f5c7a37568ad5b509fb0e849e87b7ee715e5a5a2b0fc7217d57fd7e9a113bac",
}


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


def test_texts_are_the_documents_as_received(sources):
    """Each shipped text, and the digest sources.yaml records for it, is the document as received."""
    assert {s.path.name: s.sha256 for s in sources.values()} == RECEIVED
    assert {p.name for p in (SHIPPED / "sources").iterdir()} == set(RECEIVED)
    for s in sources.values():
        assert hashlib.sha256(s.path.read_bytes()).hexdigest() == RECEIVED[s.path.name], s.id


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
