// The lesson built in this session is kept only in the server's memory for this tab: reloading or closing the
// tab before it is downloaded loses it. The browser then asks first ("Leave site? Changes you made may not be
// saved.", in its own words: a page cannot set them). Set on every run from ui.lesson.unsaved(); a Jinja
// template, read and compiled once; the flag goes in only through `tojson`. Runs in the page itself.
(function() {
    window.__atlasUnsaved = {{ unsaved|tojson }};
    if (window.__atlasUnsavedGuard) return;
    window.__atlasUnsavedGuard = true;
    window.addEventListener('beforeunload', (e) => {
        if (!window.__atlasUnsaved) return;
        e.preventDefault();
        e.returnValue = '';  // what older Chromium needs to ask
    });
})();
