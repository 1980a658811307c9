"""What the connector relies on in airbyte-cdk beyond its documented extension points.

Each test names the place in the connector that needs it; if a CDK upgrade changes one of these,
the test fails here, with the reason, before a sync goes wrong. The one behaviour relied on that
no attribute shows, the final rate-limit error raised while handling the last 429 response
(streams.py), is proven by unit_tests/test_docs.py::test_a_permanent_rate_limit_is_explained.
"""

import inspect
from queue import Queue

from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.models import Type
from airbyte_cdk.sources.concurrent_source.concurrent_read_processor import ConcurrentReadProcessor
from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource
from airbyte_cdk.sources.declarative.stream_slicers.declarative_partition_generator import DeclarativePartition
from airbyte_cdk.sources.types import Record
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.sources.streams.http.requests_native_auth.abstract_oauth import AbstractOauth2Authenticator
from airbyte_cdk.sources.utils.transform import TransformConfig, TypeTransformer

from source_linkedin_learning import SourceLinkedinLearning
from source_linkedin_learning.source import RECORDS_AHEAD, RecordQueue, RecordsFirstSource
from source_linkedin_learning.cursor import WatermarkCursor
from source_linkedin_learning.streams import _plain_retriever

from unit_tests.mock_server.config import ConfigBuilder


def test_the_source_keeps_the_message_repository_its_concurrent_source_drains():
    """source.py hands `_message_repository` to every WatermarkCursor: its STATE messages must
    reach the same queue as the records, or checkpoints would be lost or out of order."""
    source = SourceLinkedinLearning(config=ConfigBuilder().build())
    assert isinstance(source._message_repository, MessageRepository)
    assert source._message_repository is source._constructor.get_message_repository()


def test_the_queue_the_source_bounds_is_the_one_its_threads_share():
    """source.py sets the bound of `_concurrent_source._queue` and makes it a RecordQueue: it must
    be the stdlib queue that the window threads fill (through the message repository too) and the
    main thread drains, with the lock and Conditions that RecordQueue uses."""
    source = SourceLinkedinLearning(config=ConfigBuilder().build())
    queue = source._concurrent_source._queue
    assert type(queue) is RecordQueue and isinstance(queue, Queue)
    assert queue.not_full._lock is queue.mutex and queue.not_empty._lock is queue.mutex
    assert hasattr(queue.not_full, "_waiters") and hasattr(queue.not_empty, "_waiters")
    assert queue is source._message_repository._queue
    assert queue.maxsize == RECORDS_AHEAD


def _messages(handle, source, processor, records):
    out = []
    for record in records:
        for message in handle(source._concurrent_source, record, processor):
            if message.type is Type.RECORD:
                message.record.emitted_at = 0
            elif message.type is Type.TRACE:
                message.trace.emitted_at = 0
            out.append(message)
    return out


def test_records_first_source_turns_records_into_the_messages_the_cdk_would():
    """source.py swaps the class of `_concurrent_source` for RecordsFirstSource, whose
    `_handle_item` counts a stream's records in the processor's `_record_counter` (by stream name)
    and drains `_message_repository` after each, as the CDK's `on_record` does."""
    source = SourceLinkedinLearning(config=ConfigBuilder().build())
    assert type(source._concurrent_source) is RecordsFirstSource
    assert isinstance(source._concurrent_source._message_repository, MessageRepository)
    streams = source.streams(source._config)[:2]

    def processor():
        # on_record uses none of the thread pool, enqueuer and reader.
        return ConcurrentReadProcessor(streams, None, None, source.logger, None, source._message_repository, None)  # type: ignore[arg-type]

    records = [Record(data={"n": i}, stream_name=streams[i % 2].name) for i in range(5)]
    ours, theirs = processor(), processor()
    assert _messages(RecordsFirstSource._handle_item, source, ours, records) == _messages(ConcurrentSource._handle_item, source, theirs, records)
    assert ours._record_counter == theirs._record_counter == {streams[0].name: 3, streams[1].name: 2}


def test_a_record_sink_takes_every_record_but_the_first_of_each_stream():
    """With run.py's sink set, RecordsFirstSource hands a stream's records after its first to
    the sink, with their data, and makes messages of none of them; a record the sink refuses
    becomes the CDK's message. The first record of a stream still goes the CDK's way."""
    source = SourceLinkedinLearning(config=ConfigBuilder().build())
    streams = source.streams(source._config)[:2]
    processor = ConcurrentReadProcessor(streams, None, None, source.logger, None, source._message_repository, None)  # type: ignore[arg-type]
    taken = []
    source.record_sink = lambda stream, data: data["n"] != 3 and not taken.append((stream, data["n"]))
    records = [Record(data={"n": i}, stream_name=streams[i % 2].name) for i in range(6)]

    messages = _messages(RecordsFirstSource._handle_item, source, processor, records)

    assert taken == [(streams[0].name, 2), (streams[0].name, 4), (streams[1].name, 5)]
    assert [message.record.data["n"] for message in messages if message.type is Type.RECORD] == [0, 1, 3]
    assert processor._record_counter == {streams[0].name: 3, streams[1].name: 3}
    source.record_sink = None
    assert source._concurrent_source.record_sink is None


def test_the_entrypoint_still_checks_memory_and_queues_messages_as_run_py_does():
    """run.py's `_Entrypoint.take_record` calls the memory check of the CDK's `read` for each
    record it writes, and on failure writes the queued messages as the CDK does."""
    entrypoint = AirbyteEntrypoint(SourceLinkedinLearning(config=ConfigBuilder().build()))
    assert callable(entrypoint._memory_monitor.check_memory_usage)
    assert callable(entrypoint._emit_queued_messages)
    assert "_memory_monitor.check_memory_usage()" in inspect.getsource(AirbyteEntrypoint.read)


def test_default_stream_still_takes_a_cursor_and_a_partition_generator():
    """streams.py builds a DefaultStream around the declarative stream's partitions."""
    parameters = inspect.signature(DefaultStream.__init__).parameters
    assert {"partition_generator", "name", "json_schema", "primary_key", "cursor_field", "logger", "cursor"} <= set(parameters)
    assert not [name for name in Cursor.__abstractmethods__ if not hasattr(WatermarkCursor, name)]


def test_every_stream_the_source_builds_uses_the_watermark_cursor():
    source = SourceLinkedinLearning(config=ConfigBuilder().build())
    streams = source.streams(source._config)
    assert streams and all(isinstance(stream.cursor, WatermarkCursor) for stream in streams)


def test_the_oauth_base_class_still_has_the_lock_and_token_lookup_auth_py_uses():
    """auth.py shares one token between streams under the class-level refresh lock."""
    assert hasattr(AbstractOauth2Authenticator, "_token_refresh_lock")
    assert callable(getattr(AbstractOauth2Authenticator, "_current_access_token_or_none", None))


def _first_window(source: SourceLinkedinLearning):
    stream = source.streams(source._config)[0]
    return next(iter(stream._stream_partition_generator.generate()))


def test_a_window_reads_through_the_declarative_partition_it_wraps():
    """streams.py reads a window through its DeclarativePartition's retriever and slice, and
    skips the partition's own per-record work only while that work does nothing: no record
    limit and `NoTransform` schema normalisation."""
    window = _first_window(SourceLinkedinLearning(config=ConfigBuilder().build()))
    partition = window._partition
    assert isinstance(partition, DeclarativePartition)
    assert partition._max_records_limit is None
    assert isinstance(partition._message_repository, MessageRepository)
    assert partition._stream_slice is partition.to_slice()
    retriever = _plain_retriever(partition)
    assert retriever is partition._retriever
    assert retriever.record_selector.schema_normalization._config == TransformConfig.NoTransform


def test_a_window_with_a_record_limit_or_normalisation_reads_the_cdk_way():
    window = _first_window(SourceLinkedinLearning(config=ConfigBuilder().build()))
    partition = window._partition
    partition._max_records_limit = 5  # what the Connector Builder's test reads set
    assert _plain_retriever(partition) is None
    partition._max_records_limit = None
    partition._retriever.record_selector.schema_normalization = TypeTransformer(TransformConfig.DefaultSchemaNormalization)
    assert _plain_retriever(partition) is None

