"""Interface translation from gettext catalogs (i18n/locales/<lang>/LC_MESSAGES/messages.po)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

LOCALES = Path(__file__).parent / "locales"
LANGS = ("en", "zh")


def N_(message: str) -> str:
    """Mark a message for the catalogs without translating it here (babel extracts `N_` calls)."""
    return message


# Messages that data chooses (a certainty, a kind of document, a problem's severity): listed here so
# that `pybabel extract` keeps them in the catalogs; they are translated where they are shown.
DATA_MESSAGES = (
    N_("certain"), N_("less-certain"), N_("uncertain"),
    N_("archival-document"), N_("encyclopedia"), N_("news-essay"), N_("popular-essay"),
    N_("error"), N_("unverified"), N_("warning"),
)  # fmt: skip
DEFAULT = "en"
LANG_NAMES = {"en": "English", "zh": "中文"}


def _path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=len(LANGS))
def _load(lang: str) -> tuple[dict[str, str], tuple]:
    """(msgid -> translation, problems) for `lang`; a missing or corrupt catalog gives English and a
    problem (path, line, message), never an exception."""
    path = _path(lang)
    if lang == DEFAULT:
        return {}, ()
    try:
        with open(path, "rb") as f:
            po = read_po(f, locale=lang, abort_invalid=True)
    except OSError as exc:
        return {}, ((path, None, f"cannot read the translations ({exc.strerror or exc}); the interface is in English"),)
    except UnicodeDecodeError as exc:
        return {}, ((path, None, f"not UTF-8 text (byte {exc.start}); the interface is in English"),)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        return {}, ((path, line, f"not a valid gettext catalog ({exc}); the interface is in English"),)
    return {m.id: m.string for m in po if m.id and isinstance(m.string, str) and m.string and not m.fuzzy}, ()


def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for `lang` (English is the source language: empty)."""
    return _load(lang)[0]


def catalog_problems() -> list[tuple]:
    """(path, line, message) for each catalog that cannot be read."""
    return [problem for lang in LANGS for problem in _load(lang)[1]]


def normalize(lang: object) -> str:
    return lang if lang in LANGS else DEFAULT


def translator(lang: str) -> Callable[..., str]:
    """A `_` function for `lang`: `_("Years")`, `_("{n} events", n=3)`."""
    messages = catalog(normalize(lang))

    def _(msgid: str, **values: object) -> str:
        text = messages.get(msgid, msgid)
        return text.format(**values) if values else text

    return _
