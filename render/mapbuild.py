"""The folium map: a static 1962 base map, rendered once per language, and the event layer swapped in place.

The map's JavaScript lives in render/js/*.js (render.scripts compiles each once, at import); data go in
only through `tojson` (HTML-safe JSON), and tooltips are escaped already.
"""

from __future__ import annotations

from functools import lru_cache

import folium
import xyzservices
from branca.element import MacroElement
from jinja2 import Template

from events.model import Event
from geo import assets
from geo.flows import flow_features
from geo.gazetteer import load_places
from i18n import translator
from render import scripts
from render.eventfile import Published, event_features
from render.html import esc

# 1962 political colours: quiet fills so that the event markers carry the eye (the handout uses them too).
COUNTRY_FILL = {"ussr": "#f3d9d4", "prc": "#fbf1c7", "mpr": "#e3ecd5"}
DEFAULT_FILL = "#eeeeea"
SEA = "#cddfe9"


CENTER = (44.8, 84.0)  # Ili, Tacheng and the Kazakh SSR border
ZOOM = 5
MIN_ZOOM, MAX_ZOOM = 2, 10  # 2: the first view fits all the events (Prague to Khabarovsk) at 1024x768


TILES = [  # the online tile layers offered (off by default); the deployment's CSP allows exactly these
    ("OpenStreetMap", xyzservices.providers.OpenStreetMap.Mapnik),
    ("OpenTopoMap", xyzservices.providers.OpenTopoMap),
    ("Esri World Topo", xyzservices.providers.Esri.WorldTopoMap),
]


class OfflineMap(folium.Map):
    """A folium Map whose scripts and styles come from this server, never a CDN."""

    default_js = [(name, url) for name, url in assets.JS.items()]
    default_css = [(name, url) for name, url in assets.CSS.items()]


class BaseLayers(MacroElement):
    """The 1962 base map, fetched by the browser from this server's static folder.

    The layers (about 1 MB) then never travel in the map script, which stays small and the
    same from one rerun to the next: streamlit-folium keeps the map, with its pan and zoom.
    Labels are set as text (textContent), never parsed as HTML.
    """

    _template = Template("{% macro script(this, kwargs) %}\n" + scripts.source("base_layers.js") + "{% endmacro %}")

    def __init__(self, lang: str):
        super().__init__()
        self._name = "BaseLayers"
        self.lang = lang
        self.min_zoom, self.max_zoom = MIN_ZOOM, MAX_ZOOM
        self.url = assets.GEO_URL
        self.fills = COUNTRY_FILL
        self.default_fill = DEFAULT_FILL
        self.available = [n for n in assets.GEO_LAYERS if (assets.GEO_DATA / f"{n}.geojson").is_file()]
        self.places = place_labels()
        _ = translator(lang)
        # Leaflet's own controls, named in the reader's language (their titles are what a pointer and a
        # screen reader give).
        self.controls = {"zoom-in": _("Zoom in"), "zoom-out": _("Zoom out"), "layers": _("Map layers"),
                         "leaflet": _("A JavaScript library for interactive maps")}  # fmt: skip


# Places drawn on the base map: towns, crossings and the Corps' farms, not the points that stand for
# whole regions (those are areas, drawn as polygons where an event speaks of them).
_LABELLED_KINDS = {"capital", "city", "town", "crossing", "island", "farm"}


@lru_cache(maxsize=1)
def place_labels() -> dict:
    """The gazetteer's towns, crossing points and farms as GeoJSON (names in both languages). A farm
    carries where its point comes from and how precise it is, shown when the reader points at it."""
    places, _problems = load_places()
    features = []
    for p in places.values():
        if p.kind not in _LABELLED_KINDS or p.precision == "region":
            continue
        props = {"id": p.id, "kind": p.kind, "name": p.name}
        if p.kind == "farm":
            # No "id": a click on a farm must never read as a click on an event (clicked_event_id).
            props = {"place": p.id, "kind": p.kind, "name": p.name,
                     "about": esc(f"{p.name['en']} / {p.name['zh']}: point precision {p.precision}; {p.coord_source}")}  # fmt: skip
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                         "properties": props})  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def base_map(lang: str = "en") -> folium.Map:
    """The static part of the map: the countries of 1962, the Sino-Soviet border and rivers.

    Nothing here depends on the filters, so streamlit-folium keeps the same map (and the
    reader's pan and zoom) while the event layer changes.
    """
    m = OfflineMap(
        location=CENTER,
        zoom_start=ZOOM,
        tiles=None,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
        control_scale=False,  # our own, metric and smaller (base_layers.js)
        world_copy_jump=False,
    )
    m.get_root().header.add_child(
        folium.Element(
            f"<style>.leaflet-container{{background:{SEA};font-family:'Noto Sans CJK SC','Noto Sans',sans-serif}}"
            ".atlas-tip{font-size:15px;width:max-content;max-width:340px;white-space:normal}"
            # Names read from the back of a classroom (a projector at 1024x768): 15 px towns, 16 px countries.
            ".leaflet-atlas-labels-pane,.leaflet-atlas-labels-pane *{pointer-events:none!important}"
            ".leaflet-control-scale{pointer-events:none;opacity:.8;margin-bottom:6px!important}"
            ".leaflet-control-scale-line{font-size:11px;line-height:1.2;padding:0 4px}"
            ".atlas-place{position:absolute;left:-4px;top:-5px;white-space:nowrap;font-size:15px;color:#222;"
            "padding-left:12px;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff,0 0 2px #fff}"
            ".atlas-place:before{content:'';position:absolute;left:0;top:2px;width:7px;height:7px;border-radius:50%;"
            "background:#444}"
            ".atlas-sparse .atlas-minor,.atlas-sparser .atlas-city{display:none}"
            # the chosen event's place (view.js), named at any zoom, clear of its ringed marker
            ".leaflet-container .atlas-place.atlas-here{display:block;font-size:16px;font-weight:700;padding-left:22px}"
            ".leaflet-container .atlas-place.atlas-here:before{display:none}"  # its marker marks the point
            # an area's name can be long ("Ili, Tacheng and Altay prefectures"): it wraps, not runs off the map
            ".leaflet-container .atlas-area-name{white-space:normal;width:170px;line-height:1.2}"
            ".atlas-crossing{font-weight:700;color:#7b241c}"
            ".atlas-crossing:before{border-radius:0;transform:rotate(45deg);background:#fff;border:2px solid #a93226;"
            "width:6px;height:6px}"
            ".atlas-area-mark{width:100%;height:100%;transform:rotate(45deg) scale(.72);border:2px solid #fff;"
            "box-shadow:0 0 0 1px #555;box-sizing:border-box}"
            ".atlas-area-on{border:3px solid #1b1b1b;box-shadow:0 0 0 2px #fff}"
            ".atlas-farm{color:#1e5631;font-size:13px}"
            ".atlas-farm:before{border-radius:0;background:#1e8449;width:6px;height:6px}"
            ".atlas-sparse .atlas-farm{font-size:0}.atlas-sparser .atlas-farm{display:none}"
            ".atlas-label div{font-size:16px;font-weight:600;color:#6b6b60;text-align:center;white-space:nowrap;"
            "text-shadow:0 0 3px #fff,0 0 3px #fff;letter-spacing:.03em}"
            ".atlas-sparsest .atlas-label div,.atlas-sparsest .atlas-place{font-size:11px}"
            # The event marks (render/js/events.js) with their category's glyph, and a focus ring that shows
            # on any background (render/js/keyboard.js makes them focusable).
            ".atlas-mark{width:100%;height:100%;border-radius:50%;border:2px solid #fff;box-shadow:0 0 0 1px #555;"
            "box-sizing:border-box;display:flex;align-items:center;justify-content:center;font:700 11px/1 "
            "'Noto Sans CJK SC','DejaVu Sans',sans-serif}"
            ".atlas-mark-on{border:3px solid #1b1b1b;box-shadow:0 0 0 2px #fff;font-size:14px}"
            ".atlas-mark-user{border-style:dashed}"
            ".atlas-area-mark{display:flex;align-items:center;justify-content:center;font:700 12px/1 "
            "'Noto Sans CJK SC','DejaVu Sans',sans-serif}"
            ".atlas-area-mark span{transform:rotate(-45deg) scale(1.3)}"
            ".leaflet-container [data-atlas-key]:focus{outline:3px solid #1b1b1b;outline-offset:2px;"
            "box-shadow:0 0 0 6px #fff;border-radius:50%}"
            ".leaflet-container path[data-atlas-key]:focus{outline:none;stroke:#1b1b1b;stroke-width:5px}"
            ".leaflet-container:focus-visible{outline:3px solid #1b1b1b;outline-offset:-3px}</style>"
        )
    )
    BaseLayers(lang).add_to(m)
    # Online tile layers, off by default: nothing is asked of the network unless a reader ticks one.
    _ = translator(lang)
    for name, provider in TILES:
        # The provider object itself: a URL string would make folium search xyzservices' catalogue (~40 ms).
        folium.TileLayer(
            provider, name=_("{name} (online)", name=name), overlay=True, show=False, max_zoom=MAX_ZOOM, opacity=0.9
        ).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return m


# The changing part of the map, as the JavaScript streamlit-folium swaps in on each rerun (its
# "feature group"). It is written here from three fixed templates, not rendered through folium:
# folium recompiles every rendered script as a Jinja template, which cost more than the rest of
# the rerun. Data goes in only through `tojson` (HTML-safe JSON); tooltips are escaped already.
_GROUP = "feature_group_feature_group_0"  # the name streamlit-folium's frontend expects
_AREAS = f"{assets.GEO_URL}/areas.geojson"
_FLOWS_CACHE: dict[tuple, str] = {}

_FLOWS_JS = scripts.template("flows.js")

# The chosen regions' boundaries, drawn while they filter the map: fetched from the static
# regions layer by id, so that their geometry never travels with a filter change.
_REGIONS_JS = scripts.template("regions.js")

# Events as filled circles in a Leaflet.markercluster group. Events at one place (five at
# Khorgos) are clustered and spread out (spiderfied) on click, so each stays clickable; a cluster
# of several places zooms to them. Each circle is filled, so its whole area takes the click.
# The features come inline (`data`) or from the corpus's published static file (`url`), which
# the browser fetches once and keeps; `visible` then says which of its events to show (a bit per
# event, base64). The cluster group is on the map at once, so streamlit-folium binds its click
# handler to it; the markers join it when the file is read.
_EVENTS_JS = scripts.template("events.js")

# Keyboard and screen reader access to what events.js and flows.js drew (it listens for 'atlas:shown').
_KEYBOARD_JS = scripts.template("keyboard.js")


@lru_cache(maxsize=4)
def _keyboard_script(lang: str) -> str:
    """keyboard.js with its texts in `lang` (the same for every run: rendered once per language)."""
    _ = translator(lang)
    text = {
        "at": _("{n} events at {place}"),
        "more": _("{n} events at {places} and {more} other places"),
        "sep": _(", "),
        "count": _("{n} events"),
        "back": _("Back to the map"),
        "map": _("Map of the events: Tab to a marker, Enter or Space to open it; arrow keys pan the map"),
    }
    return _KEYBOARD_JS.render(text=text)


# The view: flies to a newly chosen event, fits a new search's or regions' events (view.js).
_VIEW_JS = scripts.template("view.js")


def event_layer(
    events: list[Event] | Published,
    lang: str,
    date_label=None,
    selected: str | None = None,
    regions: tuple[str, ...] = (),
    flows: list | None = None,
    visible: str | None = None,
    fit: str | None = None,
) -> str:
    """The changing part: the chosen regions' outlines, the flows of the years shown and the events.

    `events` is either a short list of events, sent inline (the presentation's one event), or a
    corpus published as a static file (render.eventfile), with `visible` its mask of the events shown.
    The map flies to `selected` when it is newly chosen, and fits the events shown when `fit` (what the
    search and regions are) changes, and on its first view; otherwise it keeps the reader's pan and zoom.
    With `fit` None the view is left to the page (the presentation sets it by center and zoom).
    Returns the feature group's script for streamlit-folium (ui.mapview.show).
    """
    parts = [
        f"var {_GROUP} = L.featureGroup({{}});",
        "(function(group) {",
        "window.__atlasFiles = window.__atlasFiles || {};",
    ]
    if flows:
        key = (tuple(f.id for f in flows), lang)
        if key not in _FLOWS_CACHE:  # the flows are fixed (geo/flows.yaml): their script too
            _FLOWS_CACHE[key] = _FLOWS_JS.render(flows=_flow_data(flows, lang))
        parts.append(_FLOWS_CACHE[key])
    if regions:
        parts.append(_REGIONS_JS.render(regions=list(regions), url=f"{assets.GEO_URL}/regions.geojson"))
    if isinstance(events, Published):
        parts.append(
            _EVENTS_JS.render(
                selected=selected,
                url=events.url,
                data=events.data,
                own=events.own,
                visible=visible,
                areas_url=_AREAS,
                lang=lang,
            )  # fmt: skip
        )
    elif events:
        data = event_features(events, lang, date_label)
        parts.append(
            _EVENTS_JS.render(
                selected=selected, url=None, data=data, own=None, visible=None, areas_url=_AREAS, lang=lang
            )
        )
    if fit is not None:  # None: the page moves the map itself (the presentation, by center and zoom)
        parts.append(_VIEW_JS.render(selected=selected, fit=fit))
    parts.append(_keyboard_script(lang))
    parts += [
        f"}})({_GROUP});",
        f"map_div.addLayer({_GROUP});",
        "window.feature_group = window.feature_group || [];",
        f"window.feature_group.push({_GROUP});",
    ]
    return "\n".join(parts)


def _flow_data(flows: list, lang: str) -> dict:
    """Flow lines and arrowheads; a click on one opens its first event, a hover names it (escaped)."""
    data = flow_features(flows)
    for f in data["features"]:
        props = f["properties"]
        tip = props["name"].get(lang) or props["name"]["en"]
        f["properties"] = {"id": props["id"], "event": props["events"][0] if props["events"] else None,
                           "tip": esc(tip), "label": esc(tip), "part": props["part"]}  # fmt: skip
    return data


def clicked_event_id(result: dict | None) -> str | None:
    """The event id in what st_folium returned for a click, if the click was on an event."""
    if not result:
        return None
    drawing = result.get("last_active_drawing") or {}
    props = drawing.get("properties") if isinstance(drawing, dict) else None
    if not isinstance(props, dict):
        return None
    for key in ("event", "id"):  # a flow names its event; an event marker is its own
        if isinstance(props.get(key), str):
            return props[key]
    return None
