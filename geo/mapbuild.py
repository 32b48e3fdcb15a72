"""Building the folium map: a static 1962 base map and an event layer swapped in place."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import folium

from events.html import esc
from events.model import Event
from geo import assets
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


class OfflineMap(folium.Map):
    """A folium Map whose scripts and styles come from this server, never a CDN."""

    default_js = [("leaflet", assets.JS["leaflet"]), ("jquery", assets.JS["jquery"])]
    default_css = [("leaflet_css", assets.CSS["leaflet_css"])]


@lru_cache(maxsize=8)
def layer(name: str) -> dict:
    """A committed GeoJSON layer from geo/data (empty if the build has not written it)."""
    path = Path(DATA) / f"{name}.geojson"
    if not path.is_file():
        return {"type": "FeatureCollection", "features": []}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _labelled(collection: dict, lang: str) -> dict:
    """A copy of a layer whose features carry `label`, escaped, in the reader's language."""
    features = []
    for feature in collection["features"]:
        name = feature["properties"].get("name") or {}
        label = name.get(lang) or name.get("en") or ""
        features.append({**feature, "properties": {**feature["properties"], "label": esc(label)}})
    return {"type": "FeatureCollection", "features": features}


def base_map(lang: str = "en", height: int | None = None) -> folium.Map:
    """The static part of the map: the countries of 1962, the Sino-Soviet border, rivers and regions.

    Nothing here depends on the filters, so streamlit-folium keeps the same map (and the
    reader's pan and zoom) while the event layer changes.
    """
    m = OfflineMap(
        location=CENTER,
        zoom_start=ZOOM,
        tiles=None,
        min_zoom=3,
        max_zoom=10,
        control_scale=True,
        world_copy_jump=False,
    )
    m.get_root().header.add_child(
        folium.Element(
            f"<style>.leaflet-container{{background:{_SEA};font-family:'Noto Sans CJK SC','Noto Sans',sans-serif}}"
            ".atlas-tip{font-size:15px;max-width:320px;white-space:normal}</style>"
        )
    )
    countries = layer("countries_1962")
    if countries["features"]:
        folium.GeoJson(
            _labelled(countries, lang),
            name="1962",
            style_function=lambda f: {
                "fillColor": _COUNTRY_FILL.get(f["properties"].get("id"), _DEFAULT_FILL),
                "fillOpacity": 1,
                "color": "#8a8a80",
                "weight": 0.8,
                "dashArray": "4 3" if f["properties"].get("disputed") else None,
            },
            interactive=False,
            control=False,
        ).add_to(m)
    rivers = layer("rivers")
    if rivers["features"]:
        folium.GeoJson(
            rivers,
            style_function=lambda f: {"color": "#5b8db8", "weight": 1.5, "opacity": 0.9},
            interactive=False,
            control=False,
        ).add_to(m)
    border = layer("border_sino_soviet")
    if border["features"]:
        folium.GeoJson(
            border,
            style_function=lambda f: {"color": "#a93226", "weight": 2.5, "opacity": 0.9},
            interactive=False,
            control=False,
        ).add_to(m)
    for feature in countries["features"]:
        _country_label(feature, lang).add_to(m)
    return m


def _country_label(feature: dict, lang: str) -> folium.Marker:
    props = feature["properties"]
    lat, lon = props.get("label_point", [None, None])[::-1] if props.get("label_point") else (None, None)
    if lat is None:
        from shapely.geometry import shape

        point = shape(feature["geometry"]).representative_point()
        lat, lon = point.y, point.x
    name = (props.get("name") or {}).get(lang) or (props.get("name") or {}).get("en", "")
    html = f'<div class="atlas-country">{esc(name)}</div>'
    return folium.Marker(
        (lat, lon),
        icon=folium.DivIcon(
            html=html,
            icon_size=(160, 20),
            icon_anchor=(80, 10),
            class_name="atlas-country-label",
        ),
        interactive=False,
    )


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


def event_layer(events: list[Event], lang: str, date_label, selected: str | None = None) -> folium.FeatureGroup:
    """The changing part: filtered events as one GeoJSON layer of filled, clickable circles."""
    group = folium.FeatureGroup(name="events")
    data = event_features(events, lang, date_label)
    if data["features"]:
        folium.GeoJson(
            data,
            marker=folium.CircleMarker(radius=9, fill=True, fill_opacity=0.9, weight=2),
            style_function=lambda f: {
                "fillColor": f["properties"]["colour"],
                "color": "#1b1b1b" if f["properties"]["id"] == selected else "#ffffff",
                "weight": 4 if f["properties"]["id"] == selected else 2,
                "radius": 12 if f["properties"]["id"] == selected else 9,
            },
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, class_name="atlas-tip", sticky=False),
        ).add_to(group)
    return group


def clicked_event_id(result: dict | None) -> str | None:
    """The event id in what st_folium returned for a click, if the click was on an event."""
    if not result:
        return None
    drawing = result.get("last_active_drawing") or {}
    props = drawing.get("properties") if isinstance(drawing, dict) else None
    if isinstance(props, dict) and isinstance(props.get("id"), str):
        return props["id"]
    return None
