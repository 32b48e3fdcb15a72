// The "copy a link to this view" control (render.copylink): the parent page's address, kept fresh, copied
// on a click. A Jinja template, read and compiled once; labels go in only through `tojson`.
const url = document.getElementById('url'), button = document.getElementById('copy');
const refresh = () => { url.value = window.parent.location.href; };
refresh(); setInterval(refresh, 1000);
button.onclick = async () => {
    refresh(); url.select();
    try { await navigator.clipboard.writeText(url.value); }
    catch (e) { document.execCommand('copy'); }
    button.textContent = {{ copied|tojson }};
    setTimeout(() => button.textContent = {{ copy_label|tojson }}, 1500);
};
