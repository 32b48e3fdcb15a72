"""The handout labels the project's translations and shows every marker's number with a key; the Chinese
interface leaves nothing in English but names, the sources' own words and format names (issue 16, item 7).

The pure tests read the handout's HTML and the citations; the browser tests read what Chromium shows: every
page in Chinese, and the downloaded handout printed to PDF. Every wait is on the page's state."""

from __future__ import annotations

import re
from html import unescape as html_unescape
from itertools import combinations

import pytest
from playwright.sync_api import expect

from events.categories import category_name
from events.search import SearchIndex
from i18n import translator
from render.citations import citation, excerpt_citation, locator
from render.handout import HEIGHT, WIDTH, handout_html
from render.html import esc
from tests.conftest import ARTIFACTS
from tests.test_browser import SHOWS as PAGE_SHOWS

# Visible text in the Chinese interface, from every frame of the page: text nodes of shown elements, outside
# the sources' own words (blockquotes, excerpts, anything marked with a language other than Chinese), code
# and icon ligatures ("play_arrow" is drawn as an icon).
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim()) continue;
    if (el.closest("script, style, noscript, blockquote, .atlas-excerpt, code, pre, [data-testid=stIconMaterial], [data-testid=stAlertDynamicIcon], " +
                   ".leaflet-control-layers-list")) continue;  // the map's layer list: its own test, below
    const own = el.closest("[lang]");
    if (own && own !== document.documentElement && !own.lang.startsWith("zh")) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || r.right <= 0 || r.bottom + window.scrollY <= 0) continue;
    out.push(n.textContent.trim());
  }
  return out;
}"""

# The aria-labels, placeholders and tooltips of the page (not of frames: an iframe's title is its
# component's name, and its aria-label says what it holds), but for the search box's example of names.
SAID = """() => [...document.querySelectorAll('[aria-label], [placeholder], [title]')].flatMap(el =>
    ['aria-label', 'placeholder', 'title'].filter(a => el.hasAttribute(a) && !(a === 'title' && el.tagName === 'IFRAME')
        && !(a === 'placeholder' && el.closest('[data-testid=stSidebar] [data-testid=stTextInput]')))
      .map(a => el.getAttribute(a)))"""

# English words a Chinese reader may see: names of languages in their own tongue, of formats and of the map
# library (its attribution), and people's names the project does not transliterate.
ALLOWED = {
    "english",
    "excel",
    "leaflet",
    "vega",
    "lite",
    "geojson",
    "json",
    "yaml",
    "wiki",
    "markdown",
    "samiksha",
    "jaiswal",
    "brands",
}
# Words of ≥4 Latin letters; a URL is not words, nor a quotation between Chinese quotation marks (a cited
# title, or a gloss giving the source's own wording: 英译本原文作“overseas Chinese”).
WORD = re.compile(r"[A-Za-z]{4,}")
NOT_WORDS = re.compile(r"https?://\S+|“[^”]*”")


def english_words(text: str, allowed: set[str]) -> list[str]:
    return [w for w in WORD.findall(NOT_WORDS.sub("", text)) if w.lower() not in allowed]


@pytest.fixture(scope="module")
def own_words(corpus):
    """The sources' own titles and the bibliography's titles and authors: cited in their own language."""
    words = set(ALLOWED)
    for s in corpus.sources.values():
        words |= {w.lower() for w in WORD.findall(s.title)}
    for ref in corpus.bibliography.values():
        words |= {w.lower() for w in WORD.findall(f"{ref.title} {ref.author} {ref.short_author}")}
    return words


def test_the_check_finds_english():
    """The check is not blind: an English label is found, a URL and an allowed name are not."""
    found = english_words("Publisher: 今日头条 https://www.toutiao.com/article/1 “Sino Soviet” Leaflet", ALLOWED)
    assert found == ["Publisher"]


@pytest.mark.parametrize(
    ("pages", "written"),
    [
        ("23–25", "第23–25页"),
        ("ch. 3", "第3章"),
        ("ch. 4 (pp. 42–66)", "第4章（第42–66页）"),
        ("chs 2 and 9", "第2、9章"),
        ("doc. 166", "第166号文件"),
        ("arts 1–2", "第1–2条"),
        ("Record ID 112080", "档案编号 112080"),
    ],
)
def test_note_locators_are_written_in_chinese(pages, written):
    assert locator(pages, "zh") == written
    assert locator(pages, "en") == pages


def test_chinese_citations_label_in_chinese(corpus, own_words):
    """Around a document's own title, a Chinese citation is Chinese: author, publisher, archive reference."""
    for source in corpus.sources.values():
        text = citation(source, "zh")
        assert text.endswith("。"), text
        assert english_words(text, own_words) == [], (source.id, text)
        assert citation(source, "en").endswith("."), source.id


def _markers(svg: str) -> list[tuple[int, float, float]]:
    """The numbered markers of the handout's map: (number, x, y) of each badge's number."""
    return [
        (int(n), float(x), float(y))
        for n, x, y in re.findall(r'<g class="marker" data-n="(\d+)">.*?<text x="([\d.]+)" y="([\d.]+)"', svg)
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", ["ili-1962", "1962", "gulja", "all"])
def test_handout_numbers_every_marker_apart_and_labels_glosses(corpus, lang, view):
    events = list(corpus.events)
    if view == "ili-1962":  # the crowded view: many events at Khorgos, Yining and the border
        events = [e for e in events if e.region in ("ili", "tacheng", "altay") and e.when.start.year <= 1963]
        events = [e for e in events if e.when.end.year >= 1962]
    if view == "gulja":  # a search: Yining's events and the regions about it, each a marker on its own
        events = [e for e in events if e.id in set(SearchIndex(list(corpus.events), corpus.places).ids("Gulja"))]
    if view == "1962":  # the year's events, Moscow to Beijing: the markers that stand on their places
        events = [e for e in events if e.when.start.year <= 1962 <= e.when.end.year]
    _ = translator(lang)
    html = handout_html(events, corpus.sources, corpus.places, {"x": "y"}, lang, _, corpus.bibliography)
    markers = _markers(html)
    assert sorted(n for n, _x, _y in markers) == list(range(1, len(events) + 1))
    for n, x, y in markers:
        assert 0 < x < WIDTH and 0 < y < HEIGHT, n
    for (n1, x1, y1), (n2, x2, y2) in combinations(markers, 2):  # badges are 18–21 px across
        assert abs(x1 - x2) >= 20 or abs(y1 - y2) >= 20, (n1, n2)
    # no callout drawn over a marker drawn before it
    callouts = [
        (m.start(), *map(float, m.groups()))
        for m in re.finditer(
            r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"[^>]*class="callout"', html
        )
    ]
    starts = {int(m.group(1)): m.start() for m in re.finditer(r'<g class="marker" data-n="(\d+)">', html)}
    for n, x, y in markers:
        for at, x0, y0, w, h in callouts:
            assert not (at > starts[n] and x0 <= x <= x0 + w and y0 - 4 <= y <= y0 + h + 4), (n, "under a callout")
    # every place with an event is named: in its callout's caption, or beside its dot or the marker on it
    named = {html_unescape(t) for t in re.findall(r'class="(?:caption|place)">([^<]*)</text>', html)}
    for e in events:  # a town, a crossing, or a region an event is drawn over
        assert corpus.places[e.place].label(lang) in named, (e.id, e.place)
    # every work a note cites is listed whole at the end: on paper no hover shows it
    for ref in {n.ref for e in events for n in e.notes}:
        assert esc(corpus.bibliography[ref].full()) in html.split(esc(_("Works cited in the historians' notes")))[1]
    # a date the sources do not give says so, as on the panel
    for e in events:
        if any(note.kind == "date" for note in e.notes):
            assert (
                esc(e.when.label(lang) + ("" if lang == "zh" else " ") + _("(date from the historians' note)")) in html
            )
    # the key: every category shown, the two shapes, the lines
    for category in {e.category for e in events}:
        assert f"</svg> {esc(category_name(category, lang))}</li>" in html, category
    for label in ("an event about a whole region, at the region's centre", "Sino-Soviet border"):
        assert esc(_(label)) in html
    # every gloss is labelled as the project's translation, once per gloss shown
    glossed = [
        ex for e in events for ex in e.excerpts if ex.gloss.get(lang) and corpus.sources[ex.source].language != lang
    ]
    assert html.count('class="gloss-label"') == len(glossed)
    assert html.count(_("Project translation:")) == len(glossed)
    if lang == "zh":
        assert glossed, "the Chinese handout has English excerpts with Chinese glosses"
        assert excerpt_citation(corpus.sources[glossed[0].source], glossed[0], lang, _) in html


# What each page shows once its run is done (the map: its frame, whose markers are waited for below).
SHOWS = {**PAGE_SHOWS, "map": "iframe[title*='st_folium']"}
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


@pytest.mark.parametrize("path", ["map", "timeline", "present", "lesson", "sources", "upload", "about"])
def test_no_english_left_in_the_chinese_interface(page, server, own_words, path):
    page.goto(f"{server.url}/{'' if path == 'map' else path}?lang=zh", wait_until="domcontentloaded")
    page.wait_for_selector(SHOWS[path], state="attached", timeout=90_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    # a map (the map page's, the presentation's) is read once it shows its markers: before Leaflet's styles
    # load, its collapsed layer list is drawn open
    for iframe in page.query_selector_all("iframe[title*='st_folium']"):
        iframe.content_frame().wait_for_function("() => window.atlasShown > 0", timeout=60_000)
    if path == "sources":
        page.frame_locator("[data-testid=stMain] iframe[title='st.iframe']").locator(".doc").wait_for(timeout=30_000)
    texts = [t for frame in page.frames for t in frame.evaluate(VISIBLE_TEXT)]
    assert any("\u4e00" <= c <= "\u9fff" for t in texts for c in t), "no Chinese text found: is the page there?"
    found = {t: words for t in texts if (words := english_words(t, own_words))}
    page.screenshot(path=str(ARTIFACTS / f"zh-{path}.png"), full_page=True)
    assert found == {}, found
    # what a screen reader or a tooltip says: Streamlit's own English words are put into Chinese too
    # (a frame's title is left: its aria-label names it; the search box's example names places)
    # the page script's pass over Streamlit's words runs on the frame after the page's last change: wait for it
    page.wait_for_function("() => !document.querySelector('[data-testid=stSidebar][aria-label=Sidebar]')")
    said = page.evaluate(SAID)
    found = {t: words for t in said if (words := english_words(t, own_words))}
    assert said and found == {}, found
    assert page.outside_requests == []


def test_streamlits_own_hints_are_chinese(page, server):
    """What Streamlit shows of its own: the text box's hint as one types, the skip link on the first Tab,
    and the map's link to Leaflet when pointed at."""
    page.goto(f"{server.url}/?lang=zh", wait_until="domcontentloaded")
    frame = page.wait_for_selector(SHOWS["map"], timeout=90_000).content_frame()
    page.wait_for_selector(IDLE, timeout=60_000)
    page.locator("[data-testid=stSidebar] [data-testid=stTextInputField]").fill("伊宁")
    expect(page.locator("[data-testid=InputInstructions] > span").first).to_have_text("按回车键应用")
    expect(page.locator("[data-testid=stSkipToContent]")).to_have_text("跳到主要内容")
    frame.wait_for_function("() => window.atlasShown > 0", timeout=60_000)
    link = frame.locator(".leaflet-control-attribution a[title]")
    expect(link).to_have_attribute("title", "一个用于交互式地图的 JavaScript 库")


def test_the_maps_layer_names_are_chinese(page, server):
    """The map's layer list (collapsed until hovered, so apart from the page check, which could catch it open
    while Leaflet's styles load): the providers' names may stay, the words around them may not."""
    page.goto(f"{server.url}/?lang=zh", wait_until="domcontentloaded")
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=90_000).content_frame()
    frame.wait_for_function("() => window.atlasShown > 0", timeout=60_000)
    names = frame.eval_on_selector_all(
        ".leaflet-control-layers-list label", "els => els.map(e => e.textContent.trim())"
    )
    assert names, "the map has a layer list"
    providers = {"openstreetmap", "opentopomap", "esri", "world", "topo"}  # the providers' own names
    found = {n: w for n in names if (w := english_words(n, ALLOWED | providers))}
    assert found == {}, found
    # Leaflet's own controls are named in Chinese too (their titles: a pointer's tip, a screen reader's name).
    titles = frame.eval_on_selector_all(
        ".leaflet-control-zoom a, .leaflet-control-layers-toggle", "els => els.map(e => e.title)"
    )
    assert sorted(titles) == sorted(["放大", "缩小", "地图图层"]), titles


def test_timeline_key_is_whole_and_marks_are_described_in_chinese(page, server):
    """The timeline's key shows every category of the view inside the page (Vega's cut two off), and each
    mark's description for a screen reader is Chinese (Vega's own was 'title: …; end: Jan 01, 1962')."""
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{server.url}/timeline?lang=zh", wait_until="domcontentloaded")
    page.wait_for_selector(SHOWS["timeline"], state="attached", timeout=90_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    keys = page.locator(".tl-legend .atlas-key")
    assert keys.count() >= 5
    width = page.evaluate("() => document.documentElement.clientWidth")
    for i in range(keys.count()):
        box = keys.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, keys.nth(i).inner_text()
    labels = page.eval_on_selector_all(
        "[data-testid=stVegaLiteChart] [aria-roledescription=bar]", "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert labels and all(label and not english_words(label, ALLOWED) for label in labels), labels[:3]


def test_downloaded_chinese_handout_prints_with_labels_and_numbers(page, server, corpus, tmp_path, own_words):
    page.goto(
        f"{server.url}/?lang=zh&from=1962&to=1963&region=ili&region=tacheng&region=altay", wait_until="domcontentloaded"
    )
    button = page.wait_for_selector(".st-key-handout button", timeout=60_000)
    with page.expect_download() as info:
        button.click()
    path = tmp_path / "handout-zh.html"
    info.value.save_as(path)
    viewer = page.context.new_page()
    viewer.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    viewer.goto(path.as_uri(), wait_until="load")
    viewer.wait_for_selector("svg .marker")
    # every number on the map is drawn where a reader sees it: the topmost element at its centre is its marker
    hidden = viewer.evaluate(
        """() => [...document.querySelectorAll('svg .marker')].filter(g => {
            const r = g.querySelector('text').getBoundingClientRect();
            const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return !(top && g.contains(top));
        }).map(g => g.dataset.n)"""
    )
    assert hidden == []
    assert viewer.locator("svg .marker").count() == viewer.locator("body > ol > li").count() > 0
    assert viewer.locator(".gloss-label").count() > 0
    assert set(viewer.locator(".gloss-label").all_inner_texts()) == {"本项目译文："}
    assert viewer.locator("figure .key li").count() >= 5
    # no half-empty first page: an event may break across pages (only one excerpt with its gloss and citation
    # is kept whole), so the first event starts on the first printed page, under the map
    viewer.emulate_media(media="print")
    assert viewer.evaluate("() => getComputedStyle(document.querySelector('body > ol > li')).breakInside") != "avoid"
    first = viewer.locator("body > ol > li").first.bounding_box()
    page_height = (29.7 - 2 * 1.2) / 2.54 * 96  # A4 less the @page margins, in CSS pixels
    assert first["y"] + 60 < page_height, first
    texts = viewer.evaluate(VISIBLE_TEXT)
    found = {t: words for t in texts if (words := english_words(t, own_words))}
    assert found == {}, found
    viewer.screenshot(path=str(ARTIFACTS / "handout-zh.png"), full_page=True)
    viewer.pdf(path=str(ARTIFACTS / "handout-zh.pdf"), format="A4")
    viewer.close()
    assert page.outside_requests == []
