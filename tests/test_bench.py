"""The benchmark's instruments: a websocket session as a browser's, and the interface floor (quick runs only)."""

from bench.__main__ import APPS, CHANGES, Rerun
from bench.server import Server
from bench.wsclient import Session


def test_a_websocket_session_reruns_the_app_with_the_slider_changed():
    server = Server(APPS["interface"], None, agent_api=False)
    try:
        session = Session(server.url)
        assert {"years", "lang", "q", "regions"} <= set(session.widgets)
        seconds, sent, payload = session.rerun({"years": [1960, 1965]})
        assert 0 < seconds < 60 and sent > 0 and payload == 0  # the interface floor has no map component
        # The script ran with the slider's new value: its caption says so.
        captions = [e.markdown.body for e in session.elements if e.WhichOneof("type") == "markdown"]
        assert "1960–1965" in captions, captions
        session.close()
    finally:
        server.stop()


def test_the_atlas_map_payload_is_measured_per_change():
    server = Server(APPS["atlas"], None)
    try:
        rerun = Rerun(server)
        for years in CHANGES[:3]:
            rerun.measure(years)
        result = rerun.result()
    finally:
        server.stop()
    assert result["reruns"] == 3
    assert 1_000 < result["payload_bytes"] < 1_000_000  # the map component's arguments, sent whole
    assert result["sent_bytes"] > result["payload_bytes"]
    assert result["rerun_s"] > 0 and result["agent_rerun_s"] > 0
