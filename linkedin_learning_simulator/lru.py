"""A small thread-safe LRU cache, bounded by entry count and optionally by total size."""
from __future__ import annotations

import threading
from collections import OrderedDict


class LRU:
    def __init__(self, max_items: int, max_bytes: int | None = None):
        self.max_items = max_items
        self.max_bytes = max_bytes
        self._data: OrderedDict = OrderedDict()
        self._sizes: dict = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            try:
                self._data.move_to_end(key)
                return self._data[key]
            except KeyError:
                return None

    def put(self, key, value, size: int = 0):
        with self._lock:
            if key in self._data:
                self._bytes -= self._sizes.pop(key, 0)
                del self._data[key]
            self._data[key] = value
            self._sizes[key] = size
            self._bytes += size
            while len(self._data) > self.max_items or (
                self.max_bytes is not None and self._bytes > self.max_bytes and len(self._data) > 1
            ):
                old, _ = self._data.popitem(last=False)
                self._bytes -= self._sizes.pop(old, 0)

    def clear(self):
        with self._lock:
            self._data.clear()
            self._sizes.clear()
            self._bytes = 0

    def __len__(self):
        return len(self._data)
