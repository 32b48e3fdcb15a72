// The Present page's map frame (render.projector.map_fill_script, run with the event layer): the map fills
// the frame, whose height the page's CSS sets from the window; the clicker's keys that the map does not
// use itself go to the page (a click on the map puts the keyboard's focus in this frame).
(function () {
    const div = document.getElementById('map_div');
    if (div && div.style.height !== '100vh') {
        div.style.height = '100vh';
        document.body.style.overflow = 'hidden';
        window.map.invalidateSize();
    }
    if (window.atlasForwardsKeys) return;
    window.atlasForwardsKeys = true;
    document.addEventListener('keydown', (e) => {
        if (e.ctrlKey || e.altKey || e.metaKey || !['PageDown', 'PageUp', 'f', 'F', 'b', 'B', '.'].includes(e.key)) return;
        const act = window.parent && window.parent.atlasPresentKey;
        if (act && act(e.key)) e.preventDefault();
    });
})();
