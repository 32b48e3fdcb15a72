"""The interface is in English and Simplified Chinese: every message in the code has a translation."""

import ast
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from events.categories import CATEGORIES
from i18n import LANGS, catalog, translator

ROOT = Path(__file__).resolve().parent.parent
METHOD_MAP = [
    ("app.py", "python"),
    ("views/**.py", "python"),
    ("ui/**.py", "python"),
    ("datafiles/**.py", "python"),
    ("events/**.py", "python"),
    ("geo/**.py", "python"),
    ("render/**.py", "python"),
]


def messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords={"_": None, "N_": None}, comment_tags=(), strip_comment_tags=True
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_code_has_messages():
    assert {"Years", "Map", "Sources disagree"} <= messages()


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_every_message_is_translated(lang):
    missing = sorted(messages() - catalog(lang).keys())
    assert not missing, f"untranslated in i18n/locales/{lang}: {missing}"


def test_data_driven_messages_are_translated(corpus):
    """Messages chosen by data (certainty levels, kinds of document) are not seen by extraction."""
    _ = translator("zh")
    for message in ("certain", "less-certain", "uncertain", *{s.kind for s in corpus.sources.values()}):
        assert _(message) != message, message


def test_placeholders_survive_translation():
    _ = translator("zh")
    assert _("Years: {n} of {total} events shown", n=3, total=9) == "年份：显示 3 / 9 个事件"


def test_category_names_in_both_languages():
    """Every category has a name in English and one in Chinese (tests/test_layers.py checks the table
    against the schema's enum, ids and order)."""
    for category in CATEGORIES:
        assert category.name["en"].strip() and any("\u4e00" <= c <= "\u9fff" for c in category.name["zh"]), category.id


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_no_message_is_translated_twice(lang):
    """A catalog that names a message twice keeps one translation silently (gettext takes one of them):
    two branches that each translated it, merged, must choose."""
    lines = (ROOT / "i18n" / "locales" / lang / "LC_MESSAGES" / "messages.po").read_text("utf-8").splitlines()
    ids, k = [], 0
    while k < len(lines):
        if lines[k].startswith("msgid "):
            parts = [ast.literal_eval(lines[k][6:])]
            while k + 1 < len(lines) and lines[k + 1].startswith('"'):
                k += 1
                parts.append(ast.literal_eval(lines[k]))
            ids.append("".join(parts))
        k += 1
    twice = sorted(m for m, n in Counter(ids).items() if n > 1 and m)
    assert not twice, twice


def test_the_chinese_interface_never_calls_the_corpus_primary_sources():
    """原始文献 means primary sources: of the corpus's five documents one is archival, the others are
    encyclopedia articles and essays. The English says "the sources"; so must the Chinese (来源文献)."""
    assert not [m for m, t in catalog("zh").items() if "原始文献" in t]
