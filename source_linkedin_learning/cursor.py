"""The incremental cursor: `latestDataAt` as state, without claiming unread windows.

`latestDataAt` is the service's data watermark, usually later than the window it comes with.
The CDK's stock cursor saves the highest value seen as soon as the first windows finish, so a
sync stopped there and resumed skips every window still unread. This cursor saves the smaller
of the watermark and the end of the windows finished without a gap: the point up to which the
data is complete. It is a plain `Cursor` of the CDK's concurrent framework (see streams.py).
"""

import threading
from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, MutableMapping, Optional, Tuple

from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor, CursorField
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.types import Record

CURSOR_FIELD = "latestDataAt"
# Windows finished beyond the saved point, with complete data (end <= watermark): a sync resumed
# from this state does not ask for them again.
FINISHED_FIELD = "finishedWindows"
# The largest epoch ms a date can hold (9999-12-31T23:59:59.999Z).
MAX_MS = 253_402_300_799_999


@dataclass(frozen=True)
class SavedState:
    latest_data_at: int
    finished: FrozenSet[int] = frozenset()  # window starts, epoch ms


class SyncWatermark:
    """The highest `latestDataAt` seen by any stream of the sync.

    The watermark is the service's, the same on every report of an account: a stream whose
    windows are all empty (a custom report filtered on a language nobody uses) takes it from
    the others, so that its state moves like theirs instead of asking again for every window
    since `start_date` on every sync."""

    def __init__(self) -> None:
        self.value: Optional[int] = None
        self._lock = threading.Lock()

    def update(self, value: int) -> None:
        with self._lock:
            if self.value is None or value > self.value:
                self.value = value


def _window(partition: Partition) -> Tuple[int, int]:
    """Start and exclusive end (epoch ms) of a partition's window."""
    window = partition.to_slice() or {}
    return int(window["start_time"]), int(window["end_time"]) + 1


class StateCursor(Cursor):
    """A concurrent cursor of this connector: its STATE messages go to the repository that the
    engine drains after each record (cdk_seam.message_repository), so each follows the records
    it counts."""

    def __init__(self, stream_name: str, cursor_field: str, message_repository: MessageRepository) -> None:
        self._stream_name = stream_name
        self._cursor_field = CursorField(cursor_field)
        self._message_repository = message_repository
        self._state_manager = ConnectorStateManager()

    @property
    def cursor_field(self) -> CursorField:
        return self._cursor_field

    def emit_state(self) -> None:
        self._state_manager.update_state_for_stream(self._stream_name, None, self.state)
        self._message_repository.emit_message(self._state_manager.create_state_message(self._stream_name, None))


class WatermarkCursor(StateCursor):
    """Saves min(highest `latestDataAt` seen, end of the windows finished without a gap), and
    never less than the state the sync started from; beside it, the windows finished after a
    gap, which a resumed sync skips."""

    def __init__(
        self,
        stream_name: str,
        saved: SavedState,
        message_repository: MessageRepository,
        sync_watermark: SyncWatermark,
    ) -> None:
        super().__init__(stream_name, CURSOR_FIELD, message_repository)
        self._state_ms = saved.latest_data_at
        self._saved_finished = saved.finished
        self._sync_watermark = sync_watermark
        self._windows: List[Tuple[int, int]] = []
        self._finished: set = set()
        self._complete_until: Optional[int] = None
        self._next_unfinished = 0
        self._watermark_by_window: Dict[int, int] = {}
        self._lock = threading.Lock()

    @property
    def state(self) -> MutableMapping[str, Any]:
        state: Dict[str, Any] = {CURSOR_FIELD: self._state_ms}
        watermark = self._sync_watermark.value
        finished = [
            start
            for start, end in self._windows[self._next_unfinished :]
            if start in self._finished and watermark is not None and end <= watermark
        ]
        if finished:
            state[FINISHED_FIELD] = finished
        return state

    def register(self, partition: Partition) -> bool:
        """Windows are registered in the order of time, as they are generated. False for a
        window that the saved state says was finished already: it is not read again."""
        window = _window(partition)
        with self._lock:
            self._windows.append(window)
            if window[0] not in self._saved_finished:
                return True
            self._finish(window[0])
            return False

    def observe(self, record: Record) -> None:
        # Keyed by the window's slice object, which every record of the window carries: no
        # parsing per record. Each window is read by one thread, so its entry has one writer.
        value = record.data.get(CURSOR_FIELD)
        if isinstance(value, int):
            window = id(record.associated_slice)
            if value > self._watermark_by_window.get(window, -1):
                self._watermark_by_window[window] = value

    def close_partition(self, partition: Partition) -> None:
        seen = self._watermark_by_window.pop(id(partition.to_slice()), None)
        if seen is not None:
            self._sync_watermark.update(seen)
        if getattr(partition, "stopped", False):  # the sync stopped before the window was read to its end
            return
        with self._lock:
            self._finish(_window(partition)[0])
            self._emit()

    def _finish(self, start: int) -> None:
        self._finished.add(start)
        while self._next_unfinished < len(self._windows) and self._windows[self._next_unfinished][0] in self._finished:
            self._complete_until = self._windows[self._next_unfinished][1]
            self._next_unfinished += 1

    def _emit(self) -> None:
        watermark = self._sync_watermark.value
        if self._complete_until is not None and watermark is not None:
            self._state_ms = max(self._state_ms, min(watermark, self._complete_until))
        self.emit_state()

    def ensure_at_least_one_state_emitted(self) -> None:
        """Called once the stream is done: its last state, with the sync's watermark as it is now."""
        with self._lock:
            self._emit()

    def should_be_synced(self, record: Record) -> bool:
        # A watermark later than the window, end_date or the sync's start is normal: keep it.
        return True


def epoch_ms(value: Any) -> Optional[int]:
    """Epoch ms from an int or a string of digits, within the dates Python can hold."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 0 <= value <= MAX_MS else None


def parse_saved_state(value: Any, finished: Any = None) -> Optional[SavedState]:
    """The saved `latestDataAt` and finished windows of a stream; None if either is not understood."""
    latest = epoch_ms(value)
    finished = [] if finished is None else finished
    if latest is None or not isinstance(finished, list):
        return None
    starts = [epoch_ms(start) for start in finished]
    if None in starts:
        return None
    return SavedState(latest, frozenset(starts))  # type: ignore[arg-type]


def stream_states(states: Optional[Iterable[Any]]) -> Mapping[str, Mapping[str, Any]]:
    """Stream name to the raw state of each per-stream state message."""
    values: Dict[str, Mapping[str, Any]] = {}
    for message in states or []:
        stream = getattr(message, "stream", None)
        if stream is None or stream.stream_descriptor is None:
            continue
        stream_state = stream.stream_state
        data = stream_state.__dict__ if stream_state is not None and not isinstance(stream_state, Mapping) else (stream_state or {})
        values[stream.stream_descriptor.name] = data
    return values
