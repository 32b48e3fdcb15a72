"""What a reader sees of an event: the panel beside the map, with excerpts and citations."""

from __future__ import annotations

from events.categories import category_name
from events.model import Event, Excerpt
from events.sources import Source
from render.citations import context_link, excerpt_citation, note_citation
from render.html import Raw, esc, join, tag

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
        cite = note_citation(ref, note.ref, note.pages, lang)
        full = ref.full() if ref else None
        text = note.text.get(lang) or note.text.get("en", "")
        if note.kind == "date":  # the lead names the reference already: it carries the full entry itself
            lead = tag("span", _("Date from {reference}, not in the sources.", reference=cite), title=full,
                       class_="atlas-note-kind")  # fmt: skip
            parts = [lead, " ", esc(text)]
        else:
            colon = "：" if lang == "zh" else ": "
            lead = tag("span", NOTE_KIND_NAMES[note.kind].get(lang, note.kind) + colon, class_="atlas-note-kind")
            parts = [
                lead,
                esc(text),
                " ",
                tag("cite", f"（{cite}）" if lang == "zh" else f"({cite})", title=full, class_="atlas-note-ref"),
            ]
        items.append(tag("p", join(*parts), class_="atlas-note"))
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
    badges = [tag("span", category_name(event.category, lang), class_="atlas-badge")]
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


HINT_CSS = (
    "<style>.atlas-hint{background:rgba(28,131,225,.1);color:#004280;border-radius:.5rem;padding:1rem;"
    "font-size:1rem;line-height:1.5}</style>"
)


def hint_html(text: str) -> str:
    """A short note in the panel's place (styled as Streamlit's own info box), with its styles."""
    return HINT_CSS + tag("div", text, class_="atlas-hint", role="note")
