"""A browser's side of Streamlit's websocket, without the browser: for timing reruns as readers cause them.

It speaks the protocol Streamlit's own front end speaks on `/_stcore/stream` (BackMsg and ForwardMsg
protobufs from the installed streamlit): open a session, then change a widget and read until the
server says the script has finished. It keeps no message cache, so every element comes whole, as for
a view the browser has not seen before (the front end would get repeated ones as references).
"""

from __future__ import annotations

import socket
import time
from contextlib import ExitStack

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect


class Session:
    """One reader's session on a running server at `url` (http://host:port)."""

    def __init__(self, url: str, timeout: float = 300):
        self.timeout = timeout
        self._open = ExitStack()  # websockets wants its connection closed through its context manager
        self.ws = self._open.enter_context(connect(url.replace("http", "ws", 1) + "/_stcore/stream",
                                                   subprotocols=["streamlit"], max_size=None, open_timeout=timeout))  # fmt: skip
        self.ws.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.widgets: dict[str, tuple[str, object, str]] = {}  # key -> (widget id, element, its fragment)
        self.page_hash = ""
        self.elements: list = []  # the elements the last run sent (protobuf Element)
        self.rerun({})

    def rerun(self, values: dict[str, list[float]]) -> tuple[float, int, int]:
        """Set the keyed widgets' values (number lists, as a slider's), rerun, and wait for the end of
        the run. Returns (seconds, bytes the server sent for it, bytes of custom components' arguments:
        the map's payload)."""
        msg = BackMsg()
        state = msg.rerun_script
        state.page_script_hash = self.page_hash
        fragments = {self.widgets[key][2] for key in values}
        if len(fragments) == 1 and "" not in fragments:
            # As the front end does: a widget inside an st.fragment reruns only that fragment.
            state.fragment_id = fragments.pop()
        for key, value in values.items():
            widget = state.widget_states.widgets.add()
            widget.id = self.widgets[key][0]
            widget.double_array_value.data.extend(value)
        start = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        received = components = 0
        self.elements = []
        while True:
            self._ack_at_once()
            data = self.ws.recv(timeout=self.timeout)
            received += len(data)
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fm.new_session.page_script_hash or self.page_hash
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                element = fm.delta.new_element
                self.elements.append(element)
                self._note_widget(element, fm.delta.fragment_id)
                if element.WhichOneof("type") == "component_instance":
                    components += len(element.component_instance.json_args.encode())
            elif kind == "script_finished":
                return time.perf_counter() - start, received, components

    def _ack_at_once(self) -> None:
        """Acknowledge what arrives at once (Linux's TCP_QUICKACK, which lapses, so set before each read).

        The server sends a run's messages as small frames with Nagle's algorithm on, so each frame after
        the first waits for the ACK of the one before, and a receiver that delays its ACKs (Linux: up
        to 40 ms) adds that wait to every rerun, the floor's too. That is the network's cost, not the
        server's; this client measures the server's.
        """
        if hasattr(socket, "TCP_QUICKACK"):
            self.ws.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)

    def _note_widget(self, element, fragment: str) -> None:
        kind = element.WhichOneof("type")
        if kind is None:
            return
        proto = getattr(element, kind)
        widget_id = getattr(proto, "id", "")
        if widget_id and "-" in widget_id:
            # A keyed widget's id ends with its key (e.g. "$$ID-…-years").
            self.widgets[widget_id.rsplit("-", 1)[-1]] = (widget_id, proto, fragment)

    def close(self) -> None:
        self._open.close()
