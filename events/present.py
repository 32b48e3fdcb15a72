"""What a reader sees of an event: the panel beside the map, with excerpts and citations."""

from __future__ import annotations

from urllib.parse import urlencode

from datafiles.dates import DateError, parse_when
from events.html import Raw, esc, join, tag
from events.model import Event, Excerpt
from events.sources import Source

POPULAR_KINDS = {"popular-essay", "news-essay"}

CATEGORY_NAMES = {
    "flight": {"en": "Flight across the border", "zh": "边民外逃"},
    "diplomacy": {"en": "Diplomacy", "zh": "外交"},
    "conflict": {"en": "Armed conflict", "zh": "武装冲突"},
    "politics": {"en": "Politics and ideology", "zh": "政治与意识形态"},
    "corps": {"en": "Production and Construction Corps", "zh": "生产建设兵团"},
    "treaty": {"en": "Treaties and agreements", "zh": "条约与协定"},
    "uprising": {"en": "Uprisings and unrest", "zh": "起义与动乱"},
}


def citation(source: Source, lang: str = "en") -> str:
    """A note-style (Chicago) citation of a whole document, as plain text."""
    rest = []
    if source.publisher and not source.publisher.startswith("Not stated"):
        rest.append(source.publisher)
    if source.date:
        rest.append(source_date(source, lang))
    rest += [x for x in (source.archive_ref, source.url) if x]
    head = f"{source.author}, " if source.author else ""
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
    where = _("characters {start}–{end}", start=ex.start, end=ex.end)
    if source is None:
        return f"{ex.source}, {where}"
    return f"{citation(source, lang).rstrip('.')}, {where}."


def context_link(ex: Excerpt) -> str:
    """The sources page, opened at this excerpt."""
    return "sources?" + urlencode({"source": ex.source, "start": ex.start, "end": ex.end}) + f"#x-{ex.start}"


def only_popular(event: Event, sources: dict[str, Source]) -> bool:
    """Whether every document that supports the event is an essay (a popular or news essay)."""
    if event.support is not None:
        return event.support.essay_only
    kinds = {sources[ex.source].kind for ex in event.excerpts if ex.source in sources}
    return bool(kinds) and kinds <= POPULAR_KINDS


NOTE_KIND_NAMES = {
    "correction": {"en": "The sources are wrong here", "zh": "此处原始文献有误"},
    "date": {"en": "Date", "zh": "日期"},
    "place": {"en": "Where it is drawn", "zh": "地图位置"},
    "context": {"en": "Context", "zh": "背景"},
}


def notes_html(event: Event, bibliography: dict, lang: str, _) -> Raw | str:
    """The historians' note: the atlas's own voice, labelled as such and set apart from the sources,
    each paragraph with its reference (author, year, pages) and the full entry on hover."""
    if not event.notes:
        return ""
    items = []
    for note in event.notes:
        ref = bibliography.get(note.ref)
        cite = ref.short(note.pages) if ref else f"{note.ref}, {note.pages}"
        if note.kind == "date":
            lead = _("Date from {reference}, not in the sources.", reference=cite)
        else:
            lead = NOTE_KIND_NAMES[note.kind].get(lang, note.kind) + ":"
        text = note.text.get(lang) or note.text.get("en", "")
        items.append(
            tag(
                "p",
                join(
                    tag("span", lead, class_="atlas-note-kind"),
                    " ",
                    esc(text),
                    " ",
                    tag("cite", f"({cite})", title=ref.full() if ref else None, class_="atlas-note-ref"),
                ),
                class_="atlas-note",
            )
        )
    head = tag("p", _("Historians' note: the atlas's own words, not the sources'"), class_="atlas-notes-head")
    return tag("aside", join(head, *items), class_="atlas-notes", role="note", lang=lang)


def _excerpt(ex: Excerpt, sources: dict[str, Source], lang: str, _) -> Raw:
    source = sources.get(ex.source)
    src_lang = source.language if source else None
    parts = []
    if ex.role == "contradicts":
        parts.append(tag("p", _("This passage contradicts the event as titled:"), class_="atlas-contra"))
    parts.append(tag("blockquote", ex.text, lang=src_lang, class_="atlas-excerpt"))
    gloss = ex.gloss.get(lang)
    if gloss and src_lang != lang:
        parts.append(
            tag(
                "p",
                join(tag("span", _("Project translation:"), class_="atlas-gloss-label"), " ", esc(gloss)),
                class_="atlas-gloss",
                lang=lang,
            )
        )
    cite = [esc(excerpt_citation(source, ex, lang, _))]
    if not ex.verified:
        cite.append(" " + tag("span", _("unverified: source text not available"), class_="atlas-badge atlas-warn"))
    elif source is not None and source.available:
        cite.append(" " + tag("a", _("Read in context"), href=context_link(ex), target="_self"))
    parts.append(tag("p", join(*cite), class_="atlas-cite"))
    return join(*parts)


def event_panel(
    event: Event,
    sources: dict[str, Source],
    place_label: str,
    region_label: str,
    lang: str,
    _,
    bibliography: dict | None = None,
) -> str:
    """The panel's HTML. Every data string passes through `esc` (via `tag`).

    What the sources say (the excerpts, with the support they give) is shown apart from what the atlas
    adds in its own voice (the historians' note, labelled, after the sources).
    """
    other = "zh" if lang == "en" else "en"
    head = [
        tag("h3", event.label(lang), class_="atlas-title", lang=lang),
        tag("p", event.title.get(other, ""), class_="atlas-subtitle", lang=other),
        tag(
            "p",
            join(
                tag("span", event.when.label(lang), class_="atlas-date"),
                " · ",
                tag("span", place_label, class_="atlas-place"),
                " · ",
                tag("span", region_label, class_="atlas-region"),
            ),
            class_="atlas-meta",
        ),
    ]
    if event.area:
        head.append(
            tag("p", _("Drawn as an area: the passages speak of a region, not of one place."), class_="atlas-where")
        )
    if event.stands_for == "government":
        head.append(
            tag(
                "p",
                _(
                    "{place} stands here for the government seated there; the passages do not name the city.",
                    place=place_label,
                ),
                class_="atlas-where",
            )
        )
    badges = [tag("span", CATEGORY_NAMES.get(event.category, {}).get(lang, event.category), class_="atlas-badge")]
    if event.disputed:
        badges.append(tag("span", _("Sources disagree"), class_="atlas-badge atlas-disputed"))
    if event.origin == "user":
        badges.append(tag("span", _("Your event"), class_="atlas-badge atlas-user"))
    head.append(tag("p", join(*badges), class_="atlas-badges"))
    if event.support is not None:
        weak = "" if event.support.strong else " atlas-support-weak"
        head.append(
            tag(
                "p",
                join(
                    tag("span", _("Support in these sources:"), class_="atlas-support-label"),
                    " ",
                    esc(event.support.phrase(lang)),
                ),
                class_="atlas-support" + weak,
            )
        )
    if event.summary and event.summary.get(lang):
        head.append(tag("p", event.summary[lang], class_="atlas-summary"))

    if event.disputed:
        columns = []
        for ex in event.excerpts:
            source = sources.get(ex.source)
            who = source.display_title(lang) if source else ex.source
            claim = (ex.claim or {}).get(lang, "")
            columns.append(
                tag(
                    "div",
                    join(
                        tag("p", who, class_="atlas-claim-source"),
                        tag("p", claim, class_="atlas-claim"),
                        _excerpt(ex, sources, lang, _),
                    ),
                    class_="atlas-claim-col",
                )
            )
        body = tag("div", join(*columns), class_="atlas-claims")
    else:
        body = join(*(_excerpt(ex, sources, lang, _) for ex in event.excerpts))
    notes = notes_html(event, bibliography or {}, lang, _)
    return tag("div", join(*head, body, notes), class_="atlas-panel", data_event=event.id)


PANEL_CSS = """
<style>
.atlas-panel{font-size:1.02rem;line-height:1.5}
.atlas-title{margin:0 0 .1rem 0;font-size:1.45rem}
.atlas-subtitle{margin:0;color:#555}
.atlas-meta{margin:.3rem 0;color:#333;font-weight:600}
.atlas-badges{margin:.3rem 0 .6rem 0}
.atlas-badge{display:inline-block;border-radius:.7rem;padding:.05rem .6rem;margin:0 .3rem .3rem 0;background:#e8eef5;color:#1d3d5c;font-size:.85rem}
.atlas-disputed{background:#fde2c7;color:#7a3a00;font-weight:700}
.atlas-warn{background:#fff1b8;color:#6b5200}
.atlas-user{background:#dff3e4;color:#145a32}
.atlas-excerpt{border-left:4px solid #b03a2e;margin:.6rem 0 .3rem 0;padding:.2rem .8rem;background:#faf7f2;font-family:Georgia,'Noto Serif CJK SC',serif}
.atlas-gloss{margin:.2rem 0 .2rem .9rem;color:#333;font-size:.95rem}
.atlas-gloss-label{font-weight:700;color:#555}
.atlas-cite{margin:.1rem 0 .8rem .9rem;color:#555;font-size:.85rem;overflow-wrap:anywhere}
.atlas-claims{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.8rem}
.atlas-claim-col{border:1px solid #e0c9a6;border-radius:.4rem;padding:.4rem .6rem;background:#fffaf2}
.atlas-claim-source{font-weight:700;margin:0}
.atlas-claim{margin:.2rem 0;font-size:1.05rem}
.atlas-support{margin:.2rem 0 .5rem 0;padding:.2rem .6rem;border-left:4px solid #2c6fbb;background:#eef4fb;color:#1d3d5c}
.atlas-support-weak{border-left-color:#b9770e;background:#fff6e0;color:#5a3d00}
.atlas-support-label{font-weight:700}
.atlas-where{margin:.2rem 0;color:#444;font-style:italic}
.atlas-contra{margin:.6rem 0 0 0;font-weight:700;color:#7a3a00}
.atlas-notes{margin:1rem 0 .5rem 0;padding:.5rem .8rem;border:2px dashed #5d6d7e;border-radius:.4rem;background:#f4f6f8;
font-family:'Noto Sans','Noto Sans CJK SC',sans-serif}
.atlas-notes-head{margin:0 0 .3rem 0;font-weight:800;color:#2e4053;text-transform:uppercase;letter-spacing:.04em;font-size:.85rem}
.atlas-note{margin:.3rem 0;color:#222}
.atlas-note-kind{font-weight:700}
.atlas-note-ref{color:#555;font-style:normal;font-size:.9rem}
</style>
"""


def document_html(source: Source, marks: list[tuple[int, int, str, str]], focus: int | None, lang: str, _) -> str:
    """A document's reading text with each excerpt highlighted and linked to its event.

    `marks` are (start, end, event id, event title). Overlapping excerpts are drawn as one
    highlight that links to the first event. The page scrolls to the excerpt at `focus`.
    """
    text = source.text
    parts, pos = [], 0
    for start, end, event_id, title in sorted(marks):
        if start < pos:  # overlaps the previous highlight
            continue
        parts.append(esc(text[pos:start]))
        parts.append(
            tag(
                "mark",
                join(tag("a", text[start:end], href=f"/?event={event_id}&lang={lang}", target="_top", title=title)),
                id=f"x-{start}",
                class_="focus" if start == focus else None,
            )
        )
        pos = end
    parts.append(esc(text[pos:]))
    scroll = (
        f"<script>const el=document.getElementById('x-{int(focus)}');if(el){{el.scrollIntoView({{block:'center'}});}}</script>"
        if focus is not None
        else ""
    )
    return (
        "<style>body{margin:0;font:17px/1.65 Georgia,'Noto Serif CJK SC',serif;color:#222}"
        ".doc{white-space:pre-wrap;padding:0 1rem 2rem 0}mark{background:#fde9a9;padding:0 .1em}"
        "mark.focus{background:#f7b267;outline:3px solid #b03a2e}mark a{color:inherit;text-decoration:none}"
        "mark a:hover{text-decoration:underline}</style>"
        + tag("div", join(*parts), class_="doc", lang=source.language)
        + scroll
    )


def legend_html(lang: str, _, flows: bool) -> str:
    """The map's key: category colours, and the flows with their caveat."""
    from geo.eventfile import CATEGORY_COLOURS

    items = [
        tag(
            "span",
            join(
                tag("span", "", class_="atlas-swatch", style=f"background:{colour}"),
                " ",
                esc(CATEGORY_NAMES[cat][lang]),
            ),
            class_="atlas-key",
        )  # fmt: skip
        for cat, colour in CATEGORY_COLOURS.items()
    ]
    items.append(
        tag(
            "span",
            join(
                tag("span", "", class_="atlas-diamond"),
                " ",
                esc(_("An event about a whole region: the shaded area is what its passages speak of")),
            ),
            class_="atlas-key atlas-flows-key",
        )
    )
    if flows:
        items.append(
            tag(
                "span",
                join(
                    tag("span", "", class_="atlas-arrow"),
                    " ",
                    esc(
                        _(
                            "The 1962 flight: equal widths, for the sources give only a total (60,000-plus or 67,000-plus, disputed). Click an arrow for its sources."
                        )
                    ),
                ),
                class_="atlas-key atlas-flows-key",
            )  # fmt: skip
        )
    return (
        "<style>.atlas-legend{font-size:.85rem;color:#333;line-height:1.9;margin-bottom:.8rem}.atlas-key{margin-right:1rem;white-space:nowrap}.atlas-flows-key{white-space:normal;display:block;line-height:1.5;margin:.2rem 0}"
        ".atlas-swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;vertical-align:middle;"
        "border:1px solid #fff;box-shadow:0 0 0 1px #999}.atlas-arrow{display:inline-block;width:1.6rem;height:.35rem;"
        "background:#8e1b10;vertical-align:middle}.atlas-diamond{display:inline-block;width:.7rem;height:.7rem;"
        "transform:rotate(45deg);background:#888;border:1px solid #fff;box-shadow:0 0 0 1px #555;vertical-align:middle;"
        "margin:0 .1rem}</style>" + tag("div", join(*items), class_="atlas-legend")
    )


# The projector theme: large type and high contrast, readable from the back of a classroom.
PRESENT_CSS = """
<style>
[data-testid="stMain"],[data-testid="stHeader"]{background:#101418;color:#f4f4f0}
[data-testid="stMain"] h1,[data-testid="stMain"] h2,[data-testid="stMain"] h3,[data-testid="stMain"] label,
[data-testid="stMain"] p{color:#f4f4f0}
[data-testid="stMain"] .stButton button{background:#262e36;color:#ffffff;border:2px solid #ffd166;font-size:1.2rem}
[data-testid="stMain"] .stButton button:disabled{background:#161b20;color:#6b737b;border-color:#3a424a}
[data-testid="stMain"] .stButton button p{color:inherit;font-size:1.2rem}
.atlas-progress{font-size:2rem;font-weight:800;color:#ffd166;text-align:right}
.atlas-present .atlas-panel{font-size:1.5rem;line-height:1.45;color:#f4f4f0}
.atlas-present .atlas-title{font-size:2.6rem;color:#ffffff}
.atlas-present .atlas-subtitle,.atlas-present .atlas-meta{color:#d8d8d0;font-size:1.5rem}
.atlas-present .atlas-excerpt{background:#1e252c;color:#ffffff;border-left:8px solid #ffd166;font-size:1.65rem}
.atlas-present .atlas-gloss{color:#e8e8e0;font-size:1.3rem}
.atlas-present .atlas-gloss-label{color:#ffd166}
.atlas-present .atlas-cite{color:#c8c8c0;font-size:1rem}
.atlas-present .atlas-cite a{color:#9ad1ff}
.atlas-present .atlas-badge{font-size:1.1rem}
.atlas-present .atlas-claim-col{background:#1a2026;border-color:#ffd166}
.atlas-present .atlas-summary{font-size:1.3rem;color:#e0e0d8}
.atlas-present .atlas-support{background:#1a2633;color:#e8f1fb;font-size:1.2rem}
.atlas-present .atlas-support-weak{background:#2e2614;color:#ffe6a8}
.atlas-present .atlas-notes{background:#1a1f24;border-color:#9aa7b4;color:#f0f0ea}
.atlas-present .atlas-notes-head,.atlas-present .atlas-note,.atlas-present .atlas-note-ref{color:#e8e8e0}
.atlas-present .atlas-where{color:#d8d8d0}
</style>
"""
