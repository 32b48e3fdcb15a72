"""Interface translation from gettext catalogs (i18n/locales/<lang>/LC_MESSAGES/messages.po)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"
LANGS = ("en", "zh")
DEFAULT = "en"
LANG_NAMES = {"en": "English", "zh": "中文"}


@lru_cache(maxsize=len(LANGS))
def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for `lang` (English is the source language: empty)."""
    path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not path.is_file():
        return {}
    with open(path, "rb") as f:
        po = read_po(f, locale=lang)
    return {m.id: m.string for m in po if m.id and m.string and not m.fuzzy}


def normalize(lang: object) -> str:
    return lang if lang in LANGS else DEFAULT


def translator(lang: str) -> Callable[..., str]:
    """A `_` function for `lang`: `_("Years")`, `_("{n} events", n=3)`."""
    messages = catalog(normalize(lang))

    def _(msgid: str, **values: object) -> str:
        text = messages.get(msgid, msgid)
        return text.format(**values) if values else text

    return _
