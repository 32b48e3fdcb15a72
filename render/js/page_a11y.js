// The page's language and its frames' names (ui.a11y): the page's <html lang> follows the interface language (a
// screen reader then reads Chinese as Chinese), and every frame of this origin (the map, the copy-link control, a
// source document) gets a name that says what it holds, and the language of its document. A Jinja template,
// read and compiled once; texts go in only through `tojson`. Runs in the page itself (st.html with scripts).
(function() {
    const state = window.__atlasPage = window.__atlasPage || {};
    state.lang = {{ lang|tojson }};
    state.names = {{ names|tojson }};
    // Streamlit's own words for screen readers and tooltips (aria-label, placeholder, title): in English
    // only, for Streamlit has no translations; `words` holds ours ({} in English).
    state.words = {{ words|tojson }};
    function name(frame) {
        let doc = null;
        try { doc = frame.contentDocument; } catch (e) { doc = null; }  // another origin: left as it is
        if (doc && doc.documentElement) doc.documentElement.lang = state.lang;
        if ((frame.title || '').includes('st_folium')) return state.names.map;
        if (doc && doc.getElementById('copy')) return state.names.copy;
        if (doc && doc.querySelector('mark[id^="x-"], .doc')) return state.names.document;
        return null;
    }
    const ATTRIBUTES = ['aria-label', 'placeholder', 'title'];
    function translated(value) {
        const w = state.words;
        if (!w.exact) return null;
        if (Object.prototype.hasOwnProperty.call(w.exact, value)) return w.exact[value];
        if (value.startsWith('Help for ')) return w.help.replace('{name}', value.slice('Help for '.length));
        for (const [english, ours] of Object.entries(w.ends)) {
            if (value.endsWith(english)) return value.slice(0, -english.length) + ours;
        }
        return null;
    }
    function translate() {
        if (!state.words.exact) return;
        // Streamlit's visible hints: a text box's "Press Enter to apply", the skip link (shown on the first Tab).
        document.querySelectorAll('[data-testid=InputInstructions] > span, [data-testid=stSkipToContent]')
            .forEach(el => {
                const ours = state.words.texts[el.textContent];
                if (ours) el.textContent = ours;
            });
        document.querySelectorAll('[aria-label], [placeholder], [title]').forEach(el => {
            for (const attribute of ATTRIBUTES) {
                const value = el.getAttribute(attribute);
                const ours = value && translated(value);
                if (ours && ours !== value) el.setAttribute(attribute, ours);
            }
        });
    }
    state.apply = function() {
        document.documentElement.lang = state.lang;
        translate();
        document.querySelectorAll('iframe').forEach(frame => {
            const label = name(frame);
            if (label && frame.getAttribute('aria-label') !== label) frame.setAttribute('aria-label', label);
        });
    };
    state.apply();
    if (!state.watch) {
        // Streamlit mounts frames (and their documents load) as runs go: name each as it comes, once a frame.
        let queued = false;
        const later = () => {
            if (queued) return;
            queued = true;
            requestAnimationFrame(() => { queued = false; state.apply(); });
        };
        state.watch = new MutationObserver(later);
        // Streamlit sets its words again as it redraws an element: attributes are watched too (a word once
        // ours is not English, so setting it makes no further change).
        state.watch.observe(document.body, {childList: true, subtree: true, attributes: true,
                                            attributeFilter: ATTRIBUTES});
        document.addEventListener('load', later, true);  // an iframe's document has loaded (load does not bubble)
    }
})();
