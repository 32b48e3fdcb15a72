"""Several atlas processes behind nginx (deploy/): sticky sessions, websockets, a map in Chromium; the Containerfile."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections import Counter

import pytest
from playwright.sync_api import expect

from deploy.cluster import NGINX, Cluster, nginx_conf
from loadtest.memory import tree
from tests.conftest import ARTIFACTS, ROOT
from tests.test_browser import open_map, settled

LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) .* node=(?P<node>\S+) upstream=(?P<upstream>\S+)'
)


def log_lines(cluster: Cluster) -> list[dict]:
    return [m.groupdict() for m in map(LOG_LINE.search, cluster.access_log.read_text().splitlines()) if m]


def upstreams_of(cluster: Cluster, node: str, at_least: int = 1) -> Counter:
    """Which processes served the requests of this cookie key (nginx logs a request just after answering it)."""
    deadline = time.monotonic() + 10
    while True:
        found = Counter(line["upstream"] for line in log_lines(cluster) if line["node"] == node)
        if found.total() >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def wait_map(page) -> None:
    """The map iframe on this page holds a Leaflet map (as open_map checks, without loading the page)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll("iframe")].some(f => (f.title || "").includes("st_folium")
            && f.contentWindow && f.contentWindow.map && f.contentWindow.document.querySelector(".leaflet-container"))""",
        timeout=60_000,
    )


def key(cookie: str) -> str:
    """The reader's key in an atlas_node cookie (`KEY.bN`): what the access log names as node=."""
    return cookie.split(".", 1)[0]


def get(url: str, cookie: str | None = None):
    request = urllib.request.Request(url, headers={"Cookie": f"atlas_node={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get_all("Set-Cookie") or []


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(2)  # as shipped: the agent API off
    yield c
    c.stop()


def test_config_is_valid_nginx_and_sticky_by_cookie(tmp_path):
    text = nginx_conf("127.0.0.1:1", [2, 3], tmp_path)
    assert not re.search(r"@[A-Z]+@", text), "every field is filled in"
    assert not re.search(r"^\s*ip_hash", text, re.M), "ip_hash sends a whole class behind one NAT to one process"
    assert re.search(r"hash \$atlas_node consistent;", text)
    for line in ("proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection $connection_upgrade;",
                 "proxy_read_timeout 86400;", "proxy_buffering off;", "proxy_http_version 1.1;"):  # fmt: skip
        assert line in text
    upload_mb = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    assert int(re.search(r"client_max_body_size (\d+)m;", text).group(1)) > upload_mb
    (tmp_path / "nginx.conf").write_text(text)
    check = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, check.stderr


def test_new_readers_spread_and_each_stays_on_its_process(cluster):
    cookies = []
    for _ in range(40):
        status, set_cookies = get(f"{cluster.url}/_stcore/health")
        assert status == 200
        cookies += [c.split(";")[0].split("=", 1)[1] for c in set_cookies if c.startswith("atlas_node=")]
    assert len(set(cookies)) == 40, "each new reader gets a key of its own"
    for cookie in cookies[:10]:
        for _ in range(3):
            status, set_cookies = get(f"{cluster.url}/_stcore/health", cookie)
            assert status == 200 and not [c for c in set_cookies if c.startswith("atlas_node=")]
    placed = {
        cookie: upstreams_of(cluster, key(cookie), at_least=4 if i < 10 else 1) for i, cookie in enumerate(cookies)
    }
    assert all(len(where) == 1 for where in placed.values()), f"a reader moved between processes: {placed}"
    load = Counter(next(iter(where)) for where in placed.values())
    backends = {f"127.0.0.1:{b.port}" for b in cluster.backends}
    assert set(load) == backends and min(load.values()) >= 8, f"40 readers spread badly: {load}"


def test_a_forged_cookie_gets_a_fresh_key(cluster):
    status, set_cookies = get(f"{cluster.url}/_stcore/health", "../../etc/passwd")
    assert status == 200 and any(re.match(r"atlas_node=[0-9a-f]{32}\.b[01];", c) for c in set_cookies)
    assert not any("passwd" in c for c in set_cookies)


def test_uploads_up_to_streamlit_limit_pass_nginx(cluster):
    body = b"x" * (4 * 2**20)
    for _ in range(3):
        request = urllib.request.Request(f"{cluster.url}/_stcore/upload_file/s/f", body, method="PUT")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code != 413, "nginx cut a 4 MB upload that Streamlit allows"
        # Streamlit refuses it (403, no XSRF token) without reading the body; nginx, still sending
        # it, may get "Broken pipe" first and answer 502. Either way it must not count against a
        # healthy process, nor try the other one.
        assert refused.value.code in (403, 502)
    assert "temporarily disabled" not in (cluster.runtime / "error.log").read_text(), (
        "a bogus upload marked a healthy process down: any client could cut off the class"
    )
    deadline = time.monotonic() + 10  # nginx logs a request once it is done with it
    while len(uploads := [line for line in log_lines(cluster) if line["path"].startswith("/_stcore/upload_file/")]) < 3:
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(uploads) == 3 and not [u for u in uploads if "," in u["upstream"]], uploads


def test_failover_settings(tmp_path):
    text = nginx_conf("127.0.0.1:1", [2, 3, 4], tmp_path)
    pool = re.search(r"upstream atlas_b1 \{(.*?)\}", text, re.S).group(1)
    assert re.findall(r"server (\S+) max_fails=1 fail_timeout=\d+s( backup)?;", pool) == [
        ("127.0.0.1:2", " backup"),
        ("127.0.0.1:3", ""),
        ("127.0.0.1:4", " backup"),
    ]
    body_pool = re.search(r"upstream atlas_b1_body \{(.*?)\}", text, re.S).group(1)
    assert body_pool.count("max_fails=0") == 3, "requests with a body never mark a process down"
    assert "proxy_next_upstream error timeout;" in text and "non_idempotent" not in text
    upload = re.search(r"location /_stcore/upload_file/ \{(.*?)\}", text, re.S).group(1)
    assert "proxy_next_upstream off;" in upload


def test_nginx_conf_for_a_real_server_is_valid_nginx(tmp_path):
    out = subprocess.run([sys.executable, "-m", "deploy.cluster", "--nginx-conf", "8501", "8502", "--listen",
                          "127.0.0.1:8080", "--runtime", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "server 127.0.0.1:8501 " in out.stdout and "listen 127.0.0.1:8080;" in out.stdout
    (tmp_path / "nginx.conf").write_text(out.stdout)
    check = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, check.stderr
    for unit in ("atlas@.service", "atlas-nginx.service", "atlas.target"):
        assert (ROOT / "deploy" / "systemd" / unit).is_file()


def _node_for_each_backend(cluster: Cluster) -> dict[str, str]:
    """A cookie that nginx maps to each process (found by asking, as browsers would get them)."""
    found: dict[str, str] = {}
    for _ in range(64):
        _status, set_cookies = get(f"{cluster.url}/_stcore/health")
        node = next(c.split(";")[0].split("=", 1)[1] for c in set_cookies if c.startswith("atlas_node="))
        (upstream,) = upstreams_of(cluster, key(node))
        found.setdefault(upstream, node)
        if len(found) == len(cluster.backends):
            return found
    raise AssertionError(f"64 new readers all went to {list(found)}")


@pytest.mark.ops
def test_two_browsers_on_two_processes_with_working_maps_and_websockets(cluster, browser):
    host = cluster.listen.split(":")[0]
    placed = _node_for_each_backend(cluster)
    contexts = []  # (upstream it must stay on, cookie key, browser context)
    try:
        for upstream, node in placed.items():
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            context.add_cookies([{"name": "atlas_node", "value": node, "domain": host, "path": "/"}])
            contexts.append((upstream, node, context))
        fresh = browser.new_context(viewport={"width": 1600, "height": 1000})  # no cookie: nginx gives one
        contexts.append((None, None, fresh))
        for upstream, _node, context in contexts:
            page = context.new_page()
            frame = open_map(page, cluster.url)
            assert frame.evaluate("() => !!window.map")
            # A round trip over the websocket: choosing Chinese reruns the script in this reader's process.
            page.get_by_text("中文", exact=True).click()
            page.get_by_text("语言", exact=True).wait_for(timeout=60_000)
            # The sidebar can change before the page's title does: wait for the title, not a glance at it.
            expect(page.get_by_text("伊塔事件与中苏分裂")).to_be_visible(timeout=60_000)
            settled(page)
            wait_map(page)  # the map is drawn again, in Chinese, without a reload
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"cluster-{upstream or 'fresh'}.png".replace(":", "-")))
        fresh_node = next(c["value"] for c in fresh.cookies() if c["name"] == "atlas_node")
    finally:
        for *_, context in contexts:
            context.close()
    contexts.pop()
    # nginx logs a websocket when it closes: wait for each reader's /_stcore/stream line.
    deadline = time.monotonic() + 15
    nodes = [key(node) for _, node, _ in contexts] + [key(fresh_node)]
    while time.monotonic() < deadline:
        streams = {line["node"] for line in log_lines(cluster) if line["path"].startswith("/_stcore/stream")}
        if set(nodes) <= streams:
            break
        time.sleep(0.3)
    lines = log_lines(cluster)
    for node in nodes:
        mine = [line for line in lines if line["node"] == node]
        assert any(line["path"].startswith("/_stcore/stream") and line["status"] == "101" for line in mine), (
            f"no websocket through nginx for {node}"
        )
        assert len({line["upstream"] for line in mine}) == 1, f"reader {node} moved between processes: {mine}"
    for upstream, node, _ in contexts:
        assert {line["upstream"] for line in lines if line["node"] == key(node)} == {upstream}


@pytest.mark.ops
def test_run_cluster_script_starts_and_stops_everything():
    proc = subprocess.Popen([str(ROOT / "deploy" / "run-cluster.sh"), "1"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        line = proc.stdout.readline()  # the script prints one line when it serves
        url = re.search(r"atlas at (http://127\.0\.0\.1:\d+)", line)
        assert url, f"run-cluster.sh said: {line!r}"
        assert get(f"{url.group(1)}/_stcore/health")[0] == 200
        family = tree([proc.pid])
        assert len(family) >= 3, f"expected the script, an app process and nginx: {family}"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    deadline = time.monotonic() + 10  # the script's trap stops nginx and the app; give them a moment to exit
    while (alive := [pid for pid in family if _alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive, f"processes left running after run-cluster.sh stopped: {alive}"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_containerfile_is_a_well_formed_recipe():
    text = (ROOT / "Containerfile").read_text()
    lines = [line for line in re.sub(r"\\\n", " ", text).splitlines() if line.strip() and not line.startswith("#")]
    instructions = [line.split()[0] for line in lines]
    known = {"FROM", "RUN", "COPY", "WORKDIR", "USER", "ENV", "EXPOSE", "HEALTHCHECK", "CMD", "ARG", "LABEL"}
    assert set(instructions) <= known, set(instructions) - known
    assert lines[0].startswith("FROM python:3.11-slim")
    assert any(re.match(r"RUN .*pip install .*-r requirements\.txt", line) for line in lines)
    assert any(re.match(r"RUN .*python -m geo assets", line) for line in lines), "assets are built into the image"
    user = [line for line in lines if line.startswith("USER ")]
    assert user and user[-1].split()[1] not in ("root", "0"), "the app runs as a non-root user"
    assert instructions.index("USER") < instructions.index("CMD")
    assert any("HEALTHCHECK" in line and "/_stcore/health" in line for line in lines)
    cmd = next(line for line in lines if line.startswith("CMD"))
    assert "streamlit" in cmd and "app.py" in cmd and "0.0.0.0" in cmd and "8501" in cmd
    assert "enableAgentApi" not in text, "the agent API stays off in the image"
    # Everything the image copies exists; .dockerignore keeps the venv, git and test output out.
    for line in lines:
        if line.startswith("COPY") and "--from" not in line:
            for source in line.split()[1:-1]:
                if not source.startswith("--"):
                    assert (ROOT / source).exists(), f"COPY {source}: no such file"
    ignored = (ROOT / ".dockerignore").read_text().split()
    for path in (".venv", ".git", "tests/artifacts", ".streamlit/secrets.toml"):
        assert any(path == p.strip("/") or path.startswith(p.strip("/") + "/") for p in ignored), path
