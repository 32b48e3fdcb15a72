"""Several atlas processes on loopback ports behind nginx with sticky sessions (`deploy/run-cluster.sh N`).

A supervisor watches every process: one that dies is started again on its own port (after a
back-off), nginx (also watched) keeps serving, and no other process is touched.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bench.server import free_port, stop_process

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# nginx's view of a process: one refused or timed-out connection marks it down for this long,
# after which one request tries it again (and goes on to a live process if it still fails).
MAX_FAILS = 1
FAIL_TIMEOUT_S = 5
# The supervisor's back-off: the first restart waits BACKOFF_FIRST_S, each further one in a row
# twice as long, up to BACKOFF_MAX_S. A process that ran STABLE_S before it died starts the count anew.
BACKOFF_FIRST_S = 1.0
BACKOFF_MAX_S = 30.0
STABLE_S = 60.0


def route(i: int) -> str:
    """The name of the i-th process in cookies and nginx pools: b0, b1, …"""
    return f"b{i}"


# Who may show the atlas in a frame (CSP frame-ancestors): this server only, unless the operator names
# a school platform (`--frame-ancestors https://lms.school.example`). No X-Frame-Options: it cannot
# name another site, and browsers that know frame-ancestors ignore it.
FRAME_ANCESTORS = "'self'"
_SOURCE = re.compile(r"'self'|'none'|(https?://)?(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?")


def frame_ancestors(value: str) -> str:
    """The sources, checked one by one (they go into nginx's config and a header): hosts, 'self', 'none'."""
    sources = value.split()
    bad = [s for s in sources if not _SOURCE.fullmatch(s)]
    if not sources or bad or ("'none'" in sources and len(sources) > 1):
        raise ValueError(
            f"frame-ancestors takes 'self', 'none' or hosts like https://lms.school.example, not {value!r}"
        )
    return " ".join(sources)


def nginx_conf(listen: str, backends: list[int], runtime: Path, ancestors: str = FRAME_ANCESTORS) -> str:
    """deploy/nginx.conf with the listen address, the app processes' ports and the runtime folder filled in.

    Two kinds of upstream: `atlas` holds every process and picks one for a new reader by a consistent
    hash of the reader's fresh key; `atlas_bI` is the pool of a reader already on process I: that
    process first, the others as backups, so a reader whose process is down is answered by a live
    one, and the cookie then names the process that answered (`$atlas_served`). Each has a `_body`
    twin for requests with a body, whose processes are never marked down (see nginx.conf).
    """
    blocks = []
    for family, marks in (("", f"max_fails={MAX_FAILS} fail_timeout={FAIL_TIMEOUT_S}s"), ("_body", "max_fails=0")):
        servers = "\n".join(f"        server 127.0.0.1:{port} {marks};" for port in backends)
        blocks.append(f"    upstream atlas{family} {{\n        hash $atlas_node consistent;\n{servers}\n    }}")
        for i in range(len(backends)):
            servers = "\n".join(f"        server 127.0.0.1:{p} {marks}{' backup' * (j != i)};"
                                for j, p in enumerate(backends))  # fmt: skip
            blocks.append(f"    upstream atlas_{route(i)}{family} {{\n{servers}\n    }}")
    upstreams = "\n".join(blocks)
    routes = "\n".join(f'        "~\\.{route(i)}$"  atlas_{route(i)};' for i in range(len(backends)))
    served = "\n".join(f'        "~(^|\\s)127\\.0\\.0\\.1:{port}$"  {route(i)};' for i, port in enumerate(backends))
    text = TEMPLATE.read_text("utf-8")
    fields = (("@LISTEN@", listen), ("@UPSTREAMS@", upstreams), ("@ROUTES@", routes),
              ("@SERVED@", served), ("@FRAME_ANCESTORS@", frame_ancestors(ancestors)),
              ("@RUNTIME@", str(runtime)))  # fmt: skip
    for field, value in fields:
        if field not in text:
            raise ValueError(f"{TEMPLATE} has no {field} to fill in")
        text = text.replace(field, value)
    return text


class Backend:
    """One atlas process (`streamlit run app.py`) on a fixed loopback port, which can be started again.

    What it writes goes to `log` (appended across restarts)."""

    def __init__(self, port: int, log: Path, *, agent_api: bool, env: dict):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.agent_api = agent_api
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.started = 0.0
        self.start()

    def start(self) -> None:
        environ = {k: v for k, v in os.environ.items() if k != "ATLAS_CORPUS"}
        environ.update(self.env)
        agent = ["--server.enableAgentApi", "true", "--server.agentWaitTimeout", "600"] if self.agent_api else []
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(self.port),
                 "--server.address", "127.0.0.1", "--server.headless", "true", *agent],
                cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.started = time.monotonic()

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the process on port {self.port} exited: {self.log_tail()}")
            if self.healthy():
                return
            time.sleep(0.3)
        raise SystemExit(f"the process on port {self.port} did not start in {timeout:.0f} s: {self.log_tail()}")

    def log_tail(self, n: int = 2000) -> str:
        try:
            return self.log.read_bytes()[-n:].decode(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        stop_process(self.proc)


def how_it_ended(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exited with status {returncode}"


class _Watch:
    """The supervisor's record of one process: restarts in a row and when the next may start."""

    def __init__(self):
        self.in_a_row = 0
        self.due: float | None = None


class Cluster:
    """`n` atlas processes (app.py) on free loopback ports, nginx in front of them, and a supervisor.

    The processes share one cookie secret (made here, given through the environment, never on a
    command line), so a token one process signed is good on another. `agent_api=True` turns the
    agent API on for these processes only (the load test); the shipped config keeps it off.
    `listen` is nginx's address, a free loopback port by default. The supervisor (a thread, on
    unless `supervise=False`) restarts a process or nginx that exited, only that one, after a
    back-off, and says so through `say` (default: stderr and `supervisor.log` in the runtime folder).
    """

    def __init__(self, n: int, *, agent_api: bool = False, listen: str | None = None, supervise: bool = True,
                 say: Callable[[str], None] | None = None, ancestors: str = FRAME_ANCESTORS):  # fmt: skip
        if not 1 <= n <= 16:
            raise ValueError("a cluster has 1 to 16 processes")
        if not Path(NGINX).exists():
            raise SystemExit("nginx is not installed: scripts/setup.sh dev installs it (apt-get install nginx)")
        self.backends: list[Backend] = []
        self.nginx: subprocess.Popen | None = None
        self.restarts: list[tuple[str, int]] = []  # (what, new pid), in order
        self._say = say
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None
        self.runtime = Path(tempfile.mkdtemp(prefix="atlas-cluster-"))
        self.runtime.chmod(0o755)  # nginx's workers (a non-root user when started as root) write temp files here
        try:
            env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
            for _ in range(n):
                port = free_port()
                self.backends.append(Backend(port, self.runtime / f"app-{port}.log", agent_api=agent_api, env=env))
            for backend in self.backends:
                backend.wait_healthy()
            self.listen = listen or f"127.0.0.1:{free_port()}"
            self.url = f"http://{self.listen}"
            self.conf = self.runtime / "nginx.conf"
            self.conf.write_text(
                nginx_conf(self.listen, [b.port for b in self.backends], self.runtime, ancestors), "utf-8"
            )
            self.access_log = self.runtime / "access.log"
            check = subprocess.run([NGINX, "-t", "-q", "-p", str(self.runtime), "-c", str(self.conf)],
                                   capture_output=True, text=True)  # fmt: skip
            if check.returncode:
                raise SystemExit(f"nginx rejected {self.conf}: {check.stderr.strip()}")
            self._start_nginx()
            self._wait_healthy()
            if supervise:
                self._supervisor = threading.Thread(target=self._supervise, name="supervisor", daemon=True)
                self._supervisor.start()
        except BaseException:
            self.stop()
            raise

    def _start_nginx(self) -> None:
        with open(self.runtime / "nginx.stderr", "ab") as stderr:
            self.nginx = subprocess.Popen([NGINX, "-p", str(self.runtime), "-c", str(self.conf)],
                                          stdout=subprocess.DEVNULL, stderr=stderr)  # fmt: skip
        self._nginx_started = time.monotonic()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                stderr = (self.runtime / "nginx.stderr").read_text(errors="replace")
                raise SystemExit(f"nginx exited: {stderr[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"nginx at {self.url} did not answer in 30 s; see {self.runtime / 'error.log'}")

    def say(self, line: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} supervisor: {line}"
        with open(self.runtime / "supervisor.log", "a", encoding="utf-8") as log:
            log.write(line + "\n")
        if self._say is not None:
            self._say(line)
        else:
            print(line, file=sys.stderr, flush=True)

    def _supervise(self) -> None:
        """Every half second: whatever exited is started again after its back-off; nothing else is touched."""
        watches = {id(b): _Watch() for b in self.backends}
        watches["nginx"] = _Watch()
        while not self._stopping.wait(0.5):
            # (name, process, started, watch, start, the process now): the last reads the restarted one's pid
            things = [(f"127.0.0.1:{b.port}", b.proc, b.started, watches[id(b)], b.start, lambda b=b: b.proc)
                      for b in self.backends]  # fmt: skip
            things.append(("nginx", self.nginx, self._nginx_started, watches["nginx"], self._start_nginx,
                           lambda: self.nginx))  # fmt: skip
            for name, proc, started, watch, start, current in things:
                if proc.poll() is None:
                    continue
                now = time.monotonic()
                if watch.due is None:
                    if now - started >= STABLE_S:
                        watch.in_a_row = 0
                    delay = min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2**watch.in_a_row)
                    watch.in_a_row += 1
                    watch.due = now + delay
                    self.say(f"{name} (pid {proc.pid}) {how_it_ended(proc.returncode)} after {now - started:.0f} s; "
                             f"restart {watch.in_a_row} in a row in {delay:.0f} s; the others keep serving")  # fmt: skip
                elif now >= watch.due and not self._stopping.is_set():
                    watch.due = None
                    start()
                    new = current()  # the restarted process itself (was the first other backend: a wrong pid)
                    self.restarts.append((name, new.pid))
                    self.say(f"{name} restarted (pid {new.pid})")

    def pids(self) -> list[int]:
        """The app processes and nginx's master (whose workers are its children)."""
        return [b.proc.pid for b in self.backends] + ([self.nginx.pid] if self.nginx else [])

    def stop(self) -> None:
        """Stop the supervisor, nginx and every app process, and remove the runtime folder."""
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join(10)
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.terminate()  # SIGTERM: nginx's fast shutdown, workers included
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait(5)
        for backend in self.backends:
            backend.stop()
        shutil.rmtree(self.runtime, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy/run-cluster.sh", description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, nargs="?", help="how many atlas processes (1 to 16)")
    parser.add_argument("--listen", default=None,
                        help="nginx's address, e.g. 0.0.0.0:8080 for a classroom (default: a free loopback port)")  # fmt: skip
    parser.add_argument("--agent-api", action="store_true",
                        help="turn the agent API on in these processes (for python -m loadtest --url only)")  # fmt: skip
    parser.add_argument("--frame-ancestors", default=FRAME_ANCESTORS, metavar="SOURCES",
                        help="who may embed the atlas in a frame, e.g. \"'self' https://lms.school.example\" "
                             "(default: 'self')")  # fmt: skip
    parser.add_argument("--nginx-conf", type=int, nargs="+", metavar="PORT",
                        help="only print nginx's config for processes already running on these loopback ports "
                             "(a real server: deploy/systemd/); with --listen and --runtime")  # fmt: skip
    parser.add_argument("--runtime", type=Path, default=Path("/var/lib/atlas-nginx"),
                        help="with --nginx-conf: nginx's folder for its pid, logs and temporary files")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        frame_ancestors(args.frame_ancestors)
    except ValueError as exc:
        parser.error(str(exc))
    if args.nginx_conf:
        if not all(0 < p < 65536 for p in args.nginx_conf) or len(set(args.nginx_conf)) != len(args.nginx_conf):
            parser.error("--nginx-conf takes distinct TCP ports")
        print(nginx_conf(args.listen or "127.0.0.1:8080", args.nginx_conf, args.runtime.resolve(),
                         args.frame_ancestors), end="")  # fmt: skip
        return 0
    if args.n is None:
        parser.error("how many atlas processes? e.g. deploy/run-cluster.sh 2")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    cluster = Cluster(args.n, agent_api=args.agent_api, listen=args.listen, ancestors=args.frame_ancestors)
    try:
        ports = ", ".join(str(b.port) for b in cluster.backends)
        print(f"atlas at {cluster.url} (nginx, pid {cluster.nginx.pid}) in front of {args.n} processes on "
              f"127.0.0.1 ports {ports}; logs in {cluster.runtime}; a process that dies is restarted; "
              "Ctrl-C stops them all", flush=True)  # fmt: skip
        while not stop.wait(0.5):
            pass
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
