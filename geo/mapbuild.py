"""Building the folium map: a static 1962 base map and an event layer swapped in place."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import folium
import xyzservices
from branca.element import MacroElement
from folium.utilities import JsCode
from jinja2 import Template

from events.html import esc
from events.model import Event
from geo import assets
from geo.gazetteer import load_places
from geo.regions import DATA

CATEGORY_COLOURS = {
    "flight": "#c0392b",
    "diplomacy": "#2c6fbb",
    "conflict": "#7d3c98",
    "politics": "#b9770e",
    "corps": "#1e8449",
    "treaty": "#17a589",
    "uprising": "#6e2c00",
}

# 1962 political colours: quiet fills so that the event markers carry the eye.
_COUNTRY_FILL = {"ussr": "#f3d9d4", "prc": "#fbf1c7", "mpr": "#e3ecd5"}
_DEFAULT_FILL = "#eeeeea"
_SEA = "#cddfe9"

CENTER = (44.8, 84.0)  # Ili, Tacheng and the Kazakh SSR border
ZOOM = 5
MIN_ZOOM, MAX_ZOOM = 3, 10


_TILES = [
    ("OpenStreetMap (online)", xyzservices.providers.OpenStreetMap.Mapnik),
    ("OpenTopoMap (online)", xyzservices.providers.OpenTopoMap),
    ("Esri World Topo (online)", xyzservices.providers.Esri.WorldTopoMap),
]


class OfflineMap(folium.Map):
    """A folium Map whose scripts and styles come from this server, never a CDN."""

    default_js = [(name, url) for name, url in assets.JS.items()]
    default_css = [(name, url) for name, url in assets.CSS.items()]


@lru_cache(maxsize=8)
def layer(name: str) -> dict:
    """A committed GeoJSON layer from geo/data (empty if missing or unreadable). Shared: do not modify."""
    path = Path(DATA) / f"{name}.geojson"
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if not isinstance(data.get("features"), list):
            raise ValueError("no features")
        return data
    except (OSError, ValueError, AttributeError):
        return {"type": "FeatureCollection", "features": []}


def layer_problems() -> list[str]:
    """One message per base-map layer that cannot be read: the map is then drawn without it."""
    return [
        f"{Path(DATA) / (name + '.geojson')}: missing or unreadable; the map is drawn without it"
        for name in assets.GEO_LAYERS
        if not layer(name)["features"]
    ]


class BaseLayers(MacroElement):
    """The 1962 base map, fetched by the browser from this server's static folder.

    The layers (about 1 MB) then never travel in the map script, which stays small and the
    same from one rerun to the next: streamlit-folium keeps the map, with its pan and zoom.
    Labels are set as text (textContent), never parsed as HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            // No tile layer sets the zoom range here, and markercluster needs one.
            map.setMinZoom({{ this.min_zoom }}); map.setMaxZoom({{ this.max_zoom }});
            function pane(name, z) { map.createPane(name).style.zIndex = z; return name; }
            const countriesPane = pane('atlas-countries', 210), linesPane = pane('atlas-lines', 260),
                  labelsPane = pane('atlas-labels', 390);
            const fills = {{ this.fills|tojson }}, lang = {{ this.lang|tojson }};
            const available = {{ this.available|tojson }};
            function get(name) {
                if (!available.includes(name)) return Promise.resolve(null);
                return fetch({{ this.url|tojson }} + '/' + name + '.geojson').then(r => r.ok ? r.json() : null)
                    .catch(() => null);
            }
            get('countries_1962').then(data => {
                if (!data) return;
                L.geoJson(data, {pane: countriesPane, interactive: false, style: f => ({
                    fillColor: fills[f.properties.id] || {{ this.default_fill|tojson }}, fillOpacity: 1,
                    color: '#8a8a80', weight: 0.8, dashArray: f.properties.disputed ? '4 3' : null})}).addTo(map);
                const points = data.features.filter(f => f.properties.label_point).map(f => ({type: 'Feature',
                    geometry: {type: 'Point', coordinates: f.properties.label_point}, properties: f.properties}));
                L.geoJson({type: 'FeatureCollection', features: points}, {pointToLayer: (f, latlng) => {
                    const el = document.createElement('div');
                    el.textContent = (f.properties.name || {})[lang] || (f.properties.name || {}).en || '';
                    return L.marker(latlng, {pane: labelsPane, interactive: false, keyboard: false,
                        icon: L.divIcon({className: 'atlas-label', html: el, iconSize: [180, 22],
                                         iconAnchor: [90, 11]})});
                }}).addTo(map);
            });
            get('rivers').then(data => data && L.geoJson(data, {pane: linesPane, interactive: false,
                style: f => ({color: '#5b8db8', weight: 3, opacity: 0.9,
                       dashArray: f.properties.inferred ? '2 6' : null})}).addTo(map));
            get('border_sino_soviet').then(data => data && L.geoJson(data, {pane: linesPane, interactive: false,
                style: {color: '#a93226', weight: 2.5, opacity: 0.95, dashArray: '8 5'}}).addTo(map));
            // Towns and crossing points of the gazetteer, as text (textContent), under the event markers.
            L.geoJson({{ this.places|tojson }}, {pointToLayer: (f, latlng) => {
                const el = document.createElement('div'), crossing = f.properties.kind === 'crossing';
                const minor = !['capital', 'city'].includes(f.properties.kind);
                el.className = 'atlas-place' + (crossing ? ' atlas-crossing' : '') + (minor ? ' atlas-minor' : '')
                    + (f.properties.kind === 'city' ? ' atlas-city' : '');
                el.textContent = f.properties.name[lang] || f.properties.name.en;
                return L.marker(latlng, {pane: labelsPane, interactive: false, keyboard: false,
                    icon: L.divIcon({className: 'atlas-place-icon', html: el, iconSize: [0, 0]})});
            }}).addTo(map);
            // Labels crowd each other when zoomed out: towns and crossings from zoom 7, cities from 5.
            const sparse = () => {
                map.getContainer().classList.toggle('atlas-sparse', map.getZoom() < 7);
                map.getContainer().classList.toggle('atlas-sparser', map.getZoom() < 5);
            };
            map.on('zoomend', sparse); sparse();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, lang: str):
        super().__init__()
        self._name = "BaseLayers"
        self.lang = lang
        self.min_zoom, self.max_zoom = MIN_ZOOM, MAX_ZOOM
        self.url = assets.GEO_URL
        self.fills = _COUNTRY_FILL
        self.default_fill = _DEFAULT_FILL
        self.available = [n for n in assets.GEO_LAYERS if (assets.GEO_DATA / f"{n}.geojson").is_file()]
        self.places = place_labels()


# Places drawn on the base map: towns and crossings, not the points that stand for whole regions.
_LABELLED_KINDS = {"capital", "city", "town", "crossing", "island"}


@lru_cache(maxsize=1)
def place_labels() -> dict:
    """The gazetteer's towns and crossing points as GeoJSON (names in both languages)."""
    places, _problems = load_places()
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
         "properties": {"id": p.id, "kind": p.kind, "name": p.name}}
        for p in places.values()
        if p.kind in _LABELLED_KINDS and p.precision != "region"
    ]  # fmt: skip
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
        control_scale=True,
        world_copy_jump=False,
    )
    m.get_root().header.add_child(
        folium.Element(
            f"<style>.leaflet-container{{background:{_SEA};font-family:'Noto Sans CJK SC','Noto Sans',sans-serif}}"
            ".atlas-tip{font-size:15px;width:max-content;max-width:340px;white-space:normal}"
            ".atlas-place{position:absolute;left:-4px;top:-4px;white-space:nowrap;font-size:12px;color:#333;"
            "padding-left:12px;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff}"
            ".atlas-place:before{content:'';position:absolute;left:0;top:2px;width:7px;height:7px;border-radius:50%;"
            "background:#444}"
            ".atlas-sparse .atlas-minor,.atlas-sparser .atlas-city{display:none}"
            ".atlas-crossing{font-weight:700;color:#7b241c}"
            ".atlas-crossing:before{border-radius:0;transform:rotate(45deg);background:#fff;border:2px solid #a93226;"
            "width:6px;height:6px}"
            ".atlas-label div{font-size:13px;font-weight:600;color:#6b6b60;text-align:center;white-space:nowrap;"
            "text-shadow:0 0 3px #fff,0 0 3px #fff;letter-spacing:.03em}</style>"
        )
    )
    BaseLayers(lang).add_to(m)
    # Online tile layers, off by default: nothing is asked of the network unless a reader ticks one.
    for name, provider in _TILES:
        # The provider object itself: a URL string would make folium search xyzservices' catalogue (~40 ms).
        folium.TileLayer(provider, name=name, overlay=True, show=False, max_zoom=MAX_ZOOM, opacity=0.9).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return m


def event_features(events: list[Event], lang: str, date_label) -> dict:
    """The event layer's GeoJSON: only what the map needs; details are looked up on click."""
    features = []
    for e in events:
        tip = f"{e.label(lang)} · {date_label(e)}"
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(e.lon, 4), round(e.lat, 4)]},
                "properties": {"id": e.id, "tip": esc(tip), "colour": CATEGORY_COLOURS.get(e.category, "#555")},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def region_outlines(region_ids: list[str] | tuple[str, ...]) -> dict:
    """The chosen regions' boundaries (from the regions layer), to draw while they filter the map."""
    chosen = set(region_ids or ())
    features = [f for f in layer("regions")["features"] if f["properties"]["id"] in chosen]
    return {"type": "FeatureCollection", "features": features}


def event_layer(
    events: list[Event],
    lang: str,
    date_label,
    selected: str | None = None,
    regions: tuple[str, ...] = (),
    flows: list | None = None,
) -> folium.FeatureGroup:
    """The changing part: the chosen regions' outlines, the flows of the years shown and the events."""
    group = folium.FeatureGroup(name="events")
    if flows:
        folium.GeoJson(
            _flow_data(flows, lang),
            style_function=lambda f: {
                "color": "#8e1b10",
                "weight": 7,
                "opacity": 0.75,
                "fillColor": "#8e1b10",
                "fillOpacity": 0.85,
                "lineCap": "round",
            },  # fmt: skip
            on_each_feature=JsCode(
                "function(feature, layer) {"
                " layer.bindTooltip(feature.properties.tip, {className: 'atlas-tip', sticky: true}); }"
            ),
        ).add_to(group)
    outlines = region_outlines(regions)
    if outlines["features"]:
        folium.GeoJson(
            outlines,
            style_function=lambda f: {
                "color": "#1d3d5c",
                "weight": 2,
                "dashArray": "6 4",
                "fillColor": "#1d3d5c",
                "fillOpacity": 0.06,
            },  # fmt: skip
            interactive=False,
            control=False,
        ).add_to(group)
    data = event_features(events, lang, date_label)
    if data["features"]:
        EventMarkers(data, selected).add_to(group)
    return group


class EventMarkers(MacroElement):
    """Events as filled circles in a Leaflet.markercluster group.

    Events at one place (five at Khorgos) are clustered and spread out (spiderfied) on click, so
    each stays clickable. One GeoJSON layer, not a folium.Marker per event. Each circle is filled,
    so its whole area takes the click; `tip` is escaped already (events.html.esc).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function() {
            const selected = {{ this.selected|tojson }};
            const cluster = L.markerClusterGroup({maxClusterRadius: 24, spiderfyOnMaxZoom: true,
                showCoverageOnHover: false, spiderfyDistanceMultiplier: 1.6, zoomToBoundsOnClick: false});
            // Events at one place spread out where they are; a cluster of several places zooms to them.
            cluster.on('clusterclick', function(e) {
                const markers = e.layer.getAllChildMarkers(), first = markers[0].getLatLng();
                if (markers.every(m => m.getLatLng().equals(first))) { e.layer.spiderfy(); }
                else { e.layer.zoomToBounds({padding: [40, 40], maxZoom: 9}); }
            });
            L.geoJson({{ this.data|tojson }}, {
                pointToLayer: function(feature, latlng) {
                    const on = feature.properties.id === selected;
                    return L.circleMarker(latlng, {radius: on ? 12 : 9, fill: true, fillOpacity: 0.92,
                        fillColor: feature.properties.colour, color: on ? '#1b1b1b' : '#ffffff',
                        weight: on ? 4 : 2});
                },
                onEachFeature: function(feature, layer) {
                    layer.bindTooltip(feature.properties.tip, {className: 'atlas-tip', direction: 'top'});
                }
            }).eachLayer(function(layer) {
                // The selected event stays out of the clusters, so it is always seen, ringed.
                if (layer.feature.properties.id === selected) { layer.addTo({{ this._parent.get_name() }}); }
                else { cluster.addLayer(layer); }
            });
            return cluster;
        })();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, selected: str | None):
        super().__init__()
        self._name = "EventMarkers"
        self.data = data
        self.selected = selected


def _flow_data(flows: list, lang: str) -> dict:
    """Flow lines and arrowheads; a click on one opens its first event, a hover names it (escaped)."""
    from geo.flows import flow_features

    data = flow_features(flows)
    for f in data["features"]:
        props = f["properties"]
        tip = props["name"].get(lang) or props["name"]["en"]
        f["properties"] = {"id": props["id"], "event": props["events"][0] if props["events"] else None,
                           "tip": esc(tip)}  # fmt: skip
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
