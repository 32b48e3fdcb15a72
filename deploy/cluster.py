"""Several atlas processes on loopback ports behind nginx with sticky sessions (`deploy/run-cluster.sh N`)."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.server import Server, free_port

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_conf(listen: str, backends: list[int], runtime: Path) -> str:
    """deploy/nginx.conf with the listen address, the app processes' ports and the runtime folder filled in."""
    upstreams = "\n".join(f"        server 127.0.0.1:{port} max_fails=0;" for port in backends)
    text = TEMPLATE.read_text("utf-8")
    for field, value in (("@LISTEN@", listen), ("@UPSTREAMS@", upstreams), ("@RUNTIME@", str(runtime))):
        if field not in text:
            raise ValueError(f"{TEMPLATE} has no {field} to fill in")
        text = text.replace(field, value)
    return text


class Cluster:
    """`n` atlas processes (app.py) on free loopback ports, and nginx in front of them.

    The processes share one cookie secret (made here, given through the environment, never on a
    command line), so a token one process signed is good on another. `agent_api=True` turns the
    agent API on for these processes only (the load test); the shipped config keeps it off.
    `listen` is nginx's address, a free loopback port by default.
    """

    def __init__(self, n: int, *, agent_api: bool = False, listen: str | None = None):
        if not 1 <= n <= 16:
            raise ValueError("a cluster has 1 to 16 processes")
        if not Path(NGINX).exists():
            raise SystemExit("nginx is not installed: scripts/setup.sh dev installs it (apt-get install nginx)")
        self.backends: list[Server] = []
        self.nginx: subprocess.Popen | None = None
        self.runtime = Path(tempfile.mkdtemp(prefix="atlas-cluster-"))
        self.runtime.chmod(0o755)  # nginx's workers (a non-root user when started as root) write temp files here
        try:
            env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
            for _ in range(n):
                self.backends.append(Server(ROOT / "app.py", None, agent_api=agent_api, env=env))
            self.listen = listen or f"127.0.0.1:{free_port()}"
            self.url = f"http://{self.listen}"
            conf = self.runtime / "nginx.conf"
            conf.write_text(nginx_conf(self.listen, [b.port for b in self.backends], self.runtime), "utf-8")
            self.access_log = self.runtime / "access.log"
            check = subprocess.run([NGINX, "-t", "-q", "-p", str(self.runtime), "-c", str(conf)],
                                   capture_output=True, text=True)  # fmt: skip
            if check.returncode:
                raise SystemExit(f"nginx rejected {conf}: {check.stderr.strip()}")
            self.nginx = subprocess.Popen([NGINX, "-p", str(self.runtime), "-c", str(conf)],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                raise SystemExit(f"nginx exited: {self.nginx.stderr.read().decode(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"nginx at {self.url} did not answer in 30 s; see {self.runtime / 'error.log'}")

    def pids(self) -> list[int]:
        """The app processes and nginx's master (whose workers are its children)."""
        return [b.proc.pid for b in self.backends] + ([self.nginx.pid] if self.nginx else [])

    def stop(self) -> None:
        """Stop nginx and every app process, and remove the runtime folder."""
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
    parser = argparse.ArgumentParser(prog="deploy/run-cluster.sh", description=__doc__)
    parser.add_argument("n", type=int, help="how many atlas processes (1 to 16)")
    parser.add_argument("--listen", default=None,
                        help="nginx's address, e.g. 0.0.0.0:8080 for a classroom (default: a free loopback port)")  # fmt: skip
    parser.add_argument("--agent-api", action="store_true",
                        help="turn the agent API on in these processes (for python -m loadtest --url only)")  # fmt: skip
    args = parser.parse_args(argv)
    stop = False

    def on_signal(signum, frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    cluster = Cluster(args.n, agent_api=args.agent_api, listen=args.listen)
    try:
        ports = ", ".join(str(b.port) for b in cluster.backends)
        print(f"atlas at {cluster.url} (nginx, pid {cluster.nginx.pid}) in front of {args.n} processes on "
              f"127.0.0.1 ports {ports}; logs in {cluster.runtime}; Ctrl-C stops them all", flush=True)  # fmt: skip
        while not stop:
            dead = [b.port for b in cluster.backends if b.proc.poll() is not None]
            if dead or cluster.nginx.poll() is not None:
                print(f"stopping: {'nginx' if not dead else f'the process on port {dead[0]}'} exited", file=sys.stderr)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
