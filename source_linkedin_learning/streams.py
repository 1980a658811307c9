"""Report streams as the CDK's concurrent framework runs them, and what every stream shares.

The declarative stream built from the manifest generates the windows and reads them; this
module sets the `WatermarkCursor` on it through the public `DefaultStream`, and handles what
concerns the whole sync rather than one window (for the catalog streams' partitions, one locale
and type each, too: catalog.py wraps them in the same `SyncPartition`):

- The first window that fails stops the sync. Its error is the one the user reads; windows in
  flight end quietly without being counted as finished, and no new window starts. LinkedIn's
  daily quota is per application, so once one request has used up its retries on 429 every
  other would too; a permanent 5xx or an unreachable host, a rejected token, a refused report
  would likewise fail every remaining window, each with the same message, for hours.
- A window whose rows lack the URNs of the stream's primary key, or repeat a key, is said in a
  warning: a deduplicating destination would merge those rows.
"""

import logging
import threading
from typing import Any, Callable, Iterable, List, Mapping, Optional, Set, Tuple
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

from source_linkedin_learning import cdk_seam, windows
from source_linkedin_learning.cursor import SavedState, SyncWatermark, WatermarkCursor
from source_linkedin_learning.errors import RATE_LIMIT_MESSAGE, arrived
from source_linkedin_learning.read_ahead import RecordsAhead

LOGGER = logging.getLogger("airbyte")


class Sync:
    """What every partition of a sync shares: `stopped`, set by the first that fails, and the
    tickets for records read ahead of the main thread (read_ahead.py)."""

    def __init__(self, workers: int) -> None:
        self.stopped = False
        self.ahead = RecordsAhead(workers)
        self._lock = threading.Lock()

    def stop(self) -> bool:
        """Stops the sync; True for the first caller only, whose error the user reads."""
        with self._lock:
            first, self.stopped = not self.stopped, True
            return first


def partition_label(stream_name: str, partition: Optional[Mapping[str, Any]]) -> str:
    """How a message names a partition: a report window by its first day, a catalog partition by
    its values ("stream 'learning_assets', locale en_US, type COURSE")."""
    values = partition or {}
    if "start_time" not in values:
        return ", ".join([f"stream '{stream_name}'"] + [f"{key} {value}" for key, value in sorted(values.items())])
    return f"stream '{stream_name}', window starting {windows.day_of(values['start_time'])}"


def _explained(error: Exception, label: str, is_window: bool) -> Exception:
    """The error a user reads for the partition that stopped the sync: for a request whose retries
    ran out, what kept coming back; for a wrong answer, which window (or catalog part) it came for."""
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
        message = f"LinkedIn Learning kept answering HTTP {response.status_code} for {label}, through every retry. {after}" + (
            " If this persists with time_granularity MONTH, use WEEK or DAY: the live service is reported to fail on "
            "windows over 14 days." if is_window else ""
        )
    elif isinstance(response, requests.Response) and response.status_code == 200:
        message = f"LinkedIn Learning kept sending {label} a body that is not a page, through every retry: {arrived(response)}. {after}"
    if message is not None:
        return AirbyteTracedException(message=message, internal_message=error.internal_message, failure_type=FailureType.transient_error)
    if error.failure_type == FailureType.system_error and error.message and label not in error.message:
        error.message = f"{label}: {error.message}"  # a wrong answer: say which window it came for
    return error


class SyncPartition(Partition):
    """One declarative partition (a report window, a catalog locale and type), stopped with the
    sync; `keep`, when given, says which records are written (the catalog's incremental filter).

    `stopped` tells the cursor that the partition was not read to its end."""

    def __init__(
        self, partition: Partition, stop: Sync, key: List[str], keep: Optional[Callable[[Record], bool]] = None
    ) -> None:
        self._partition = partition
        self._stop = stop
        self._key = key
        self._keep = keep
        self.stopped = False

    def read(self) -> Iterable[Record]:
        if self._stop.stopped:
            self.stopped = True
            return
        stop, key, ahead = self._stop, self._key, self._stop.ahead
        seen: Set[Tuple[Any, ...]] = set()
        keyless = repeated = 0
        ticket, handed = None, 0
        records = self._partition.read()
        if self._keep is not None:
            records = filter(self._keep, records)
        try:
            for record in records:
                if stop.stopped:
                    self.stopped = True
                    return
                if ticket is None:
                    ticket = ahead.take()
                handed += 1
                if handed == ahead.chunk:  # the chunk's last record brings its ticket back once written
                    ahead.after(record, ticket)
                    ticket, handed = None, 0
                values = tuple(map(record.data.get, key))
                if None in values:
                    keyless += 1
                elif values in seen:
                    repeated += 1
                else:
                    seen.add(values)
                yield record
            if ticket is not None:
                ahead.after(record, ticket)
                ticket = None
        except Exception as error:
            self.stopped = True
            if not stop.stop():
                return  # another window stopped the sync first: its error is the one said
            window = self.to_slice()
            raise _explained(error, partition_label(self.stream_name(), window), "start_time" in (window or {})) from error
        finally:
            if ticket is not None:  # the chunk of a partition that gave up
                ticket.release()
        if keyless or repeated:
            self._warn(keyless, repeated)

    def _warn(self, keyless: int, repeated: int) -> None:
        label = partition_label(self.stream_name(), self.to_slice())
        fields = ", ".join(self._key)
        if keyless:
            LOGGER.warning(
                f"{label}: {keyless} rows lack a URN of the primary key ({fields}). They are written with the URN "
                "missing; a destination that deduplicates on the key would merge them, so use an append mode for this stream."
            )
        if repeated:
            LOGGER.warning(
                f"{label}: {repeated} rows repeat the primary key ({fields}) of an earlier row read for it "
                "(LinkedIn Learning's pages overlapped). All are written; a deduplicating destination keeps one of each."
            )

    def to_slice(self) -> Optional[Mapping[str, Any]]:
        return self._partition.to_slice()

    def stream_name(self) -> str:
        return self._partition.stream_name()

    def __hash__(self) -> int:
        return hash(self._partition)


class _ReportWindows(PartitionGenerator):
    def __init__(self, stream: AbstractStream, cursor: WatermarkCursor, stop: Sync, key: List[str]) -> None:
        self._stream = stream
        self._cursor = cursor
        self._stop = stop
        self._key = key

    def generate(self) -> Iterable[Partition]:
        for partition in self._stream.generate_partitions():
            if self._stop.stopped:
                return
            window = SyncPartition(partition, self._stop, self._key)
            if self._cursor.register(window):
                yield window


def with_watermark_cursor(
    stream: AbstractStream,
    saved: SavedState,
    primary_key: List[str],
    message_repository: MessageRepository,
    stop: Sync,
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
