"""Entry point of the `source-linkedin-learning` console script."""

import ctypes
import gc
import platform
import sys
import time
import traceback
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any, DefaultDict, Dict, Iterable, List, Optional, Tuple

import orjson

from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import AirbyteErrorTraceMessage, AirbyteMessage, AirbyteMessageSerializer, AirbyteRecordMessage
from airbyte_cdk.models import AirbyteTraceMessage, ConnectorSpecification, FailureType, TraceType, Type
from airbyte_cdk.sources.connector_state_manager import HashableStreamDescriptor
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_learning.source import SourceLinkedinLearning

RECORDS_PER_WRITE = 1000
# Seconds a thread may hold the GIL while another waits for it (CPython's default is 0.005). A
# read is CPU-bound in one process: the window threads decode pages and the main thread writes
# records. Every forced hand-over costs a context switch and cold caches, and at the default they
# cost about a fifth of a read's time; a thread waiting on the network releases the GIL anyway.
SWITCH_INTERVAL_S = 0.05
# glibc's mallopt parameter for the number of malloc arenas (malloc.h).
M_ARENA_MAX = -8


def _config_error_message(message: str, error: Exception) -> str:
    trace = AirbyteMessage(
        type=Type.TRACE,
        trace=AirbyteTraceMessage(
            type=TraceType.ERROR,
            emitted_at=int(datetime.now(timezone.utc).timestamp() * 1000),
            error=AirbyteErrorTraceMessage(
                message=message,
                internal_message=f"{type(error).__name__}: {error}",
                stack_trace="".join(traceback.format_exception(error)),
                failure_type=FailureType.config_error,
            ),
        ),
    )
    return orjson.dumps(AirbyteMessageSerializer.dump(trace)).decode()


def _source(args: List[str]) -> Optional[SourceLinkedinLearning]:
    """The source with the files that the command names; a file that cannot be read is
    reported as a config error naming it, not as a bare traceback."""
    files = (
        ("--config", AirbyteEntrypoint.extract_config(args), SourceLinkedinLearning.read_config),
        ("--catalog", AirbyteEntrypoint.extract_catalog(args), SourceLinkedinLearning.read_catalog),
        ("--state", AirbyteEntrypoint.extract_state(args), SourceLinkedinLearning.read_state),
    )
    loaded = []
    for flag, path, reader in files:
        try:
            loaded.append(reader(path) if path else None)
        except Exception as error:  # any unreadable or malformed file ends the same way
            print(_config_error_message(f"The {flag} file {path!r} could not be read: {error}. Check that it is valid JSON of the right shape.", error))
            return None
    config, catalog, state = loaded
    return SourceLinkedinLearning(catalog=catalog, config=config, state=state)


def record_line(record: AirbyteRecordMessage) -> Optional[bytes]:
    """The RECORD line the CDK writes for `record`, byte for byte, without its general-purpose
    serializer (which copies the data into new objects first) and without a round trip through
    `str`. Like the CDK's, it leaves out the top-level keys of the data whose value is null. None
    for a record this shortcut does not cover, which the CDK then writes itself."""
    if record.namespace is not None or record.meta is not None or record.file_reference is not None:
        return None
    return _line(record.stream, record.data, record.emitted_at)


def _line(stream: str, data: Dict[str, Any], emitted_at: int) -> Optional[bytes]:
    if None in data.values():
        data = {key: value for key, value in data.items() if value is not None}
    try:
        return orjson.dumps({"type": "RECORD", "record": {"stream": stream, "data": data, "emitted_at": emitted_at}})
    except TypeError:  # not JSON as orjson knows it: the CDK's fallback handles it
        return None


class _Entrypoint(AirbyteEntrypoint):
    """The CDK's entrypoint, writing a read's records itself, as bytes, 1000 to a write.

    `run` serialises whatever `read` yields. Here, most records never become messages: the
    source hands each record of a stream that has already sent one to `take_record` (see
    `RecordsFirstSource`), which writes its line into the batch, counts it and checks memory,
    as the CDK's `read` does for each message it yields. `read` writes the other records that
    reach it the same way, and yields the other messages (state, logs, traces) for `run`, after
    writing the batch and flushing the CDK's print buffer, so that no message overtakes a
    record handled before it. Everything else is the CDK's own `read`, the record count of each
    STATE message included (counted more cheaply, see `handle_record_counts`)."""

    def __init__(self, source: SourceLinkedinLearning) -> None:
        super().__init__(source)
        # RECORD messages counted but not yet added to the CDK's counter, by (stream, namespace).
        self._uncounted: DefaultDict[Tuple[str, Optional[str]], int] = defaultdict(int)
        # The CDK's counter of this read's records by stream (the one it last passed in).
        self._counts: DefaultDict[HashableStreamDescriptor, float] = defaultdict(float)
        self._batch: List[bytes] = []
        self._memory_error: Optional[AirbyteTracedException] = None

    def read(self, source_spec: ConnectorSpecification, config: Any, catalog: Any, state: List[Any]) -> Iterable[AirbyteMessage]:
        source: SourceLinkedinLearning = self.source  # type: ignore[assignment]
        source.record_sink = self.take_record
        try:
            for message in super().read(source_spec, config, catalog, state):
                line = record_line(message.record) if message.type is Type.RECORD else None  # type: ignore[arg-type]
                if line is None:
                    self._write_batch()
                    yield message
                    continue
                self._add(line)
        except AirbyteTracedException as error:
            if error is not self._memory_error:
                raise
            # What the CDK's `read` does when its memory check fails: the queued messages (the
            # last state checkpoints) go out before the error.
            self._write_batch()
            for message in self._emit_queued_messages(self.source):
                yield self.handle_record_counts(message, self._counts)
            raise
        finally:
            source.record_sink = None
        self._write_batch()

    def take_record(self, stream: str, data: Dict[str, Any]) -> bool:
        """Writes the RECORD line of a record of `stream` (no namespace), as if the CDK's `read`
        had yielded its message; False, having done nothing, for data that orjson cannot write."""
        line = _line(stream, data, time.time_ns() // 1_000_000)
        if line is None:
            return False
        self._uncounted[(stream, None)] += 1
        self._add(line)
        try:
            self._memory_monitor.check_memory_usage()
        except AirbyteTracedException as error:
            self._memory_error = error
            raise
        return True

    def _add(self, line: bytes) -> None:
        self._batch.append(line)
        if len(self._batch) >= RECORDS_PER_WRITE:
            self._write_batch()

    def _write_batch(self) -> None:
        if self._batch:
            _write(self._batch)
            self._batch = []

    def handle_record_counts(  # type: ignore[override]  # the CDK calls it on the instance
        self, message: AirbyteMessage, stream_message_count: DefaultDict[HashableStreamDescriptor, float]
    ) -> AirbyteMessage:
        """The CDK's count, kept by stream name while records pass and added to the CDK's counter
        before any other message, so every STATE message carries the same count as the CDK's own
        (which hashes a new descriptor dataclass, in Python, twice a record)."""
        self._counts = stream_message_count
        if message.type is Type.RECORD and message.record is not None:
            self._uncounted[(message.record.stream, message.record.namespace)] += 1
            return message
        if self._uncounted:
            for (name, namespace), count in self._uncounted.items():
                stream_message_count[HashableStreamDescriptor(name=name, namespace=namespace)] += float(count)
            self._uncounted.clear()
        return AirbyteEntrypoint.handle_record_counts(message, stream_message_count)


def _write(lines: List[bytes]) -> None:
    lines.append(b"")
    with PRINT_BUFFER.lock:
        PRINT_BUFFER.flush()
        out = sys.__stdout__.buffer  # type: ignore[union-attr]  # where PRINT_BUFFER.flush writes
        out.write(b"\n".join(lines))
        out.flush()


def _launch(source: SourceLinkedinLearning, args: List[str]) -> None:
    """The CDK's `launch`: every message `run` yields, one line each. A read's records do not
    pass here; `_Entrypoint.read` writes them in batches."""
    entrypoint = _Entrypoint(source)
    parsed_args = entrypoint.parse_args(args)
    with PRINT_BUFFER:
        for message in entrypoint.run(parsed_args):
            PRINT_BUFFER.write(message + "\n")


def one_malloc_arena() -> bool:
    """Let every thread allocate from glibc's main arena (what MALLOC_ARENA_MAX=1 does).

    By default glibc gives each thread that contends for malloc an arena of its own, which keeps
    the memory that thread freed: with four window threads that is four more heaps, each as
    large as the most that thread ever held. The threads allocate while holding the GIL, so
    they seldom contend for one arena. Measured in ad hoc runs of 100k and 1M records, the peak
    RSS is about 15 MB lower, at the same speed. True where it took effect; off glibc, nothing.
    """
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        return bool(ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1))
    except (OSError, AttributeError):
        return False


def run(args: Optional[List[str]] = None) -> None:
    args = sys.argv[1:] if args is None else args
    one_malloc_arena()  # before any thread starts
    # A read allocates a few dicts per record and frees them at once; a larger first-generation
    # threshold keeps the cyclic collector from walking them every 700 allocations.
    gc.set_threshold(20_000, 50, 100)
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    source = _source(args)
    if source is None:
        sys.exit(1)
    _launch(source, args)


if __name__ == "__main__":
    run()
