// The Present page's keys (render.projector.keys_script), run in the page itself, installed once per
// browser tab and acting only while the page shows a slide: a clicker's keys move through the lesson
// (by clicking the page's own buttons), F (or the button) toggles full screen, B or . blanks the screen
// until any key or a click. No key acts while the reader types in a field or holds Ctrl, Alt or Meta.
(function () {
    const labels = {{ labels|tojson }};
    window.atlasPresentLabels = labels;
    if (window.atlasPresentKeys) return;
    const NEXT = ['ArrowRight', 'ArrowDown', 'PageDown'], PREV = ['ArrowLeft', 'ArrowUp', 'PageUp'];
    const TYPING = 'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="textbox"]';
    const root = document.documentElement;
    const onSlide = () => document.querySelector('.atlas-present') !== null;
    const click = (key) => {
        const button = document.querySelector(`.st-key-${key} button`);
        if (button && !button.disabled) button.click();
    };
    function full(on) {
        root.classList.toggle('atlas-full', on);
        document.querySelectorAll('.atlas-full-button').forEach(b => b.setAttribute('aria-pressed', String(on)));
        // The browser's own full screen as well, where it is allowed (not in every embedding frame):
        // the CSS alone already leaves nothing but the slide in the window.
        if (on && !document.fullscreenElement && root.requestFullscreen) root.requestFullscreen().catch(() => null);
        if (!on && document.fullscreenElement) document.exitFullscreen().catch(() => null);
    }
    function blank(on) {
        const shown = document.getElementById('atlas-blank');
        if (on && !shown) {
            const cover = document.createElement('div');
            cover.id = 'atlas-blank';
            cover.setAttribute('aria-label', window.atlasPresentLabels.blank);
            cover.setAttribute('role', 'img');
            cover.addEventListener('click', () => blank(false));
            document.body.appendChild(cover);
        } else if (!on && shown) {
            shown.remove();
        }
    }
    // One action for a key, from this page or from the map's frame (which forwards the clicker's keys).
    function act(key) {
        if (NEXT.includes(key)) click('next');
        else if (PREV.includes(key)) click('prev');
        else if (key === 'f' || key === 'F') full(!root.classList.contains('atlas-full'));
        else if (key === 'b' || key === 'B' || key === '.') blank(true);
        else if (key === 'Escape') full(false);
        else return false;
        return true;
    }
    window.atlasPresentKey = (key) => onSlide() && act(key);
    window.addEventListener('keydown', (e) => {
        if (!onSlide()) {
            root.classList.remove('atlas-full');
            return;
        }
        if (document.getElementById('atlas-blank')) {  // any key brings the slide back, and does nothing else
            blank(false);
            e.preventDefault(); e.stopImmediatePropagation();
            return;
        }
        if (e.ctrlKey || e.altKey || e.metaKey || (e.target.closest && e.target.closest(TYPING))) return;
        if (act(e.key)) { e.preventDefault(); e.stopImmediatePropagation(); }
    }, true);
    document.addEventListener('click', (e) => {
        if (e.target.closest && e.target.closest('.atlas-full-button')) full(!root.classList.contains('atlas-full'));
    });
    // Leaving the browser's full screen (its own Escape) leaves the slide's as well.
    document.addEventListener('fullscreenchange', () => { if (!document.fullscreenElement) full(false); });
    window.atlasPresentKeys = true;
})();
