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

ROOT = Path(__file__).resolve().parent.parent


class Server:
    """A Streamlit server for one app on a free loopback port, with the agent API on (bench only)."""

    def __init__(self, app: Path, corpus: Path | None):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "ATLAS_CORPUS"}
        if corpus:
            env["ATLAS_CORPUS"] = str(corpus)
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--server.enableAgentApi", "true",
             "--server.agentWaitTimeout", "600"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"{app.name} exited: {self.log.read().decode(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"{app.name} did not start in 90 s")

    def interact(self, body: dict) -> dict:
        """One agent-API interaction; waits out a long first run (202) by collecting it."""
        while True:
            request = urllib.request.Request(
                f"{self.url}/_stcore/agent/interact", json.dumps(body).encode(), {"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=900) as response:
                answer = json.load(response)
                if response.status != 202:
                    if answer.get("status") == "error":
                        raise SystemExit(f"the app raised: {json.dumps(answer)[:2000]}")
                    return answer
            body = {"session_id": answer["session_id"]}

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
