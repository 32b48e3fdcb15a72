// The 1962 flows (render.mapbuild.event_layer): lines and arrowheads, each naming its first event.
// A Jinja template, read and compiled once; data go in only through `tojson`.
L.geoJson({{ flows|tojson }}, {
    style: () => ({color: '#8e1b10', weight: 7, opacity: 0.75, fillColor: '#8e1b10', fillOpacity: 0.85,
                   lineCap: 'round'}),
    onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.tip,
                                                         {className: 'atlas-tip', sticky: true})
}).addTo(group);
