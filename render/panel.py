"""What a reader sees of an event: the panel beside the map, with excerpts and citations."""

from __future__ import annotations

from events.categories import category_name
from events.model import Event, Excerpt
from events.sources import Source
from render.citations import context_link, excerpt_citation, note_citation
from render.html import Raw, esc, join, tag

NOTE_KIND_NAMES = {
    "correction": {"en": "The sources are wrong here", "zh": "此处来源文献有误"},
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


def date_from_note(event: Event, lang: str, _) -> str:
    """What follows a date the sources do not give (the historians' note gives it): " (date from the
    historians' note)", or "" for a date the sources give. The panel and the handout both say it."""
    if not any(note.kind == "date" for note in event.notes):
        return ""
    space = "" if lang == "zh" else " "  # a full-width bracket brings its own space
    return space + _("(date from the historians' note)")


# An excerpt longer than this (a CJK character counting as two) is folded on a slide: a few lines, then "more".
FOLD_WIDTH = 150


def _width(text: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffff" else 1 for ch in text)


def _more(_) -> str:
    """The "more" toggle of a folded excerpt (HTML <details>: it opens and closes without a script)."""
    words = join(tag("span", _("more"), class_="atlas-more-open"), tag("span", _("less"), class_="atlas-more-close"))
    return tag("details", join(tag("summary", words)), class_="atlas-more")


def _excerpt(ex: Excerpt, sources: dict[str, Source], lang: str, _, fold: bool = False, whole: bool = False) -> Raw:
    """An excerpt with its gloss and citation; `fold` (a slide): a long one folds behind "more", and
    `whole` folds it whatever its length, its citation too (a column beside another source's claim)."""
    source = sources.get(ex.source)
    src_lang = source.language if source else None
    parts = []
    if ex.role == "contradicts":
        parts.append(tag("p", _("This passage contradicts the event as titled:"), class_="atlas-contra"))
    quoted = [tag("blockquote", ex.text, lang=src_lang, class_="atlas-excerpt")]
    gloss = ex.gloss.get(lang)
    if gloss and src_lang != lang:
        quoted.append(
            tag(
                "p",
                join(tag("span", _("Project translation:"), class_="atlas-gloss-label"), " ", esc(gloss)),
                class_="atlas-gloss",
                lang=lang,
            )
        )
    cite = [esc(excerpt_citation(source, ex, lang, _))]
    if ex.unchecked:  # a teacher's quote whose source is a citation: the citation says it was not checked
        cite = [tag("span", join(cite[0]), class_="atlas-badge atlas-warn")]
    elif not ex.verified:
        cite.append(" " + tag("span", _("unverified: source text not available"), class_="atlas-badge atlas-warn"))
    elif source is not None and source.available:
        cite.append(" " + tag("a", _("Read in context"), href=context_link(ex), target="_self"))
    quoted_cite = [*quoted, tag("p", join(*cite), class_="atlas-cite")]
    if fold and whole:  # the slide's CSS clamps the passage and hides the rest while "more" is closed
        parts.append(tag("div", join(*quoted_cite, _more(_)), class_="atlas-fold atlas-fold-whole"))
    elif fold and max(_width(ex.text), _width(gloss or "")) > FOLD_WIDTH:
        parts += [tag("div", join(*quoted, _more(_)), class_="atlas-fold"), quoted_cite[-1]]
    else:
        parts += quoted_cite
    return join(*parts)


def event_panel(
    event: Event,
    sources: dict[str, Source],
    place_label: str,
    region_label: str,
    lang: str,
    _,
    bibliography: dict | None = None,
    fold: bool = False,
) -> str:
    """The panel's HTML. Every data string passes through `esc` (via `tag`).

    What the sources say (the excerpts, with the support they give) is shown apart from what the atlas
    adds in its own voice (the historians' note, labelled, after the sources).

    `fold` (a slide on the Present page, one screen high): long excerpts fold behind "more", the
    passages after the first (the first two claims when the sources disagree) behind "N more
    passages", and the summary and the historians' note behind their names.
    """
    other = "zh" if lang == "en" else "en"
    date = tag("span", event.when.label(lang), class_="atlas-date")
    from_note = date_from_note(event, lang, _)
    if from_note:
        date = join(date, tag("span", from_note, class_="atlas-date-note"))
    head = [
        tag("h3", event.label(lang), class_="atlas-title", lang=lang),
        # the other language's title, unless it is the same words (a teacher's event with one title)
        tag("p", event.title.get(other, ""), class_="atlas-subtitle", lang=other)
        if event.title.get(other, "") != event.label(lang)
        else "",
        tag(
            "p",
            join(
                date,
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
    summary = tag("p", event.summary[lang], class_="atlas-summary") if event.summary and event.summary.get(lang) else ""
    if summary and not fold:
        head.append(summary)

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
                        _excerpt(ex, sources, lang, _, fold, whole=True),
                    ),
                    class_="atlas-claim-col",
                )
            )
        shown = 2 if fold else len(columns)
        body = join(tag("div", join(*columns[:shown]), class_="atlas-claims"),
                    _folded(_("More passages ({n})", n=len(columns) - shown), columns[shown:], "atlas-claims"))  # fmt: skip
    else:
        items = [_excerpt(ex, sources, lang, _, fold) for ex in event.excerpts]
        shown = 1 if fold else len(items)
        body = join(*items[:shown], _folded(_("More passages ({n})", n=len(items) - shown), items[shown:]))
    notes = notes_html(event, bibliography or {}, lang, _)
    if fold:
        body = join(body, _folded(_("Summary"), [summary]), _folded(_("Historians' note"), [notes]))
        notes = ""
    return tag("div", join(*head, body, notes), class_="atlas-panel", data_event=event.id)


def _folded(label: str, items: list, class_: str | None = None) -> Raw | str:
    """`items` behind a <details> toggle named `label` (nothing if there are none)."""
    items = [item for item in items if item]
    if not items:
        return ""
    return tag("details", join(tag("summary", label), tag("div", join(*items), class_=class_)), class_="atlas-rest")


PANEL_CSS = """
<style>
.atlas-panel{font-size:1.02rem;line-height:1.5}
.atlas-title{margin:0 0 .1rem 0;font-size:1.45rem}
.atlas-subtitle{margin:0;color:#555}
.atlas-meta{margin:.3rem 0;color:#333;font-weight:600}.atlas-date-note{font-weight:400;font-style:italic}
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
