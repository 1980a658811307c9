"""Pause the cyclic GC while building many small containers (aggregations, big renders): the
collector otherwise rescans them over and over and dominates the time."""
from __future__ import annotations

import contextlib
import gc
import threading

_lock = threading.Lock()
_state = {"depth": 0, "was_enabled": True}  # shared by threads: the GC switch is process-wide


@contextlib.contextmanager
def gc_paused():
    with _lock:
        if _state["depth"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["was_enabled"]:
                gc.enable()
