"""The Present page for a projector: one step to a screen (map and slide), its view of the map, its link,
the keys of a clicker, full screen and a blanked screen."""

from __future__ import annotations

import math
from functools import lru_cache
from urllib.parse import urlencode

import shapely
from shapely.geometry import Point, shape

from events.model import Event
from geo.areas import AreasFileError, load_areas
from geo.layers import layer
from render import scripts

# The smallest map a step is drawn in (the left half of a 1024×768 projector, under the controls), in
# pixels: the zoom chosen fits the step there, and a larger screen shows more around it.
MAP_SIZE = (460, 520)
ZOOMS = (3, 7)  # the farthest and the nearest view of a step (the base map's names thin out beyond 7)
_PAD = 0.12  # the share of the map kept free around what a step shows

_KEYS = scripts.template("present_keys.js")
_MAP_FILL = scripts.source("present_map.js")


@lru_cache(maxsize=1)
def _countries() -> tuple:
    """(shape, label point) of each country of 1962 that has its name drawn on the base map."""
    found = []
    for f in layer("countries_1962")["features"]:
        point = (f.get("properties") or {}).get("label_point")
        if point and f.get("geometry"):
            found.append((shape(f["geometry"]), Point(point)))
    for geometry, _point in found:
        shapely.prepare(geometry)
    return tuple(found)


def _names_near(where: Point) -> list[Point]:
    """The name of the country `where` lies in (or the nearest one) and of the nearest other country: a
    step is seen with the names of the countries it happened between."""
    countries = _countries()
    if not countries:
        return []
    home = next((c for c in countries if c[0].covers(where)), None)
    home = home or min(countries, key=lambda c: c[0].distance(where))
    others = [c for c in countries if c is not home]
    names = [home[1]]
    if others:
        names.append(min(others, key=lambda c: c[1].distance(where))[1])
    return names


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    """World pixels at zoom 0 (256 across), as Leaflet projects."""
    lat = max(min(lat, 85.0), -85.0)
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * 256, (1 - y / math.pi) / 2 * 256


def _latitude(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * y / 256))) - math.pi / 2)


def step_view(event: Event, size: tuple[int, int] = MAP_SIZE) -> tuple[tuple[float, float], int]:
    """(centre (lat, lon), zoom) that shows where `event` is: its area whole, or its place, together with
    the names of the country it is in and of its nearest neighbour, in a map of `size` pixels."""
    where = Point(event.lon, event.lat)
    points = [(event.lon, event.lat)]
    if event.area:
        try:
            area = load_areas().get(event.area)
        except AreasFileError:  # the map draws no area then either: show the place
            area = None
        if area is not None:
            west, south, east, north = area.bounds
            points += [(west, south), (east, north)]
            where = area.representative_point()
    points += [(p.x, p.y) for p in _names_near(where)]
    xs, ys = zip(*(_mercator(lon, lat) for lon, lat in points), strict=True)
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    room = (1 - 2 * _PAD) * size[0], (1 - 2 * _PAD) * size[1]
    fit = min(room[0] / span_x if span_x else math.inf, room[1] / span_y if span_y else math.inf)
    zoom = ZOOMS[1] if fit == math.inf else int(math.floor(math.log2(fit)))
    zoom = max(ZOOMS[0], min(ZOOMS[1], zoom))
    x, y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return (round(_latitude(y), 4), round(x / 256 * 360 - 180, 4)), zoom


def step_query(lesson: str, step: int, lang: str) -> str:
    """The query of a step's own link (`step` counts from 1): `?lesson=…&step=…`, and the language if
    not English."""
    params = {"lesson": lesson, "step": str(step)}
    if lang != "en":
        params["lang"] = lang
    return "?" + urlencode(params)


def keys_script(labels: dict[str, str]) -> str:
    """The page's keys and its full-screen and blank-screen modes, as a script for the page itself
    (st.html with JavaScript): `labels` (the full-screen button's words) go in only as JSON."""
    return f"<script>{_KEYS.render(labels=labels)}</script>"


def map_fill_script() -> str:
    """A script for the map's frame (added to its event layer): the map fills the frame, whose height
    the page's CSS sets from the viewport (the component's own height is a fixed number of pixels)."""
    return _MAP_FILL


# One step to a screen: the controls, then the map (left) and the slide (right), as high as the window;
# long passages a few lines, then "more" (a <details> toggle: no script); in full screen (the button or F)
# nothing but the slide and the step buttons; B: a black screen until a key or a click. (No CSS comments
# and no `>` here: Streamlit's sanitiser then empties the whole <style>.)
PRESENT_CSS = """
<style>
[data-testid="stSidebar"],[data-testid="stSidebarCollapsedControl"],[data-testid="stExpandSidebarButton"]{display:none}
[data-testid="stMain"],[data-testid="stHeader"],[data-testid="stApp"]{background:#101418;color:#f4f4f0}
[data-testid="stMainBlockContainer"]{padding:1rem 1.2rem .6rem 1.2rem;max-width:none}
[data-testid="stHeader"]{background:transparent;pointer-events:none}
[data-testid="stHeader"] button,[data-testid="stHeader"] a{pointer-events:auto}
[data-testid="stMain"] h1,[data-testid="stMain"] h2,[data-testid="stMain"] h3,[data-testid="stMain"] label,
[data-testid="stMain"] p{color:#f4f4f0}
[data-testid="stMain"] .stButton button{background:#262e36;color:#ffffff;border:2px solid #ffd166;min-width:6.5rem;
white-space:nowrap;min-height:2.6rem}
[data-testid="stMain"] .stButton button:disabled{background:#161b20;color:#6b737b;border-color:#3a424a}
[data-testid="stMain"] .stButton button p{color:inherit;font-size:clamp(1rem,.7rem + .6vw,1.3rem);white-space:nowrap}
.st-key-present-bar{gap:.6rem}
.st-key-present-bar .stSelectbox{min-width:12rem}
.atlas-progress{font-size:clamp(1.3rem,.8rem + 1vw,2rem);font-weight:800;color:#ffd166;white-space:nowrap;
padding:0 .4rem;min-width:4.5rem;text-align:center}
.atlas-full-button{background:#262e36;color:#fff;border:2px solid #9ad1ff;border-radius:.5rem;min-height:2.6rem;
padding:0 .9rem;font:600 clamp(1rem,.7rem + .6vw,1.3rem) 'Noto Sans','Noto Sans CJK SC',sans-serif;cursor:pointer;
white-space:nowrap}
.atlas-full-button:focus-visible,[data-testid="stMain"] .stButton button:focus-visible{outline:3px solid #ffffff}
.st-key-present-map iframe{height:calc(100vh - 11rem) !important;min-height:16rem}
.st-key-present-share{gap:.6rem}
.st-key-present-share iframe{height:2.8rem !important}
.st-key-present-share p,.st-key-present-share a{color:#f4f4f0 !important}
.atlas-other-lang{font-weight:700;white-space:nowrap}
.st-key-present-other-lang button{min-height:0;padding:0 .25rem;font-weight:700}
.atlas-qr{background:#ffffff;border-radius:.6rem;padding:1rem;text-align:center;color:#101418}
.atlas-qr{margin:0}
.atlas-qr-code{width:min(100%,calc(100vh - 17rem));height:auto;min-width:12rem;display:block;margin:0 auto}
.atlas-qr-link{font:700 clamp(1rem,.6rem + .8vw,1.5rem) 'Noto Sans Mono',monospace;color:#101418;
overflow-wrap:anywhere;margin:.5rem 0 0 0}
.atlas-present{max-height:calc(100vh - 6.5rem);overflow-y:auto;padding-right:.4rem}
.atlas-present .atlas-panel{font-size:clamp(1rem,.55rem + .7vw + .5vh,1.55rem);line-height:1.4;color:#f4f4f0}
.atlas-present .atlas-title{font-size:clamp(1.15rem,.3rem + 1vw + 1.2vh,2.6rem);line-height:1.2;color:#ffffff;overflow-wrap:anywhere}
.atlas-present .atlas-subtitle{color:#c8c8c0;font-size:.8em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.atlas-present .atlas-meta{color:#d8d8d0;font-size:.9em;margin:.2rem 0}
.atlas-present .atlas-excerpt{background:#1e252c;color:#ffffff;border-left:8px solid #ffd166;font-size:1.05em;
margin:.4rem 0 .2rem 0}
.atlas-present .atlas-gloss{color:#e8e8e0;font-size:.95em}
.atlas-present .atlas-gloss-label{color:#ffd166}
.atlas-present .atlas-cite{color:#c8c8c0;font-size:.7em;margin-bottom:.4rem}
.atlas-present .atlas-cite a{color:#9ad1ff}
.atlas-present .atlas-badges{margin:.2rem 0 .3rem 0}
.atlas-present .atlas-badge{font-size:.75em}
.atlas-present .atlas-claims{grid-template-columns:repeat(auto-fit,minmax(min(14rem,100%),1fr))}
.atlas-present .atlas-claim-col{background:#1a2026;border-color:#ffd166}
.atlas-present .atlas-claim{font-size:1em}
.atlas-present .atlas-claim-source{font-size:.7em;display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;
overflow:hidden}
.atlas-present .atlas-summary{color:#e0e0d8}
.atlas-present .atlas-support{background:#1a2633;color:#e8f1fb;font-size:.8em;margin:.2rem 0 .3rem 0}
.atlas-present .atlas-support-weak{background:#2e2614;color:#ffe6a8}
.atlas-present .atlas-notes{background:#1a1f24;border-color:#9aa7b4;color:#f0f0ea}
.atlas-present .atlas-notes-head,.atlas-present .atlas-note,.atlas-present .atlas-note-ref{color:#e8e8e0}
.atlas-present .atlas-where{color:#d8d8d0;font-size:.75em;margin:0}
.atlas-fold:has(.atlas-more:not([open])) .atlas-excerpt,
.atlas-fold:has(.atlas-more:not([open])) .atlas-gloss{display:-webkit-box;-webkit-box-orient:vertical;
-webkit-line-clamp:3;overflow:hidden}
.atlas-more summary,.atlas-rest summary{cursor:pointer;color:#9ad1ff;font-weight:700;font-size:.8em;
margin:.1rem 0 .3rem .9rem}
.atlas-fold-whole:has(.atlas-more:not([open])) .atlas-gloss,
.atlas-fold-whole:has(.atlas-more:not([open])) .atlas-cite{display:none}
.atlas-fold-whole:has(.atlas-more:not([open])) .atlas-excerpt{-webkit-line-clamp:2}
.atlas-more[open] .atlas-more-open,.atlas-more:not([open]) .atlas-more-close{display:none}
.atlas-rest{margin:.2rem 0}
html.atlas-full [data-testid="stHeader"],html.atlas-full [data-testid="stToolbar"],
html.atlas-full [data-testid="stDecoration"],html.atlas-full .st-key-lesson,
html.atlas-full .st-key-present-share,html.atlas-full .st-key-present-other-lang,html.atlas-full [data-testid="stStatusWidget"]{display:none !important}
html.atlas-full [data-testid="stMainBlockContainer"]{padding:.5rem 1rem .3rem 1rem}
html.atlas-full .st-key-present-map iframe{height:calc(100vh - 6rem) !important}
.atlas-full-leave,html.atlas-full .atlas-full-enter{display:none}
html.atlas-full .atlas-full-leave{display:inline}
html.atlas-full .atlas-present{max-height:calc(100vh - 6rem)}
#atlas-blank{position:fixed;inset:0;background:#000;z-index:1000000;cursor:none}
@media (max-width:640px){
.st-key-present-map iframe{height:55vh !important}
.atlas-present{max-height:none;overflow:visible}
}
</style>
"""
