"""The course catalog streams, `learning_assets` and `learning_classifications`.

The manifest reads them: LinkedIn's `localeAndType` finder, one partition per locale and type.
This module adds what it cannot say: the fields each record lifts to its top level, and the
incremental cursor of `learning_assets`.

Every sync reads the whole catalog with `localeAndType`, the finder documented to return retired
assets (`includeRetired=true`) and not reported to cap its answers; an incremental sync then
writes only the assets changed since the saved state, less a day of lookback. The finder made for
deltas, `q=criteria&lastModifiedAfter`, cannot be trusted with them (LEARNING_CATALOG_NOTES.md):
it returns active content only, so a retirement would never show; its `total` has been reported
stuck at 500 or 1000; and asked for more than about 24 hours back it returns old, unfiltered rows.
"""

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, MutableMapping, Optional

from airbyte_cdk.sources.declarative.transformations import RecordTransformation
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.abstract_stream import AbstractStream
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.streams.concurrent.partitions.partition_generator import PartitionGenerator
from airbyte_cdk.sources.types import Config, Record, StreamSlice, StreamState

from source_linkedin_learning.cursor import StateCursor, epoch_ms
from source_linkedin_learning.streams import SyncPartition, Sync

ASSETS_STREAM = "learning_assets"
CLASSIFICATIONS_STREAM = "learning_classifications"
CATALOG_STREAMS = (ASSETS_STREAM, CLASSIFICATIONS_STREAM)
CURSOR_FIELD = "lastUpdatedAt"
# A change LinkedIn dates a little before it publishes it is still written by the next sync.
LOOKBACK_MS = 86_400_000
# `timeToComplete.unit`: SECOND is what the service sends; Totara's client also accepts the others.
SECONDS_PER_UNIT = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600}
ASSET_DETAILS = ("level", "availability", "publishedAt", "lastUpdatedAt", "retiredAt")


def _text(value: Any) -> Any:
    """The string of a localized `{value, locale}` object."""
    return value.get("value") if isinstance(value, Mapping) else value


def _localized(record: Dict[str, Any], field: str, stream_slice: Optional[StreamSlice]) -> None:
    """`field` as a plain string, the object as sent kept as `<field>Localized`, and the
    partition's locale (`en_US`), which with the URN is the record's key."""
    if stream_slice is not None:
        record["locale"] = stream_slice.get("locale")
    value = record.get(field)
    if isinstance(value, Mapping):
        record[f"{field}Localized"] = value
        record[field] = value.get("value")


@dataclass
class AddAssetFields(RecordTransformation):
    """Lifts to the top level what joins and filters need: `assetUrn` (for LinkedIn content, the
    activity reports' `contentUrn`), `locale`, `title` as a string, and from `details` the level,
    availability, publishedAt, lastUpdatedAt, retiredAt, and `durationSeconds` (`timeToComplete`
    in seconds, whatever unit it comes in)."""

    def transform(
        self,
        record: Dict[str, Any],
        config: Optional[Config] = None,
        stream_state: Optional[StreamState] = None,
        stream_slice: Optional[StreamSlice] = None,
    ) -> None:
        record["assetUrn"] = record.get("urn")
        _localized(record, "title", stream_slice)
        details = record.get("details")
        if not isinstance(details, Mapping):
            return
        for field in ASSET_DETAILS:
            if details.get(field) is not None:
                record[field] = details[field]
        duration = details.get("timeToComplete")
        if isinstance(duration, Mapping) and isinstance(duration.get("duration"), (int, float)):
            factor = SECONDS_PER_UNIT.get(duration.get("unit"))  # type: ignore[arg-type]
            if factor is not None:
                record["durationSeconds"] = round(duration["duration"] * factor)


@dataclass
class AddClassificationFields(RecordTransformation):
    """Adds `classificationUrn` (= `urn`) and `locale`, and gives `name` as a string."""

    def transform(
        self,
        record: Dict[str, Any],
        config: Optional[Config] = None,
        stream_state: Optional[StreamState] = None,
        stream_slice: Optional[StreamSlice] = None,
    ) -> None:
        record["classificationUrn"] = record.get("urn")
        _localized(record, "name", stream_slice)


def changed_at(data: Mapping[str, Any]) -> Optional[int]:
    """When an asset last changed: its `lastUpdatedAt`, or its `retiredAt` if that is later."""
    times = [value for value in (data.get("lastUpdatedAt"), data.get("retiredAt")) if isinstance(value, int)]
    return max(times) if times else None


def saved_last_updated_at(state: Mapping[str, Any]) -> Optional[int]:
    """The saved `lastUpdatedAt` of `learning_assets`, epoch ms; None if it is not understood."""
    return epoch_ms(state.get(CURSOR_FIELD))


class AssetCursor(StateCursor):
    """The state of `learning_assets`: the latest change written, `lastUpdatedAt` (epoch ms).

    With a saved state (and the stream synced incrementally), only the assets changed at or after
    it, less `LOOKBACK_MS`, are written. The state moves to the latest change seen only once every
    partition of the stream has been read to its end: a sync stopped before that saves the state
    it started from, so the next one writes every change again and none is skipped. Until then
    each finished partition emits that unchanged state, so that a destination commits what was read.
    Nor does the state pass the sync's start: a change dated later (a retirement announced ahead)
    is written by every sync until that time, not skipped with the changes before it."""

    def __init__(self, stream_name: str, saved: Optional[int], filtering: bool, message_repository: MessageRepository) -> None:
        super().__init__(stream_name, CURSOR_FIELD, message_repository)
        self._state_ms = saved
        self._floor = saved - LOOKBACK_MS if filtering and saved is not None else None
        self._latest: Optional[int] = None
        self._started_ms = int(time.time() * 1000)
        self._registered = 0
        self._finished = 0
        self._all_registered = False
        self._lock = threading.Lock()

    @property
    def state(self) -> MutableMapping[str, Any]:
        return {} if self._state_ms is None else {CURSOR_FIELD: self._state_ms}

    def register(self, partition: Partition) -> None:
        with self._lock:
            self._registered += 1

    def all_registered(self) -> None:
        """Every partition of the stream was generated (the sync did not stop before)."""
        self._all_registered = True

    def should_be_synced(self, record: Record) -> bool:
        if self._floor is None:
            return True
        changed = changed_at(record.data)
        return changed is None or changed >= self._floor  # an asset without dates is written: it cannot be told unchanged

    def observe(self, record: Record) -> None:
        changed = changed_at(record.data)
        if changed is not None:
            with self._lock:
                if self._latest is None or changed > self._latest:
                    self._latest = changed

    def close_partition(self, partition: Partition) -> None:
        with self._lock:
            if not getattr(partition, "stopped", False):  # not stopped with the sync before its end
                self._finished += 1
            self.emit_state()

    def ensure_at_least_one_state_emitted(self) -> None:
        """Called once the stream is done, failed or not: the state moves only if it read everything."""
        with self._lock:
            if self._all_registered and self._finished == self._registered and self._latest is not None:
                self._state_ms = max(self._state_ms or 0, min(self._latest, self._started_ms))
            self.emit_state()


class _CatalogPartitions(PartitionGenerator):
    def __init__(self, stream: AbstractStream, stop: Sync, key: List[str], cursor: Optional[AssetCursor]) -> None:
        self._stream = stream
        self._stop = stop
        self._key = key
        self._cursor = cursor

    def generate(self) -> Iterable[Partition]:
        cursor = self._cursor
        keep = cursor.should_be_synced if cursor is not None else None
        for partition in self._stream.generate_partitions():
            if self._stop.stopped:
                return
            wrapped = SyncPartition(partition, self._stop, self._key, keep)
            if cursor is not None:
                cursor.register(wrapped)
            yield wrapped
        if cursor is not None:
            cursor.all_registered()


def catalog_stream(
    stream: AbstractStream,
    primary_key: List[str],
    stop: Sync,
    message_repository: MessageRepository,
    saved: Optional[int] = None,
    incremental: bool = False,
) -> DefaultStream:
    """A catalog stream stopped with the sync; `learning_assets` with its `AssetCursor` (filtering
    on the saved state only when synced incrementally), `learning_classifications` with the
    CDK's full-refresh cursor it was built with."""
    cursor = AssetCursor(stream.name, saved, incremental, message_repository) if stream.name == ASSETS_STREAM else None
    return DefaultStream(
        partition_generator=_CatalogPartitions(stream, stop, primary_key, cursor),
        name=stream.name,
        json_schema=stream.get_json_schema,
        primary_key=primary_key,
        cursor_field=cursor.cursor_field if cursor is not None else None,
        logger=logging.getLogger(f"airbyte.{stream.name}"),
        cursor=cursor if cursor is not None else stream.cursor,
    )
