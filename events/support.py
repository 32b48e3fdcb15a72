"""Support in these sources: which kinds of document attest an event, computed from its excerpts.

This replaces a typed "certainty". What a reader is told ("attested by an archival document and an
encyclopedia", "stated only in a popular essay") and the Linked Places Format `certainty` of the
exports both come from the excerpts and the kinds of their sources (sources.yaml `kind`), never from
a field an editor types. The one rule (`certainty_of`) is written once, here, and tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ESSAY_KINDS = frozenset({"popular-essay", "news-essay"})

# The reader's words for a kind of document, singular and plural, in both languages. Kinds a corpus
# adds without a name here are shown as "document" / "文献".
KIND_WORDS = {
    "archival-document": {"en": ("an archival document", "archival documents"), "zh": ("档案文献", "档案文献")},
    "encyclopedia": {"en": ("an encyclopedia", "encyclopedias"), "zh": ("百科条目", "百科条目")},
    "popular-essay": {"en": ("a popular essay", "popular essays"), "zh": ("通俗文章", "通俗文章")},
    "news-essay": {"en": ("a news essay", "news essays"), "zh": ("新闻评论文章", "新闻评论文章")},
}
_OTHER = {"en": ("a document", "documents"), "zh": ("文献", "文献")}
_NUMBERS_EN = {2: "two", 3: "three", 4: "four", 5: "five"}
_NUMBERS_ZH = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五"}

# A stable order for listing kinds: the strongest first.
_ORDER = ("archival-document", "encyclopedia", "news-essay", "popular-essay")


@dataclass(frozen=True)
class Support:
    """What the corpus's own documents say for (and against) one event.

    `supporting` and `contradicting` are {source id: source kind}; `disputed` is the event's flag:
    sources that make unlike claims about it; `unchecked` counts the excerpts quoted from works whose
    text the atlas does not have (a teacher's citation): they support nothing here.
    """

    supporting: tuple[tuple[str, str], ...]
    contradicting: tuple[tuple[str, str], ...] = ()
    disputed: bool = False
    unchecked: int = 0

    @property
    def sources(self) -> int:
        """How many distinct documents support it (each document counts once, however often quoted)."""
        return len(self.supporting)

    @property
    def essay_only(self) -> bool:
        """Whether every supporting document is an essay (popular or news)."""
        return bool(self.supporting) and all(kind in ESSAY_KINDS for _, kind in self.supporting)

    @property
    def certainty(self) -> str:
        """The Linked Places `certainty` this support gives (`certainty_of`)."""
        return certainty_of(self)

    @property
    def strong(self) -> bool:
        """Whether the support makes the event certain."""
        return self.certainty == "certain"

    def phrase(self, lang: str = "en") -> str:
        """The support in words a student reads correctly, e.g. 'attested by an archival document and
        an encyclopedia', 'stated only in a popular essay', '… ; contradicted by a popular essay'."""
        zh = lang == "zh"
        if self.disputed:
            head = (
                f"{_count_zh(self.sources)}份文献说法不一：{_kinds_zh(self.supporting)}"
                if zh
                else f"the sources disagree: {_count_en(self.sources)} documents ({_kinds_en(self.supporting)})"
            )
        elif not self.supporting and self.unchecked:
            head = (
                "未经核对：仅引自本语料以外的著作"
                if zh
                else "not checked: quoted only from a work whose text is not in these sources"
            )
        elif not self.supporting:
            head = "本语料中没有文献支持" if zh else "no document in these sources supports it"
        elif self.essay_only:
            head = f"仅见于{_kinds_zh(self.supporting)}" if zh else f"stated only in {_kinds_en(self.supporting)}"
        else:
            head = f"见于{_kinds_zh(self.supporting)}" if zh else f"attested by {_kinds_en(self.supporting)}"
        if self.contradicting:
            head += (
                f"；与{_kinds_zh(self.contradicting)}相抵触"
                if zh
                else f"; contradicted by {_kinds_en(self.contradicting)}"
            )
        return head


def certainty_of(support: Support) -> str:
    """The Linked Places Format certainty of an event, from its support in these sources.

    1. sources disagree about it, or any excerpt contradicts it: `uncertain`;
    2. an archival document supports it, or two or more distinct documents do and not all of them
       are essays: `certain`;
    3. at least one document that is not an essay supports it: `less-certain`;
    4. otherwise (essays only, or nothing): `uncertain`.

    It measures support in this corpus, not the historical record: a well-known event told here only
    by an essay is `uncertain`, and the panel says why (and a historians' note may say more).
    """
    if support.disputed or support.contradicting:
        return "uncertain"
    kinds = [kind for _, kind in support.supporting]
    if "archival-document" in kinds:
        return "certain"
    non_essay = [k for k in kinds if k not in ESSAY_KINDS]
    if len(kinds) >= 2 and non_essay:
        return "certain"
    if non_essay:
        return "less-certain"
    return "uncertain"


def support_of(excerpts: Iterable, kind_of: dict[str, str], disputed: bool = False) -> Support:
    """The support of an event from its excerpts (`.source`, `.role`) and each source's kind.

    An excerpt whose source is not in `kind_of` (an unknown source) supports nothing; nor does one not
    checked against its source's text (`verified` false: the text is not in these sources), which is
    counted as unchecked.
    """
    supporting: dict[str, str] = {}
    contradicting: dict[str, str] = {}
    unchecked = 0
    for ex in excerpts:
        if not getattr(ex, "verified", True):
            unchecked += 1
            continue
        kind = kind_of.get(ex.source)
        if kind is None:
            continue
        target = contradicting if getattr(ex, "role", "supports") == "contradicts" else supporting
        target.setdefault(ex.source, kind)
    return Support(_sorted(supporting), _sorted(contradicting), disputed, unchecked)


def _sorted(found: dict[str, str]) -> tuple[tuple[str, str], ...]:
    rank = {k: i for i, k in enumerate(_ORDER)}
    return tuple(sorted(found.items(), key=lambda item: (rank.get(item[1], len(_ORDER)), item[0])))


def _grouped(items: tuple[tuple[str, str], ...]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for _, kind in items:
        counts[kind] = counts.get(kind, 0) + 1
    return list(counts.items())


def _kinds_en(items: tuple[tuple[str, str], ...]) -> str:
    parts = []
    for kind, n in _grouped(items):
        one, many = KIND_WORDS.get(kind, _OTHER)["en"]
        if n == 1:
            parts.append(one)
        else:
            parts.append(f"{_NUMBERS_EN.get(n, n)} {many}")
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _kinds_zh(items: tuple[tuple[str, str], ...]) -> str:
    parts = []
    for kind, n in _grouped(items):
        word = KIND_WORDS.get(kind, _OTHER)["zh"][0]
        parts.append(f"{_count_zh(n)}篇{word}" if kind != "archival-document" else f"{_count_zh(n)}份{word}")
    return "和".join(parts) if len(parts) <= 2 else "、".join(parts[:-1]) + "和" + parts[-1]


def _count_en(n: int) -> str:
    return _NUMBERS_EN.get(n, str(n))


def _count_zh(n: int) -> str:
    return _NUMBERS_ZH.get(n, str(n))
