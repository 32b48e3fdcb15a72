// The events (render.mapbuild.event_layer): round marks and area diamonds, each with its category's glyph, in a
// markercluster group.
// A Jinja template, read and compiled once; data go in only through `tojson`.
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
    // The areas of the events shown, shaded from the static areas layer (fetched once). Shading only: an
    // area never takes a click (China's would take every click that misses a marker), its event's diamond
    // does. An area one shown event speaks of has that event's colour; one several share is grey. The
    // selected event's area is drawn strongest, the others lightly, so that overlapping areas stay readable.
    function drawAreas(shown) {
        const users = {};
        shown.forEach(f => { if (f.properties.area) (users[f.properties.area] = users[f.properties.area] || []).push(f.properties); });
        if (!Object.keys(users).length) return;
        const chosen = (shown.find(f => f.properties.id === selected) || {properties: {}}).properties.area;
        const areasUrl = {{ areas_url|tojson }}, lang = {{ lang|tojson }};
        const loadAreas = window.__atlasFiles[areasUrl] = window.__atlasFiles[areasUrl]
            || fetch(areasUrl).then(r => r.ok ? r.json() : null).catch(() => null);
        loadAreas.then(adata => {
            if (!adata) return;
            const features = adata.features.filter(f => users[f.properties.id]).map(f => {
                const by = users[f.properties.id];
                return {type: 'Feature', geometry: f.geometry,
                        properties: {area: f.properties.id, colour: by.length === 1 ? by[0].colour : '#5d6d7e'}};
            });
            const style = f => {
                const on = f.properties.area === chosen;
                return {color: on ? '#1b1b1b' : f.properties.colour, weight: on ? 3 : 1, opacity: on ? 0.9 : 0.6,
                        dashArray: on ? null : '5 4', fillColor: f.properties.colour, fillOpacity: on ? 0.28 : 0.06};
            };
            L.geoJson({type: 'FeatureCollection', features}, {interactive: false, style}).addTo(group);
            // The chosen event's area is named beside its diamond, at any zoom, as a chosen town is.
            const named = adata.features.find(f => f.properties.id === chosen);
            if (named && named.properties.label_point) {
                const el = document.createElement('div');
                el.className = 'atlas-place atlas-here atlas-area-name';
                el.textContent = named.properties.name[lang] || named.properties.name.en;
                const [lon, lat] = named.properties.label_point;
                L.marker([lat, lon], {pane: 'atlas-labels', interactive: false, keyboard: false,
                    icon: L.divIcon({className: 'atlas-place-icon', html: el, iconSize: [0, 0]})}).addTo(group);
            }
        });
    }
    // The selected event's layer (drawn in the group itself, out of the clusters), or null.
    function chosenLayer(g, id) {
        let found = null;
        g.eachLayer(l => { if (l.feature && l.feature.properties.id === id) found = l; });
        return found;
    }
    // The corpus's events (its published file, or inline), then the reader's own: always inline, never a file.
    const data = {{ data|tojson }};
    const own = {{ own|tojson }};
    const base = url ? (window.__atlasFiles[url] = window.__atlasFiles[url] || fetch(url).then(r => r.json()))
                     : Promise.resolve(data || {features: []});
    const load = own ? base.then(d => ({features: d.features.concat(own.features)})) : base;
    load.then(data => {
        const bits = visible === null ? null : Uint8Array.from(atob(visible), c => c.charCodeAt(0));
        const shown = data.features.filter((f, i) => bits === null || (bits[i >> 3] >> (i & 7)) & 1);
        drawAreas(shown);
        const markers = [];
        L.geoJson({type: 'FeatureCollection', features: shown}, {
            pointToLayer: function(feature, latlng) {
                const p = feature.properties, on = p.id === selected;
                // A marker is an HTML element (focusable: render/js/keyboard.js) with its category's glyph
                // on its colour, so that colour is never the only sign of the category.
                const el = document.createElement('div');
                el.style.background = p.colour;
                el.style.color = p.ink || '#fff';
                if (p.area) {
                    // An event about a whole region: a diamond at the area's label point (its glyph upright).
                    el.appendChild(document.createElement('span')).textContent = p.glyph || '';
                    el.className = 'atlas-area-mark' + (on ? ' atlas-area-on' : '');
                    return L.marker(latlng, {icon: L.divIcon({className: 'atlas-area-icon', html: el,
                        iconSize: on ? [30, 30] : [24, 24]}), keyboard: false, zIndexOffset: on ? 1000 : 0});
                }
                el.textContent = p.glyph || '';
                el.className = 'atlas-mark' + (on ? ' atlas-mark-on' : '') + (p.user ? ' atlas-mark-user' : '');
                // The selected event is drawn above any other at its point.
                return L.marker(latlng, {icon: L.divIcon({className: 'atlas-event-icon', html: el,
                    iconSize: on ? [28, 28] : [20, 20]}), keyboard: false, zIndexOffset: on ? 1000 : 0});
            },
            onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.tip,
                                                                 {className: 'atlas-tip', direction: 'top'})
        }).eachLayer(function(layer) {
            // The selected event stays out of the clusters, so it is always seen, ringed.
            if (layer.feature.properties.id === selected) { layer.addTo(group); } else { markers.push(layer); }
        });
        cluster.addLayers(markers);
        // The chosen event's place is named at any zoom (below zoom 7 a town's name is hidden otherwise), on
        // the map page and on a slide alike.
        const chosen = chosenLayer(group, selected), here = chosen ? chosen.getLatLng() : null;
        (window.atlasPlaceLabels || []).forEach(p => p.el.classList.toggle('atlas-here', !!here && p.at.equals(here)));
        // For the scripts after this one in the group (the view's fit and fly-to, the keyboard): the markers
        // are in place. They listen with group.on('atlas:shown', ...) before this promise resolves.
        group.fire('atlas:shown', {cluster: cluster, markers: markers, shown: shown,
                                   selected: chosen});
        // For tests and the benchmark: the markers are in place.
        window.atlasShown = shown.length; window.atlasRenders = (window.atlasRenders || 0) + 1;
    });
})();
