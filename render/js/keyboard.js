// Keyboard and screen reader access to the event layer (render.mapbuild.event_layer), after events.js and flows.js
// in the same group: every event marker, cluster and flow arrow is a named button (Tab, or the arrow keys from
// one to the next), Enter or Space opens it as a click does, and after a pick made from the keyboard the focus
// goes to the panel that shows the event, which offers a way back to its marker. A Jinja template, read and
// compiled once; texts go in only through `tojson`, names are set as attributes (never parsed as HTML).
(function() {
    const text = {{ text|tojson }};
    const map = window.map || map_div, container = map.getContainer();
    const fill = (template, values) => template.replace(/\{(\w+)\}/g, (m, k) => k in values ? values[k] : m);
    // The layer's texts come escaped (render.eventfile): read back as text, never parsed as HTML (a
    // textarea's content is text only).
    const decoder = document.createElement('textarea');
    const plain = html => { decoder.innerHTML = html || ''; return decoder.value; };
    let cluster = null, selected = null, pending = null;
    const layerOf = new WeakMap();  // a focusable element -> its layer

    // The map itself: a named region whose own keys (arrows pan, +/- zoom) stay Leaflet's.
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', text.map);

    function clusterName(c) {
        const children = c.getAllChildMarkers(), n = children.length;
        const places = children.map(m => m.feature && plain(m.feature.properties.place));
        if (places[0] && places.every(p => p === places[0])) return fill(text.at, {n: n, place: places[0]});
        // Several places: name them, the places with most events first (up to three, then how many more), never
        // "near" one of them, which would read as if every event were there.
        const counts = new Map();
        places.forEach(p => { if (p) counts.set(p, (counts.get(p) || 0) + 1); });
        const named = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a));
        if (!named.length) return fill(text.count, {n: n});
        const shown = named.slice(0, 3).join(text.sep), more = named.length - 3;
        return more > 0 ? fill(text.more, {n: n, places: shown, more: more}) : fill(text.at, {n: n, place: shown});
    }

    // Make a layer's element a named button: an event's marker, a cluster of this layer's events, or the
    // arrowhead of a flow (its line is drawn for the eye only). Idempotent; re-run whenever icons are remade.
    function decorate(layer) {
        const el = layer.getElement && layer.getElement();
        if (!el) return;
        let name = null;
        const p = layer.feature && layer.feature.properties;
        // A flow's line is the same button as its arrowhead: one stop, not two (Leaflet makes it focusable).
        if (p && p.part === 'line') { el.setAttribute('tabindex', '-1'); return; }
        if (p && p.part === 'head') name = plain(p.label);
        else if (p && !p.part && p.label) name = plain(p.label);
        else if (cluster && L.MarkerCluster && layer instanceof L.MarkerCluster
                 && cluster.hasLayer(layer.getAllChildMarkers()[0])) name = clusterName(layer);
        if (!name) return;
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'button');
        el.setAttribute('aria-label', name);
        el.setAttribute('data-atlas-key', p && p.part ? 'flow' : p ? 'event' : 'cluster');
        if (p && p.id && selected && p.id === selected) el.setAttribute('aria-current', 'true');
        layerOf.set(el, layer);
    }
    const decorateAll = () => { map.eachLayer(decorate); focusPending(); };

    // After a cluster is opened from the keyboard, the focus goes to its first event (or the smaller cluster
    // that now holds it) once the cluster has spread out or the map has zoomed in.
    function focusPending() {
        if (!pending || !cluster) return;
        const shown = cluster.getVisibleParent(pending.first) || (pending.first._map ? pending.first : null);
        if (!shown || shown === pending.from) return;
        decorate(shown);
        const el = shown.getElement && shown.getElement();
        if (el) { pending = null; el.focus(); }
    }

    // The panel beside the map, in the page around this frame (same origin): focused once it shows the event
    // picked from the keyboard, with a button (and Escape) back to that event's marker.
    function focusPanel(id) {
        let doc;
        try { doc = window.parent.document; } catch (e) { return; }  // embedded cross-origin: focus stays
        const find = () => doc.querySelector('.atlas-panel[data-event="' + CSS.escape(id) + '"]');
        const show = panel => {
            const title = panel.querySelector('.atlas-title') || panel;
            title.setAttribute('tabindex', '-1');
            if (!panel.querySelector('.atlas-back')) {
                const back = doc.createElement('button');
                back.type = 'button';
                back.className = 'atlas-back';
                back.textContent = text.back;
                back.style.cssText = 'display:block;margin:.3rem 0 .5rem;padding:.3rem .7rem;font:inherit;'
                    + 'font-size:.9rem;border:1px solid #767676;border-radius:.4rem;background:#fff;color:#1b1b1b;'
                    + 'cursor:pointer';
                back.addEventListener('click', () => backToMap(id));
                title.insertAdjacentElement('afterend', back);
                panel.addEventListener('keydown', e => { if (e.key === 'Escape') { e.preventDefault(); backToMap(id); } });
            }
            title.focus();
        };
        const panel = find();
        if (panel) { show(panel); return; }
        const watch = new MutationObserver(() => { const found = find(); if (found) { watch.disconnect(); show(found); } });
        watch.observe(doc.body, {childList: true, subtree: true});
        setTimeout(() => watch.disconnect(), 20000);  // the run failed or another event was chosen meanwhile
    }

    function backToMap(id) {
        let target = null;
        map.eachLayer(l => {
            if (!target && l.feature && l.feature.properties.id === id && !l.feature.properties.part && l.getElement
                && l.getElement()) target = l;
        });
        if (!target) return;
        decorate(target);
        target.getElement().focus();
    }

    function activate(layer, originalEvent) {
        const p = layer.feature && layer.feature.properties;
        const at = layer.getLatLng ? layer.getLatLng() : layer.getCenter();
        if (!p) {  // a cluster: spread out or zoom in, exactly as a click does (events.js), then focus inside
            pending = {first: layer.getAllChildMarkers()[0], from: layer};
        } else {
            const id = p.part ? p.event : p.id;
            window.__atlasKeyPick = id;
            if (id && id === selected) { window.__atlasKeyPick = null; focusPanel(id); }
        }
        // The click streamlit-folium listens for (on every layer of the map, bubbling from the marker).
        layer.fire('click', {latlng: at, originalEvent: originalEvent}, true);
    }

    // The arrow keys move between the map's buttons, to the nearest in that direction; on the map itself they
    // stay Leaflet's (panning), and nowhere outside the map are they taken.
    function nearest(from, key) {
        const box = from.getBoundingClientRect(), x = box.left + box.width / 2, y = box.top + box.height / 2;
        const dir = {ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1]}[key];
        let best = null, score = Infinity;
        container.querySelectorAll('[data-atlas-key]').forEach(el => {
            if (el === from) return;
            const b = el.getBoundingClientRect(), dx = b.left + b.width / 2 - x, dy = b.top + b.height / 2 - y;
            const along = dx * dir[0] + dy * dir[1], across = Math.abs(dx * dir[1] - dy * dir[0]);
            if (along <= 0) return;
            const s = along + 2 * across;
            if (s < score) { score = s; best = el; }
        });
        return best;
    }

    function onKey(e) {
        const layer = layerOf.get(e.target);
        if (!layer) return;
        if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault(); e.stopPropagation();
            activate(layer, e);
        } else if (e.key.startsWith('Arrow') && !e.altKey && !e.ctrlKey && !e.metaKey) {
            e.preventDefault(); e.stopPropagation();
            const next = nearest(e.target, e.key);
            if (next) next.focus();
        }
    }

    // Markers and clusters get new elements whenever the clusters are remade (a zoom, a spread, more events
    // joining a cluster), not always with an event to say so: name whatever the marker pane gains, once a frame.
    let queued = false;
    const onAdd = e => decorate(e.layer);
    const remade = new MutationObserver(() => {
        if (queued) return;
        queued = true;
        requestAnimationFrame(() => { queued = false; decorateAll(); });
    });
    container.addEventListener('keydown', onKey);
    map.on('layeradd', onAdd);
    remade.observe(map.getPane('markerPane'), {childList: true});
    group.on('remove', () => {  // the next run's layer takes over
        container.removeEventListener('keydown', onKey);
        map.off('layeradd', onAdd);
        remade.disconnect();
    });
    group.on('atlas:shown', e => {
        cluster = e.cluster;
        selected = e.selected && e.selected.feature ? e.selected.feature.properties.id : null;
        cluster.on('animationend spiderfied', focusPending);
        decorateAll();
        // A pick from the keyboard starts one run, which draws this layer: the panel then shows the event.
        const picked = window.__atlasKeyPick;
        window.__atlasKeyPick = null;
        if (selected && picked === selected) focusPanel(selected);
    });
})();
