"""The incremental cursor: `latestDataAt` as state, without claiming unread windows.

`latestDataAt` is the service's data watermark, usually later than the window it comes with.
The CDK's stock cursor saves the highest value seen as soon as the first windows finish, so a
sync stopped there and resumed skips every window still unread. This cursor saves the smaller
of the watermark and the end of the windows finished without a gap: the point up to which the
data is complete. It is a plain `Cursor` of the CDK's concurrent framework (see streams.py).
"""

import threading
from typing import Any, Dict, Iterable, List, Mapping, MutableMapping, Optional, Tuple

from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor, CursorField
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.types import Record

CURSOR_FIELD = "latestDataAt"


def _window(partition: Partition) -> Tuple[int, int]:
    """Start and exclusive end (epoch ms) of a partition's window."""
    window = partition.to_slice() or {}
    return int(window["start_time"]), int(window["end_time"]) + 1


class WatermarkCursor(Cursor):
    """Saves min(highest `latestDataAt` seen, end of the windows finished without a gap), and
    never less than the state the sync started from."""

    def __init__(
        self,
        stream_name: str,
        saved_state_ms: int,
        message_repository: MessageRepository,
    ) -> None:
        self._stream_name = stream_name
        self._state_ms = saved_state_ms
        self._message_repository = message_repository
        self._state_manager = ConnectorStateManager()
        self._cursor_field = CursorField(CURSOR_FIELD)
        self._windows: List[Tuple[int, int]] = []
        self._finished: set = set()
        self._complete_until: Optional[int] = None
        self._next_unfinished = 0
        self._watermark: Optional[int] = None
        self._watermark_by_window: Dict[int, int] = {}
        self._lock = threading.Lock()

    @property
    def cursor_field(self) -> CursorField:
        return self._cursor_field

    @property
    def state(self) -> MutableMapping[str, Any]:
        return {CURSOR_FIELD: self._state_ms}

    def register(self, partition: Partition) -> None:
        """Windows are registered in the order of time, as they are generated."""
        with self._lock:
            self._windows.append(_window(partition))

    def observe(self, record: Record) -> None:
        # Keyed by the window's slice object, which every record of the window carries: no
        # parsing per record. Each window is read by one thread, so its entry has one writer.
        value = record.data.get(CURSOR_FIELD)
        if isinstance(value, int):
            window = id(record.associated_slice)
            if value > self._watermark_by_window.get(window, -1):
                self._watermark_by_window[window] = value

    def close_partition(self, partition: Partition) -> None:
        start, _ = _window(partition)
        with self._lock:
            self._finished.add(start)
            seen = self._watermark_by_window.pop(id(partition.to_slice()), None)
            if seen is not None and (self._watermark is None or seen > self._watermark):
                self._watermark = seen
            while self._next_unfinished < len(self._windows) and self._windows[self._next_unfinished][0] in self._finished:
                self._complete_until = self._windows[self._next_unfinished][1]
                self._next_unfinished += 1
            if self._complete_until is not None and self._watermark is not None:
                self._state_ms = max(self._state_ms, min(self._watermark, self._complete_until))
            self._emit()

    def _emit(self) -> None:
        self._state_manager.update_state_for_stream(self._stream_name, None, self.state)
        self._message_repository.emit_message(self._state_manager.create_state_message(self._stream_name, None))

    def ensure_at_least_one_state_emitted(self) -> None:
        with self._lock:
            self._emit()

    def should_be_synced(self, record: Record) -> bool:
        # A watermark later than the window, end_date or the sync's start is normal: keep it.
        return True


def parse_saved_state(value: Any) -> Optional[int]:
    """`latestDataAt` from a saved state: epoch ms as an int or a string of digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def state_values(states: Optional[Iterable[Any]]) -> Mapping[str, Any]:
    """Stream name to the raw `latestDataAt` of each per-stream state message."""
    values: Dict[str, Any] = {}
    for message in states or []:
        stream = getattr(message, "stream", None)
        if stream is None or stream.stream_descriptor is None:
            continue
        stream_state = stream.stream_state
        data = stream_state.__dict__ if stream_state is not None and not isinstance(stream_state, Mapping) else (stream_state or {})
        if CURSOR_FIELD in data:
            values[stream.stream_descriptor.name] = data[CURSOR_FIELD]
    return values
