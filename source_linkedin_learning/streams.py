"""Report streams as the CDK's concurrent framework runs them.

The declarative stream built from the manifest generates the windows and reads them; this
module sets the `WatermarkCursor` on it through the public `DefaultStream`, and handles the one
failure that concerns the whole sync: LinkedIn's daily quota is per application, so once a
window has used up its retries on 429, every other window would too. The sync then stops
instead of waiting each remaining window out, with a message in the service's terms.
"""

import logging
import threading
from typing import Any, Iterable, List, Mapping, Optional

from airbyte_cdk.models import FailureType, StreamDescriptor
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.abstract_stream import AbstractStream
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.streams.concurrent.partitions.partition_generator import PartitionGenerator
from airbyte_cdk.sources.types import Record
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_learning import cdk_seam
from source_linkedin_learning.cursor import WatermarkCursor
from source_linkedin_learning.errors import RATE_LIMIT_MESSAGE


class RateLimitGate:
    """Closed once a window exhausted its retries on 429; shared by all streams of a sync."""

    def __init__(self) -> None:
        self._closed = threading.Event()

    def close(self) -> None:
        self._closed.set()

    def check(self, stream_name: str) -> None:
        if self._closed.is_set():
            raise rate_limit_error(stream_name, "An earlier request of this sync exhausted its retries on 429.")


def rate_limit_error(stream_name: str, internal_message: Optional[str]) -> AirbyteTracedException:
    return AirbyteTracedException(
        message=RATE_LIMIT_MESSAGE,
        internal_message=internal_message,
        failure_type=FailureType.transient_error,
        stream_descriptor=StreamDescriptor(name=stream_name),
    )


class _ReportWindow(Partition):
    """One report window: the declarative partition, stopped by the rate-limit gate."""

    def __init__(self, partition: Partition, gate: RateLimitGate) -> None:
        self._partition = partition
        self._gate = gate

    def read(self) -> Iterable[Record]:
        self._gate.check(self.stream_name())
        try:
            yield from self._partition.read()
        except AirbyteTracedException as error:
            if not cdk_seam.is_exhausted_rate_limit(error):
                raise
            self._gate.close()
            raise rate_limit_error(self.stream_name(), error.internal_message) from error

    def to_slice(self) -> Optional[Mapping[str, Any]]:
        return self._partition.to_slice()

    def stream_name(self) -> str:
        return self._partition.stream_name()

    def __hash__(self) -> int:
        return hash(self._partition)


class _ReportWindows(PartitionGenerator):
    def __init__(self, stream: AbstractStream, cursor: WatermarkCursor, gate: RateLimitGate) -> None:
        self._stream = stream
        self._cursor = cursor
        self._gate = gate

    def generate(self) -> Iterable[Partition]:
        for partition in self._stream.generate_partitions():
            self._gate.check(self._stream.name)
            window = _ReportWindow(partition, self._gate)
            self._cursor.register(window)
            yield window


def with_watermark_cursor(
    stream: AbstractStream,
    saved_state_ms: int,
    primary_key: List[str],
    message_repository: MessageRepository,
    gate: RateLimitGate,
) -> DefaultStream:
    """The declarative stream's windows and records, checkpointed by a `WatermarkCursor`."""
    cursor = WatermarkCursor(stream.name, saved_state_ms, message_repository)
    return DefaultStream(
        partition_generator=_ReportWindows(stream, cursor, gate),
        name=stream.name,
        json_schema=stream.get_json_schema,
        primary_key=primary_key,
        cursor_field=cursor.cursor_field,
        logger=logging.getLogger(f"airbyte.{stream.name}"),
        cursor=cursor,
    )
