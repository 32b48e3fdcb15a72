// The 1962 base map (render.mapbuild.BaseLayers), a Jinja template rendered once per language: `this` is the
// BaseLayers element; its data go in only through `tojson`.
(function(map) {
    // No tile layer sets the zoom range here, and markercluster needs one.
    map.setMinZoom({{ this.min_zoom }}); map.setMaxZoom({{ this.max_zoom }});
    function pane(name, z) { map.createPane(name).style.zIndex = z; return name; }
    // Names of countries, towns and crossings above the event markers and clusters (600), under the tooltips
    // (650): a name stays readable where events crowd. They take no clicks (CSS), so a marker under a name is
    // still clicked. The farms, which answer a pointer, stay under the markers.
    const countriesPane = pane('atlas-countries', 210), linesPane = pane('atlas-lines', 260),
          farmsPane = pane('atlas-farms', 390), labelsPane = pane('atlas-labels', 620);
    // Leaflet focuses the map on a mouse press (for its keyboard): where the map is taller than what the
    // window shows of it (a 1024x768 projector), that focus scrolled the page, and the release landed
    // elsewhere: the first click on a marker was lost. The map takes the focus without moving the page.
    const container = map.getContainer(), focus = container.focus;
    container.focus = function(options) { return focus.call(this, Object.assign({preventScroll: true}, options)); };
    // The scale, metric only (one line, not two), small and click-through: it hides less of the map.
    L.control.scale({imperial: false, maxWidth: 90, position: 'bottomleft'}).addTo(map);
    // Leaflet's controls in the reader's language: after this script, once the layer list is on the map too.
    const controls = {{ this.controls|tojson }};
    setTimeout(() => {
        const named = {'zoom-in': '.leaflet-control-zoom-in', 'zoom-out': '.leaflet-control-zoom-out',
                       'layers': '.leaflet-control-layers-toggle'};
        Object.entries(named).forEach(([key, selector]) => {
            const el = map.getContainer().querySelector(selector);
            if (el) { el.title = controls[key]; el.setAttribute('aria-label', controls[key]); }
        });
        // The attribution's link to Leaflet says what Leaflet is, in English, when pointed at.
        const leaflet = map.getContainer().querySelector('.leaflet-control-attribution a[title]');
        if (leaflet) leaflet.title = controls.leaflet;
    }, 0);
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
        const marker = L.marker(latlng, {pane: farm ? farmsPane : labelsPane, interactive: farm, keyboard: false,
            icon: L.divIcon({className: 'atlas-place-icon', html: el, iconSize: [0, 0]})});
        // Kept for view.js, which names the chosen event's place whatever the zoom.
        (window.atlasPlaceLabels = window.atlasPlaceLabels || []).push({at: latlng, el: el});
        // A farm says where its point comes from (escaped on the server: a tooltip is HTML).
        if (farm) marker.bindTooltip(f.properties.about, {className: 'atlas-tip', direction: 'top'});
        return marker;
    }}).addTo(map);
    // Labels crowd each other when zoomed out: towns and crossings from zoom 7, cities from 5, countries' names
    // smaller below 3.
    const sparse = () => {
        map.getContainer().classList.toggle('atlas-sparse', map.getZoom() < 7);
        map.getContainer().classList.toggle('atlas-sparser', map.getZoom() < 5);
        map.getContainer().classList.toggle('atlas-sparsest', map.getZoom() < 3);
    };
    map.on('zoomend', sparse); sparse();
})({{ this._parent.get_name() }});
