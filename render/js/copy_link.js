// The "copy a link to this view" control (render.copylink): the parent page's address, kept fresh, copied
// on a click; with a `query`, the page's own address (as the browser sees it) followed by that query. A
// Jinja template, read and compiled once; labels and the query go in only through `tojson`.
const url = document.getElementById('url'), button = document.getElementById('copy');
const query = {{ query|tojson }}, here = window.parent.location;
// Without `mine` (ui.restart's mark of a session holding uploads): it is this browser's, not the view's.
const shared = () => { const u = new URL(here.href); u.searchParams.delete('mine'); return u.href; };
const refresh = () => { url.value = query === null ? shared() : here.origin + here.pathname + query; };
refresh(); setInterval(refresh, 1000);
button.onclick = async () => {
    refresh(); url.select();
    try { await navigator.clipboard.writeText(url.value); }
    catch (e) { document.execCommand('copy'); }
    button.textContent = {{ copied|tojson }};
    setTimeout(() => button.textContent = {{ copy_label|tojson }}, 1500);
};
