"""`per_process`: a value computed once per server process and arguments, shared by every session.

What `st.cache_resource` does, without what it costs on every call: it hashes each call's arguments
(and checks its replay rules), and the map page called seven cached functions on every rerun, which
came to more time than the atlas's own filtering. Here a hit is one dict lookup; a miss computes under
a lock, so that forty readers arriving at once load the corpus once, not forty times.
"""

from __future__ import annotations

import functools
import threading


def per_process(fn):
    """Decorate `fn` (of hashable positional arguments) to compute once per process and arguments."""
    values: dict = {}
    lock = threading.Lock()

    @functools.wraps(fn)
    def cached(*args):
        try:
            return values[args]
        except KeyError:
            with lock:
                if args not in values:
                    values[args] = fn(*args)
                return values[args]

    cached.cache_clear = values.clear  # for tests, as functools' caches have it
    return cached
