// The chosen regions' outlines (render.mapbuild.event_layer), fetched from the static regions layer by id.
// A Jinja template, read and compiled once; data go in only through `tojson`.
(function() {
    const chosen = {{ regions|tojson }}, url = {{ url|tojson }};
    const load = window.__atlasFiles[url] = window.__atlasFiles[url]
        || fetch(url).then(r => r.ok ? r.json() : null).catch(() => null);
    load.then(data => data && L.geoJson({type: 'FeatureCollection',
            features: data.features.filter(f => chosen.includes(f.properties.id))},
        {interactive: false, style: {color: '#1d3d5c', weight: 2, dashArray: '6 4', fillColor: '#1d3d5c',
                                     fillOpacity: 0.06}}).addTo(group));
})();
