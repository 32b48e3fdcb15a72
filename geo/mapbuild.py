"""Building the folium map: a static 1962 base map and an event layer swapped in place."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import folium
import xyzservices
from branca.element import MacroElement
from jinja2 import Template

from events.html import esc
from events.model import Event
from geo import assets
from geo.eventfile import Published, event_features
from geo.gazetteer import load_places
from geo.regions import DATA

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


def layer_problems() -> list[tuple[Path, str]]:
    """(file, why) for each base-map layer that cannot be read: the map is then drawn without it."""
    return [
        (Path(DATA) / f"{name}.geojson", "missing or unreadable; the map is drawn without it")
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
                const minor = !['capital', 'city', 'farm'].includes(f.properties.kind);
                el.className = 'atlas-place' + (crossing ? ' atlas-crossing' : '') + (minor ? ' atlas-minor' : '')
                    + (f.properties.kind === 'city' ? ' atlas-city' : '')
                    + (f.properties.kind === 'farm' ? ' atlas-farm' : '');
                el.textContent = f.properties.name[lang] || f.properties.name.en;
                const farm = f.properties.kind === 'farm';
                const marker = L.marker(latlng, {pane: labelsPane, interactive: farm, keyboard: false,
                    icon: L.divIcon({className: 'atlas-place-icon', html: el, iconSize: [0, 0]})});
                // A farm says where its point comes from (escaped on the server: a tooltip is HTML).
                if (farm) marker.bindTooltip(f.properties.about, {className: 'atlas-tip', direction: 'top'});
                return marker;
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
            ".atlas-area-mark{width:100%;height:100%;transform:rotate(45deg) scale(.72);border:2px solid #fff;"
            "box-shadow:0 0 0 1px #555;box-sizing:border-box}"
            ".atlas-area-on{border:3px solid #1b1b1b;box-shadow:0 0 0 2px #fff}"
            ".atlas-farm{color:#1e5631;font-size:11px}"
            ".atlas-farm:before{border-radius:0;background:#1e8449;width:6px;height:6px}"
            ".atlas-sparse .atlas-farm{font-size:0}.atlas-sparser .atlas-farm{display:none}"
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


# The changing part of the map, as the JavaScript streamlit-folium swaps in on each rerun (its
# "feature group"). It is written here from three fixed templates, not rendered through folium:
# folium recompiles every rendered script as a Jinja template, which cost more than the rest of
# the rerun. Data goes in only through `tojson` (HTML-safe JSON); tooltips are escaped already.
_GROUP = "feature_group_feature_group_0"
_AREAS = f"{assets.GEO_URL}/areas.geojson"
_FLOWS_CACHE: dict[tuple, str] = {}  # the name streamlit-folium's frontend expects

_FLOWS_JS = Template(
    """
    L.geoJson({{ flows|tojson }}, {
        style: () => ({color: '#8e1b10', weight: 7, opacity: 0.75, fillColor: '#8e1b10', fillOpacity: 0.85,
                       lineCap: 'round'}),
        onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.tip,
                                                             {className: 'atlas-tip', sticky: true})
    }).addTo(group);
    """
)

# The chosen regions' boundaries, drawn while they filter the map: fetched from the static
# regions layer by id, so that their geometry never travels with a filter change.
_REGIONS_JS = Template(
    """
    (function() {
        const chosen = {{ regions|tojson }}, url = {{ url|tojson }};
        const load = window.__atlasFiles[url] = window.__atlasFiles[url]
            || fetch(url).then(r => r.ok ? r.json() : null).catch(() => null);
        load.then(data => data && L.geoJson({type: 'FeatureCollection',
                features: data.features.filter(f => chosen.includes(f.properties.id))},
            {interactive: false, style: {color: '#1d3d5c', weight: 2, dashArray: '6 4', fillColor: '#1d3d5c',
                                         fillOpacity: 0.06}}).addTo(group));
    })();
    """
)

# Events as filled circles in a Leaflet.markercluster group. Events at one place (five at
# Khorgos) are clustered and spread out (spiderfied) on click, so each stays clickable; a cluster
# of several places zooms to them. Each circle is filled, so its whole area takes the click.
# The features come inline (`data`) or from the corpus's published static file (`url`), which
# the browser fetches once and keeps; `visible` then says which of its events to show (a bit per
# event, base64). The cluster group is on the map at once, so streamlit-folium binds its click
# handler to it; the markers join it when the file is read.
_EVENTS_JS = Template(
    """
    (function() {
        const selected = {{ selected|tojson }}, url = {{ url|tojson }}, visible = {{ visible|tojson }};
        const cluster = L.markerClusterGroup({maxClusterRadius: 24, spiderfyOnMaxZoom: true,
            showCoverageOnHover: false, spiderfyDistanceMultiplier: 1.6, zoomToBoundsOnClick: false,
            chunkedLoading: true});
        cluster.on('clusterclick', function(e) {
            const markers = e.layer.getAllChildMarkers(), first = markers[0].getLatLng();
            if (markers.every(m => m.getLatLng().equals(first))) { e.layer.spiderfy(); }
            else { e.layer.zoomToBounds({padding: [40, 40], maxZoom: 9}); }
        });
        cluster.addTo(group);
        // The areas of the events shown, shaded from the static areas layer (fetched once). An area that
        // one event alone is drawn on takes the click for it; an area several events share is shading
        // only (its diamonds take the clicks). The selected event's area is drawn strongest.
        function drawAreas(shown) {
            const users = {};
            shown.forEach(f => { if (f.properties.area) (users[f.properties.area] = users[f.properties.area] || []).push(f.properties); });
            if (!Object.keys(users).length) return;
            const chosen = (shown.find(f => f.properties.id === selected) || {properties: {}}).properties.area;
            const areasUrl = {{ areas_url|tojson }};
            const loadAreas = window.__atlasFiles[areasUrl] = window.__atlasFiles[areasUrl]
                || fetch(areasUrl).then(r => r.ok ? r.json() : null).catch(() => null);
            loadAreas.then(adata => {
                if (!adata) return;
                const one = [], shared = [];
                adata.features.filter(f => users[f.properties.id]).forEach(f => {
                    const by = users[f.properties.id];
                    const props = by.length === 1 ? {id: by[0].id, tip: by[0].tip, colour: by[0].colour}
                                                  : {colour: '#5d6d7e'};
                    props.area = f.properties.id;
                    (by.length === 1 ? one : shared).push({type: 'Feature', geometry: f.geometry, properties: props});
                });
                const style = f => {
                    const on = f.properties.area === chosen;
                    return {color: on ? '#1b1b1b' : f.properties.colour, weight: on ? 3 : 1.2, opacity: 0.9,
                            dashArray: on ? null : '5 4', fillColor: f.properties.colour, fillOpacity: on ? 0.28 : 0.1};
                };
                L.geoJson({type: 'FeatureCollection', features: shared}, {interactive: false, style}).addTo(group);
                L.geoJson({type: 'FeatureCollection', features: one}, {style, onEachFeature: (feature, layer) =>
                    layer.bindTooltip(feature.properties.tip, {className: 'atlas-tip', sticky: true})}).addTo(group);
            });
        }
        const load = url ? (window.__atlasFiles[url] = window.__atlasFiles[url] || fetch(url).then(r => r.json()))
                         : Promise.resolve({{ data|tojson }});
        load.then(data => {
            const bits = visible === null ? null : Uint8Array.from(atob(visible), c => c.charCodeAt(0));
            const shown = data.features.filter((f, i) => bits === null || (bits[i >> 3] >> (i & 7)) & 1);
            drawAreas(shown);
            const markers = [];
            L.geoJson({type: 'FeatureCollection', features: shown}, {
                pointToLayer: function(feature, latlng) {
                    const on = feature.properties.id === selected;
                    if (feature.properties.area) {
                        // An event about a whole region: a diamond at the area's label point.
                        const el = document.createElement('div');
                        el.className = 'atlas-area-mark' + (on ? ' atlas-area-on' : '');
                        el.style.background = feature.properties.colour;
                        return L.marker(latlng, {icon: L.divIcon({className: 'atlas-area-icon', html: el,
                            iconSize: on ? [26, 26] : [20, 20]}), keyboard: false});
                    }
                    return L.circleMarker(latlng, {radius: on ? 12 : 9, fill: true, fillOpacity: 0.92,
                        fillColor: feature.properties.colour, color: on ? '#1b1b1b' : '#ffffff',
                        weight: on ? 4 : 2, dashArray: feature.properties.user && !on ? '3 2' : null});
                },
                onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.tip,
                                                                     {className: 'atlas-tip', direction: 'top'})
            }).eachLayer(function(layer) {
                // The selected event stays out of the clusters, so it is always seen, ringed.
                if (layer.feature.properties.id === selected) { layer.addTo(group); } else { markers.push(layer); }
            });
            cluster.addLayers(markers);
            // For tests and the benchmark: the markers are in place.
            window.atlasShown = shown.length; window.atlasRenders = (window.atlasRenders || 0) + 1;
        });
    })();
    """
)


def event_layer(
    events: list[Event] | Published,
    lang: str,
    date_label=None,
    selected: str | None = None,
    regions: tuple[str, ...] = (),
    flows: list | None = None,
    visible: str | None = None,
) -> str:
    """The changing part: the chosen regions' outlines, the flows of the years shown and the events.

    `events` is either a short list of events, sent inline (the presentation's one event), or a
    corpus published as a static file (geo.eventfile), with `visible` its mask of the events shown.
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
            _EVENTS_JS.render(selected=selected, url=events.url, data=events.data, visible=visible, areas_url=_AREAS)
        )
    elif events:
        data = event_features(events, lang, date_label)
        parts.append(_EVENTS_JS.render(selected=selected, url=None, data=data, visible=None, areas_url=_AREAS))
    parts += [
        f"}})({_GROUP});",
        f"map_div.addLayer({_GROUP});",
        "window.feature_group = window.feature_group || [];",
        f"window.feature_group.push({_GROUP});",
    ]
    return "\n".join(parts)


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
