// The view (render.mapbuild.event_layer, after events.js): the chosen event in sight, and the map fitted to the
// events shown. A Jinja template, read and compiled once; data go in only through `tojson`.
// The map moves only when what it answers changes: a newly chosen event (fly to it), a new search or choice of
// regions, or the map's first view (fit the events shown). Any other rerun (the years, play) leaves the reader's
// own pan and zoom alone. What was last answered is kept in the frame's window, which lives as long as the map.
(function() {
    const selected = {{ selected|tojson }}, fit = {{ fit|tojson }};
    // Room for the controls: the zoom buttons (top left), the layers (top right) and the scale (bottom left).
    // The scale is kept clear of markers too: 50 px at the bottom holds a cluster's icon above it.
    const padding = {paddingTopLeft: [46, 40], paddingBottomRight: [40, 50]};
    // Moves the map, with `moving` true until it stands still (for tests: they wait on it, never on a clock).
    function move(map, how) {
        window.atlasView.moving = true; window.atlasView.moves += 1;
        map.once('moveend', () => { window.atlasView.moving = false; });
        how();
    }
    group.on('atlas:shown', function(e) {
        const map = map_div, last = window.atlasView;
        // A chosen event that is not shown (out of the years) is answered once it is.
        window.atlasView = {selected: e.selected || !last ? selected : last.selected, fit: fit,
                            moves: last ? last.moves : 0, moving: last ? last.moving : false};
        const newlyChosen = e.selected && (!last || last.selected !== selected);
        if (newlyChosen) {
            // Drawn out of the clusters and ringed (events.js): bring it into the middle of the map, close enough
            // to tell it from its neighbours, unless it is already well inside the reader's view.
            const at = e.selected.getLatLng(), inner = map.getBounds().pad(-0.15);
            if (!last || !inner.contains(at) || map.getZoom() < 6) {
                const zoom = Math.max(map.getZoom(), 6);
                move(map, () => last ? map.flyTo(at, zoom, {duration: 0.8}) : map.setView(at, zoom, {animate: false}));
            }
            showPanel();
        } else if (!last || last.fit !== fit) {
            const points = e.shown.filter(f => f.geometry && f.geometry.type === 'Point')
                .map(f => L.GeoJSON.coordsToLatLng(f.geometry.coordinates));
            const bounds = L.latLngBounds(points);
            const options = Object.assign({maxZoom: 8, animate: !!last}, padding);
            if (bounds.isValid()) move(map, () => map.fitBounds(bounds, options));
        }
    });
    // On a phone the event's panel is under the map (Streamlit stacks the columns): scroll it into view. On a
    // wider screen the panel stands beside the map: an event chosen from the list under it brings the map (and
    // so the panel) back into view. The page is this server's, the map's frame too, so the frame may reach its
    // parent.
    function showPanel() {
        let parent = null;
        try { parent = window.parent.document; } catch (err) { return; }  // embedded elsewhere: leave it
        if (window.parent.innerWidth >= 640) {
            const frame = window.frameElement, r = frame ? frame.getBoundingClientRect() : null;
            if (r && (r.top < 0 || r.top > window.parent.innerHeight * 0.6)) {
                frame.style.scrollMarginTop = '4rem';  // below Streamlit's header bar
                frame.scrollIntoView({behavior: 'smooth', block: 'start'});
            }
            return;
        }
        let tries = 0;
        (function look() {
            const panel = parent.querySelector('.atlas-panel[data-event="' + CSS.escape(selected) + '"]');
            if (panel) { panel.scrollIntoView({behavior: 'smooth', block: 'start'}); return; }
            if (++tries < 50) setTimeout(look, 100);  // the panel arrives with the same run as the map
        })();
    }
})();
