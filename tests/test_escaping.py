"""Every data string that reaches HTML goes through render.html.esc and comes out as text."""

import json
import re

import pytest

from datafiles.dates import parse_when
from events.bibliography import Reference
from events.model import Event, Excerpt, Note
from events.sources import Source
from events.support import support_of
from i18n import translator
from render import mapbuild
from render.html import esc, tag
from render.panel import event_panel

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> `${alert(1)}` {{ 7*7 }} \" ' &"


def hostile_event() -> Event:
    return Event(
        id="hostile",
        title={"en": HOSTILE, "zh": HOSTILE},
        when=parse_when("1962-04-22"),
        place="khorgos",
        lon=80.4,
        lat=44.2,
        category="flight",
        certainty="certain",
        excerpts=(
            Excerpt("evil", HOSTILE, 0, len(HOSTILE), claim={"en": HOSTILE, "zh": HOSTILE}, gloss={"zh": HOSTILE}),
        ),
        disputed=False,
        summary={"en": HOSTILE, "zh": HOSTILE},
        notes=(
            Note("date", {"en": HOSTILE, "zh": HOSTILE}, "evil-ref", HOSTILE),
            Note("context", {"en": HOSTILE, "zh": HOSTILE}, "evil-ref", "1"),
        ),
        support=support_of([Excerpt("evil", HOSTILE, 0, 1)], {"evil": "popular-essay"}),
        stands_for="government",
    )


EVIL_BIBLIOGRAPHY = {"evil-ref": Reference("evil-ref", HOSTILE, HOSTILE, 1999, "book", publisher=HOSTILE)}


def test_esc_neutralises_html_and_template_syntax():
    out = esc(HOSTILE)
    for dangerous in ("<", ">", "`", "${", "{{", '"', "'"):
        assert dangerous not in out
    assert "&lt;script&gt;" in out and "&#96;" in out and "&#123;&#123;" in out


def test_tag_escapes_attributes_and_text():
    assert tag("a", "<b>", href='x" onclick="evil') == '<a href="x&quot; onclick=&quot;evil">&lt;b&gt;</a>'


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_panel_shows_hostile_text_as_text(lang):
    source = Source(id="evil", title=HOSTILE, path=None, language="en", kind="popular-essay", author=HOSTILE)
    html = event_panel(hostile_event(), {"evil": source}, HOSTILE, HOSTILE, lang, translator(lang), EVIL_BIBLIOGRAPHY)
    assert "<script" not in html and "<img" not in html and "`" not in html and "{{" not in html
    assert html.count("&lt;script&gt;") >= 8  # title, summary, excerpt, claim, gloss, both notes and references


def test_map_script_keeps_hostile_text_inert(tmp_path):
    from render.eventfile import publish

    event = hostile_event()
    script = mapbuild.event_layer([event], "en", lambda e: e.when.label("en"), selected="hostile")
    published = publish([event], "en", lambda e: e.when.label("en"), folder=tmp_path, url="/x")
    shipped = (tmp_path / published.url.removeprefix("/x/")).read_text("utf-8")
    for text in (script, shipped):
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "`${alert" not in text and "{{ 7*7 }}" not in text
        # The event data is embedded as JSON: read the tooltip strings back and find the escaped title, intact.
        tips = [json.loads(t) for t in re.findall(r'"tip": ?("(?:[^"\\]|\\.)*")', text)]
        assert tips == [esc(f"{HOSTILE} · 22 April 1962")]


def test_handout_keeps_hostile_text_inert():
    from render.handout import handout_html

    event = hostile_event()
    source = Source(id="evil", title=HOSTILE, path=None, language="en", kind="popular-essay", author=HOSTILE)
    html = handout_html([event], {"evil": source}, {}, {HOSTILE: HOSTILE}, "en", translator("en"), EVIL_BIBLIOGRAPHY)
    assert "<script" not in html and "<img" not in html and "{{" not in html
    assert html.count("&lt;script&gt;") >= 4
