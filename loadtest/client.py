"""One simulated reader: an HTTP client of Streamlit's agent API that keeps its cookies, like a browser."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

INTERACT = "/_stcore/agent/interact"


class InteractionError(Exception):
    """An interaction that did not give a usable page: an HTTP error, a refused request or a lost connection."""

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass
class AgentClient:
    """Talks to one atlas URL (a server, or nginx in front of several) for one reader.

    Cookies the server sets (nginx's sticky `atlas_node`) are sent back, so a reader's session stays
    on the process that holds it. Only loopback URLs are accepted: the load test never leaves the machine.
    """

    url: str
    timeout: float = 120.0
    cookies: dict[str, str] = field(default_factory=dict)
    collected: int = 0  # answers that took a 202 (run still going) and were collected

    def __post_init__(self):
        host = urlsplit(self.url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError(f"the load test only talks to this machine (127.0.0.1), not {host!r}")
        self.url = self.url.rstrip("/")

    def _post(self, body: dict) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(self.url + INTERACT, json.dumps(body).encode(), headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
                return response.status, json.load(response)
        except urllib.error.HTTPError as exc:
            self._keep_cookies(exc.headers.get_all("Set-Cookie") or [])
            raw = exc.read()
            try:
                answer = json.loads(raw)
            except ValueError:
                answer = {"error": {"code": "not_json", "message": raw[:300].decode(errors="replace")}}
            return exc.code, answer
        except (OSError, ValueError) as exc:  # refused, reset, timed out, or a body that is not JSON
            raise InteractionError("connection", f"{type(exc).__name__}: {exc}") from exc

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            cookie = SimpleCookie()
            cookie.load(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})

    def interact(self, body: dict, deadline: float) -> dict:
        """Send one interaction and return the finished page (the snapshot).

        A 202 means the run is still going: it is collected by sending only the session id, until
        `deadline` (time.monotonic()). Anything else that is not a 200 raises InteractionError.
        """
        status, answer = self._post(body)
        while status == 202:
            self.collected += 1
            if time.monotonic() > deadline:
                raise InteractionError("deadline", "the run was still going at the load test's deadline")
            status, answer = self._post({"session_id": answer["session_id"]})
        if status != 200:
            error = answer.get("error", {})
            raise InteractionError(f"http {status}", f"{error.get('code', '?')}: {str(error.get('message', ''))[:300]}")
        return answer
