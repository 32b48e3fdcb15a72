"""Citations as plain text: a whole document (Chicago note style), its date as a reader writes it, one
excerpt's locator, a historians' note's reference, and the link that opens the sources page at an excerpt.

In Chinese the labels and punctuation around a citation are Chinese (the metadata from the corpus's `_zh`
fields); the document's own title stays in its own language, as a citation gives it."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from datafiles.dates import DateError, parse_when
from events.bibliography import Reference
from events.model import Excerpt
from events.sheet import locator as found_at
from events.sources import Source

# The comma and the full stop between a citation's parts, by language.
_PUNCTUATION = {"zh": ("，", "。")}


def _marks(lang: str) -> tuple[str, str]:
    return _PUNCTUATION.get(lang, (", ", "."))


def citation(source: Source, lang: str = "en") -> str:
    """A note-style (Chicago) citation of a whole document, as plain text."""
    comma, stop = _marks(lang)
    rest = []
    if source.publisher and not source.publisher.startswith("Not stated"):
        rest.append(source.described("publisher", lang))
    if source.date:
        rest.append(source_date(source, lang))
    rest += [x for x in (source.described("archive_ref", lang), source.url) if x]
    author = source.described("author", lang)
    head = f"{author}{comma}" if author else ""
    if lang in _PUNCTUATION:  # the title's quotation marks close before the punctuation
        return f"{head}\u201c{source.title}\u201d{''.join(comma + x for x in rest)}{stop}"
    if not rest:
        return f"{head}\u201c{source.title}.\u201d"
    return f"{head}\u201c{source.title},\u201d {', '.join(rest)}."


def source_date(source: Source, lang: str = "en") -> str:
    """The document's date as a reader writes it ('c. 2021'), never as EDTF ('2021~')."""
    try:
        return parse_when(source.date).label(lang)
    except DateError:
        return str(source.date)


def excerpt_citation(source: Source | None, ex: Excerpt, lang: str, _) -> str:
    """One excerpt's citation: its document's, with the characters it stands at."""
    comma, stop = _marks(lang)
    # A teacher's sheet: where its quote was found ("found in my-letter.txt, paragraph 3"), or that it could not
    # be checked (its offsets then say nothing of a text: none was given).
    if ex.paragraph is not None:
        return found_at(ex, source, lang)
    if ex.unchecked:
        return f"{source.title if source else ex.source}{comma}{found_at(ex, source, lang)}"
    where = _("characters {start}–{end}", start=ex.start, end=ex.end)
    if source is None:
        return f"{ex.source}{comma}{where}"
    return f"{citation(source, lang).rstrip(stop)}{comma}{where}{stop}"


# A note's `pages` as the event files write them (in English), and how a Chinese reader writes each form.
_LOCATORS_ZH = (
    (re.compile(r"^(\d[\d–-]*)$"), "第{0}页"),
    (re.compile(r"^ch\. (\d+) \(pp\. ([\d–-]+)\)$"), "第{0}章（第{1}页）"),
    (re.compile(r"^chs (\d+) and (\d+)$"), "第{0}、{1}章"),
    (re.compile(r"^ch\. (\d+)$"), "第{0}章"),
    (re.compile(r"^doc\. (\d+)$"), "第{0}号文件"),
    (re.compile(r"^arts? ([\d–-]+)$"), "第{0}条"),
    (re.compile(r"^Record ID (\d+)$"), "档案编号 {0}"),
    (re.compile(r"^s\.v\. (.+)$"), "见词条 {0}"),
)


def locator(pages: str, lang: str) -> str:
    """Where in a reference a note's words stand ('pp. 23–25', 'ch. 3'), written for a reader of `lang`;
    an unknown form is kept as written."""
    if lang != "zh":
        return pages
    for pattern, form in _LOCATORS_ZH:
        m = pattern.match(pages)
        if m:
            return form.format(*m.groups())
    return pages


def note_citation(reference: Reference | None, ref_id: str, pages: str, lang: str) -> str:
    """A historians' note's reference: '(Garver 2016, pp. 23–25)' as 'Garver 2016, pp. 23–25', in Chinese
    'Garver 2016，第23–25页' (the author's name as the reference spells it)."""
    comma, _stop = _marks(lang)
    if reference is None:
        return f"{ref_id}{comma}{locator(pages, lang)}" if pages else ref_id
    if lang == "en":
        return reference.short(pages)
    return f"{reference.short()}{comma}{locator(pages, lang)}" if pages else reference.short()


def context_link(ex: Excerpt) -> str:
    """The sources page, opened at this excerpt."""
    return "sources?" + urlencode({"source": ex.source, "start": ex.start, "end": ex.end}) + f"#x-{ex.start}"
