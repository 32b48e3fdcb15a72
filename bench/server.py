"""A Streamlit server on a free loopback port, driven through its agent API (for the benchmark and load test)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from loadtest.client import AgentClient

ROOT = Path(__file__).resolve().parent.parent


def stop_process(proc: subprocess.Popen | None) -> None:
    """Stop a server process: SIGTERM, up to 15 s to finish, then SIGKILL (for the benchmark's servers
    and the cluster's app processes alike)."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Streamlit server for one app on a free loopback port, with the agent API on unless `agent_api=False`.

    The agent API is turned on by a command-line flag for this process only: the shipped
    `.streamlit/config.toml` keeps it off. `env` adds environment variables (e.g. a shared cookie secret).
    Used by the benchmark, the load test, the nginx recipe and the browser tests.
    """

    def __init__(
        self,
        app: Path,
        corpus: Path | None,
        *,
        agent_api: bool = True,
        env: dict | None = None,
        log: Path | None = None,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environ = {k: v for k, v in os.environ.items() if k != "ATLAS_CORPUS"}
        environ.update(env or {})
        if corpus:
            environ["ATLAS_CORPUS"] = str(corpus)
        agent = ["--server.enableAgentApi", "true", "--server.agentWaitTimeout", "600"] if agent_api else []
        # What the server writes goes to `log` (kept, e.g. for a failed test), else to a temporary file.
        self.log = open(log, "w+b") if log else tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", *agent],
            cwd=ROOT, env=environ, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{app.name} exited: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        tail = self.log_tail()
        self.stop()
        raise SystemExit(f"{app.name} did not start in 90 s: {tail}")

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far, all its threads (ended ones too), user and system.

        Linux's /proc/PID/stat: counted in clock ticks (1/100 s), but their sum is the scheduler's exact
        run time, so a difference over many reruns is exact to a tick."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime

    def log_tail(self, n: int = 2000) -> str:
        """The last `n` characters the server wrote (stdout and stderr)."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-n:]

    def interact(self, body: dict) -> dict:
        """One agent-API interaction (loadtest.client, which collects a long first run's 202); the app
        raising is fatal here."""
        answer = AgentClient(self.url, timeout=900).interact(body, time.monotonic() + 900)
        if answer.get("status") == "error":
            raise SystemExit(f"the app raised: {json.dumps(answer)[:2000]}")
        return answer

    def stop(self) -> None:
        stop_process(self.proc)
        self.log.close()
