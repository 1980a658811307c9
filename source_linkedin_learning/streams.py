"""Report streams as the CDK's concurrent framework runs them.

The declarative stream built from the manifest generates the windows and reads them; this
module sets the `WatermarkCursor` on it through the public `DefaultStream`, and handles what
concerns the whole sync rather than one window:

- The first window that fails stops the sync. Its error is the one the user reads; windows in
  flight end quietly without being counted as finished, and no new window starts. LinkedIn's
  daily quota is per application, so once one request has used up its retries on 429 every
  other would too; a permanent 5xx or an unreachable host, a rejected token, a refused report
  would likewise fail every remaining window, each with the same message, for hours.
- A window whose rows lack the URNs of the stream's primary key, or repeat a key, is said in a
  warning: a deduplicating destination would merge those rows.
"""

import datetime
import logging
import threading
from typing import Any, Iterable, List, Mapping, Optional, Set, Tuple
from urllib.parse import urlsplit

import requests

from airbyte_cdk.models import FailureType, StreamDescriptor
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.abstract_stream import AbstractStream
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.streams.concurrent.partitions.partition_generator import PartitionGenerator
from airbyte_cdk.sources.types import Record
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_learning import cdk_seam
from source_linkedin_learning.cursor import SavedState, SyncWatermark, WatermarkCursor
from source_linkedin_learning.errors import RATE_LIMIT_MESSAGE, arrived

LOGGER = logging.getLogger("airbyte")


class SyncStop:
    """Set by the first window that fails; shared by all streams of a sync."""

    def __init__(self) -> None:
        self.stopped = False
        self._lock = threading.Lock()

    def stop(self) -> bool:
        """Stops the sync; True for the first caller only, whose error the user reads."""
        with self._lock:
            first, self.stopped = not self.stopped, True
            return first


def window_label(stream_name: str, window: Optional[Mapping[str, Any]]) -> str:
    start = int((window or {}).get("start_time", 0))
    day = datetime.datetime.fromtimestamp(start / 1000, tz=datetime.timezone.utc).date()
    return f"stream '{stream_name}', window starting {day.isoformat()}"


def _explained(error: Exception, label: str) -> Exception:
    """The error a user reads for the window that stopped the sync: for a request whose retries
    ran out, what kept coming back; for a wrong answer, which window it came for."""
    if not isinstance(error, AirbyteTracedException):
        return error
    last = cdk_seam.exhausted_request(error)
    response = last.response if last is not None else None
    after = "The sync stopped after checkpointing every finished window; the next sync resumes from there."
    message = None
    if last is not None and response is None:
        host = urlsplit(last.request.url or "").hostname
        message = (
            f"Could not reach LinkedIn Learning at {host} for {label}, through every retry ({last}). "
            f"Check 'api_url' and the network. {after}"
        )
    elif isinstance(response, requests.Response) and response.status_code == 429:
        message = RATE_LIMIT_MESSAGE
    elif isinstance(response, requests.Response) and response.status_code >= 500:
        message = (
            f"LinkedIn Learning kept answering HTTP {response.status_code} for {label}, through every retry. {after} "
            "If this persists with time_granularity MONTH, use WEEK or DAY: the live service is reported to fail on "
            "windows over 14 days."
        )
    elif isinstance(response, requests.Response) and response.status_code == 200:
        message = f"LinkedIn Learning kept sending {label} a body that is not a page, through every retry: {arrived(response)}. {after}"
    if message is not None:
        return AirbyteTracedException(message=message, internal_message=error.internal_message, failure_type=FailureType.transient_error)
    if error.failure_type == FailureType.system_error and error.message and label not in error.message:
        error.message = f"{label}: {error.message}"  # a wrong answer: say which window it came for
    return error


class _ReportWindow(Partition):
    """One report window: the declarative partition, stopped with the sync.

    `stopped` tells the cursor that the window was not read to its end."""

    def __init__(self, partition: Partition, stop: SyncStop, key: List[str]) -> None:
        self._partition = partition
        self._stop = stop
        self._key = key
        self.stopped = False

    def read(self) -> Iterable[Record]:
        if self._stop.stopped:
            self.stopped = True
            return
        stop, key = self._stop, self._key
        seen: Set[Tuple[Any, ...]] = set()
        keyless = repeated = 0
        try:
            for record in self._partition.read():
                if stop.stopped:
                    self.stopped = True
                    return
                values = tuple(map(record.data.get, key))
                if None in values:
                    keyless += 1
                elif values in seen:
                    repeated += 1
                else:
                    seen.add(values)
                yield record
        except Exception as error:
            self.stopped = True
            if not stop.stop():
                return  # another window stopped the sync first: its error is the one said
            raise _explained(error, window_label(self.stream_name(), self.to_slice())) from error
        if keyless or repeated:
            self._warn(keyless, repeated)

    def _warn(self, keyless: int, repeated: int) -> None:
        label = window_label(self.stream_name(), self.to_slice())
        fields = ", ".join(self._key)
        if keyless:
            LOGGER.warning(
                f"{label}: {keyless} rows lack a URN of the primary key ({fields}). They are written with the URN "
                "missing; a destination that deduplicates on the key would merge them, so use an append mode for this stream."
            )
        if repeated:
            LOGGER.warning(
                f"{label}: {repeated} rows repeat the primary key ({fields}) of an earlier row of the same window "
                "(LinkedIn Learning's pages overlapped). All are written; a deduplicating destination keeps one of each."
            )

    def to_slice(self) -> Optional[Mapping[str, Any]]:
        return self._partition.to_slice()

    def stream_name(self) -> str:
        return self._partition.stream_name()

    def __hash__(self) -> int:
        return hash(self._partition)


class _ReportWindows(PartitionGenerator):
    def __init__(self, stream: AbstractStream, cursor: WatermarkCursor, stop: SyncStop, key: List[str]) -> None:
        self._stream = stream
        self._cursor = cursor
        self._stop = stop
        self._key = key

    def generate(self) -> Iterable[Partition]:
        for partition in self._stream.generate_partitions():
            if self._stop.stopped:
                return
            window = _ReportWindow(partition, self._stop, self._key)
            if self._cursor.register(window):
                yield window


def with_watermark_cursor(
    stream: AbstractStream,
    saved: SavedState,
    primary_key: List[str],
    message_repository: MessageRepository,
    stop: SyncStop,
    sync_watermark: SyncWatermark,
) -> DefaultStream:
    """The declarative stream's windows and records, checkpointed by a `WatermarkCursor`."""
    cursor = WatermarkCursor(stream.name, saved, message_repository, sync_watermark)
    return DefaultStream(
        partition_generator=_ReportWindows(stream, cursor, stop, primary_key),
        name=stream.name,
        json_schema=stream.get_json_schema,
        primary_key=primary_key,
        cursor_field=cursor.cursor_field,
        logger=logging.getLogger(f"airbyte.{stream.name}"),
        cursor=cursor,
    )
