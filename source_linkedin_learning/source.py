"""The LinkedIn Learning source: the manifest run by the CDK's concurrent declarative source.

What the manifest cannot say happens here, once per sync: the config is checked field by field
before any request, custom reports become streams, each saved state becomes the aligned window
the sync resumes from, and every stream gets the `WatermarkCursor` (see cursor.py).
"""

import datetime
import logging
import pkgutil
import threading
import time
from queue import Queue
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional


from airbyte_cdk.models import AirbyteConnectionStatus, AirbyteStateMessage, ConfiguredAirbyteCatalog, ConnectorSpecification, Status
from airbyte_cdk.models import AirbyteMessage, AirbyteRecordMessage, AirbyteStateBlob, AirbyteStateType, AirbyteStreamState, StreamDescriptor, Type
from airbyte_cdk.sources.concurrent_source.concurrent_read_processor import ConcurrentReadProcessor
from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource
from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
from airbyte_cdk.sources.streams.concurrent.abstract_stream import AbstractStream
from airbyte_cdk.sources.types import Record
from airbyte_cdk.utils.airbyte_secrets_utils import get_secret_paths
from airbyte_cdk.utils.yaml_loader import safe_load_yaml
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_learning import reports, windows
from source_linkedin_learning.config import ConfigError, Settings, parse_config
from source_linkedin_learning.cursor import CURSOR_FIELD, parse_saved_state, state_values
from source_linkedin_learning.streams import RateLimitGate, with_watermark_cursor

CHECK_STREAM = "account_activity"
CHECK_SECONDS = 45
# Records read ahead of the main thread, which writes them: the bound of the CDK's queue between
# the window threads and the main thread (the CDK's own is 10,000). With at most
# components.PAGES_AT_ONCE decoded pages besides, a read holds a bounded number of records,
# however long the sync. One page of the live service's 1000 rows is enough for the main thread
# never to wait: in ad hoc runs of 100k and 1M records, peak memory grew by 8% with 1000, by 10 to
# 12% with 2000 and by 11 to 15% with 10,000, at the same speed (README, Performance).
RECORDS_AHEAD = 1000


class RecordQueue(Queue):  # type: ignore[type-arg]
    """The CDK's queue from the window threads to the main thread, its blocking `put` and `get`
    in fewer Python calls.

    Every record passes through it once. The stdlib's `put` and `get` each go through the
    Condition's Python-level `__enter__`, `__exit__`, `notify` and ownership check and the
    `_qsize`, `_put` and `_get` hooks; here each holds the queue's lock directly and wakes the
    other side only when a thread waits there. The same queue otherwise: first in, first out,
    at most `maxsize` items, a full queue blocks `put` and an empty one blocks `get`; calls with
    a timeout or that must not block are the stdlib's own.
    """

    def put(self, item: Any, block: bool = True, timeout: Optional[float] = None) -> None:
        if not block or timeout is not None:
            super().put(item, block, timeout)
            return
        with self.mutex:
            if self.maxsize > 0:
                while len(self.queue) >= self.maxsize:
                    self.not_full.wait()
            self.queue.append(item)
            self.unfinished_tasks += 1
            if self.not_empty._waiters:  # type: ignore[attr-defined]
                self.not_empty.notify()

    def get(self, block: bool = True, timeout: Optional[float] = None) -> Any:
        if not block or timeout is not None:
            return super().get(block, timeout)
        with self.mutex:
            while not self.queue:
                self.not_empty.wait()
            item = self.queue.popleft()
            if self.not_full._waiters:  # type: ignore[attr-defined]
                self.not_full.notify()
            return item

    def empty(self) -> bool:
        with self.mutex:
            return not self.queue


class RecordsFirstSource(ConcurrentSource):
    """The CDK's concurrent source, with a shorter way from a record to its RECORD line.

    The main thread turns every record that the window threads queue into a message, one at a
    time: a read's only serial work. The CDK's way goes through five type checks, a generator
    per record, a copy of the record and a schema transform that does nothing here, and then
    each message passes up four more generators to the entrypoint. A record of a stream that
    has already sent one goes to `record_sink` instead, when run.py's entrypoint has set it
    (it writes and counts the line); otherwise it becomes the same message directly: the same
    stream, data and `emitted_at`, the same record count, and the message repository drained
    after it. Everything else, the first record of each stream (which marks it RUNNING)
    included, is the CDK's own handling (README, Performance).
    """

    # Takes a record's stream name and data and returns True once it has written the record;
    # None, or a False answer, and the record becomes a message.
    record_sink: Optional[Callable[[str, Dict[str, Any]], bool]] = None

    def _handle_item(self, queue_item: Any, concurrent_stream_processor: ConcurrentReadProcessor) -> Iterable[AirbyteMessage]:
        if type(queue_item) is Record and queue_item.file_reference is None and type(queue_item.data) is dict:
            counter = concurrent_stream_processor._record_counter
            name = queue_item.stream_name
            if counter.get(name):
                counter[name] += 1
                sink = self.record_sink
                if sink is not None and sink(name, queue_item.data):
                    return self._message_repository.consume_queue()
                return self._record_message(name, queue_item.data)
        return super()._handle_item(queue_item, concurrent_stream_processor)

    def _record_message(self, name: str, data: Dict[str, Any]) -> Iterable[AirbyteMessage]:
        yield AirbyteMessage(type=Type.RECORD, record=AirbyteRecordMessage(stream=name, data=data, emitted_at=time.time_ns() // 1_000_000))
        yield from self._message_repository.consume_queue()


def secret_markers_only(schema: Mapping[str, Any]) -> Dict[str, Any]:
    """A schema that accepts any object and marks the same fields `airbyte_secret`."""
    marked: Dict[str, Any] = {"type": "object", "properties": {}}
    for path in get_secret_paths(schema.get("properties", {})):
        node = marked
        for name in path:
            node = node.setdefault("properties", {}).setdefault(name, {})
        node["airbyte_secret"] = True
    return marked


def load_manifest() -> Dict[str, Any]:
    """The manifest, parsed as the CDK parses its own schema: by libyaml where PyYAML has it (a
    tenth of the pure-Python time, which every command pays at start-up), else by safe_load."""
    data = pkgutil.get_data("source_linkedin_learning", "manifest.yaml")
    assert data is not None
    return safe_load_yaml(data)  # type: ignore[no-any-return]


class SourceLinkedinLearning(ConcurrentDeclarativeSource):
    def __init__(
        self,
        catalog: Optional[ConfiguredAirbyteCatalog] = None,
        config: Optional[Mapping[str, Any]] = None,
        state: Optional[List[AirbyteStateMessage]] = None,
        **kwargs: Any,
    ) -> None:
        manifest = load_manifest()
        self._settings: Optional[Settings] = None
        self._config_error: Optional[ConfigError] = None
        self._saved_states: Dict[str, int] = {}
        if config is not None:
            try:
                self._settings = parse_config(config, tuple(reports.fixed_stream_names(manifest)))
                manifest = reports.prepare_manifest(manifest, self._settings)
                self._saved_states = self._parse_states(state)
                state = self._resume_states(manifest)
            except ConfigError as error:
                self._config_error = error
                state = None
        self._primary_keys = reports.primary_key_by_stream(manifest)
        super().__init__(catalog=catalog, config=config, state=state, source_config=manifest, **kwargs)
        # The CDK builds the queue itself and offers no setting for its size; its main thread
        # never blocks on it (messages it emits while the queue is full wait in a buffer), so a
        # smaller bound only makes the window threads wait sooner. unit_tests/test_cdk_contract.py
        # pins the attribute.
        self._concurrent_source._queue.maxsize = RECORDS_AHEAD
        # The same queue and source, with the shorter ways for records of RecordQueue and
        # RecordsFirstSource (class swaps: the CDK builds both in __init__ and has no factory to
        # override). unit_tests/test_cdk_contract.py pins what they rely on.
        self._concurrent_source._queue.__class__ = RecordQueue
        self._concurrent_source.__class__ = RecordsFirstSource

    @property
    def record_sink(self) -> Optional[Callable[[str, Dict[str, Any]], bool]]:
        """Where a read's records go instead of becoming messages (see `RecordsFirstSource`)."""
        return self._concurrent_source.record_sink  # type: ignore[attr-defined, no-any-return]

    @record_sink.setter
    def record_sink(self, sink: Optional[Callable[[str, Dict[str, Any]], bool]]) -> None:
        self._concurrent_source.record_sink = sink  # type: ignore[attr-defined]

    @staticmethod
    def _parse_states(state: Optional[List[AirbyteStateMessage]]) -> Dict[str, int]:
        saved = {}
        for stream, value in state_values(state).items():
            parsed = parse_saved_state(value)
            if parsed is None:
                raise ConfigError(
                    f"The saved state of stream '{stream}' is not understood: '{CURSOR_FIELD}' must be epoch "
                    f"milliseconds (a number or a string of digits); got {value!r}. Reset the stream's state."
                )
            saved[stream] = parsed
        return saved

    def _resume_states(self, manifest: Mapping[str, Any]) -> List[AirbyteStateMessage]:
        """The state the CDK's window cursor starts from: the aligned window that holds the saved
        watermark, moved back by `lookback_days`."""
        assert self._settings is not None
        granularity = reports.granularity_by_stream(manifest)
        messages = []
        for stream, saved in self._saved_states.items():
            if stream not in granularity:
                continue
            resume = windows.resume_point(saved, self._settings.lookback_days, granularity[stream])
            messages.append(
                AirbyteStateMessage(
                    type=AirbyteStateType.STREAM,
                    stream=AirbyteStreamState(
                        stream_descriptor=StreamDescriptor(name=stream),
                        stream_state=AirbyteStateBlob(**{CURSOR_FIELD: str(resume)}),
                    ),
                )
            )
        return messages

    def spec(self, logger: logging.Logger) -> ConnectorSpecification:
        """The spec; for a config that failed the connector's own checks, only its secret markers.

        The entrypoint checks a config against the spec's JSON schema before the connector sees
        it, with messages that do not name the field. A config the connector already refused is
        not checked again, so the user gets the message from config.py; the secret markers stay,
        so that the secrets of a wrong config are still masked in logs.
        """
        spec = super().spec(logger)
        if self._config_error is None:
            return spec
        return ConnectorSpecification(
            documentationUrl=spec.documentationUrl,
            connectionSpecification=secret_markers_only(spec.connectionSpecification),
        )

    @property
    def settings(self) -> Settings:
        """The checked config; raises the config error when the config is wrong."""
        if self._config_error is not None:
            raise self._config_error
        if self._settings is None:
            raise ConfigError("No config was given: pass --config with a JSON file.")
        return self._settings

    def streams(self, config: Mapping[str, Any]) -> List[AbstractStream]:  # type: ignore[override]
        settings = self.settings
        floor = windows.to_ms(settings.start_date)
        gate = RateLimitGate()
        return [
            with_watermark_cursor(
                stream,
                self._saved_states.get(stream.name, floor),
                self._primary_keys[stream.name],
                # The repository that the concurrent source drains; the CDK offers no accessor.
                self._message_repository,
                gate,
            )
            for stream in super().streams(config)
        ]

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        """Gets a token and reads one page of `account_activity` for a recent day."""
        try:
            settings = self.settings
        except ConfigError as error:
            return AirbyteConnectionStatus(status=Status.FAILED, message=error.message)
        recent = (settings.end_date - datetime.timedelta(days=2)).isoformat()
        probe_config = {**config, "start_date": recent, "end_date": recent, "time_granularity": "DAY", "custom_reports": []}
        outcome: Dict[str, AirbyteConnectionStatus] = {}

        def probe() -> None:
            try:
                source = SourceLinkedinLearning(config=probe_config)
                stream = next(s for s in source.streams(probe_config) if s.name == CHECK_STREAM)
                availability = stream.check_availability()
                outcome["status"] = (
                    AirbyteConnectionStatus(status=Status.SUCCEEDED)
                    if availability.is_available
                    else AirbyteConnectionStatus(status=Status.FAILED, message=availability.reason)
                )
            except AirbyteTracedException as error:
                outcome["status"] = AirbyteConnectionStatus(status=Status.FAILED, message=error.message or error.internal_message)

        # The CDK retries a token endpoint it cannot reach for five minutes: right for a sync
        # that meets a network blip, too long for a person waiting on a connection test.
        worker = threading.Thread(target=probe, name="check", daemon=True)
        worker.start()
        worker.join(CHECK_SECONDS)
        return outcome.get("status") or AirbyteConnectionStatus(
            status=Status.FAILED,
            message=f"No answer from LinkedIn within {CHECK_SECONDS} s: check 'token_url' and 'api_url' and the network "
            "(or LinkedIn is answering 429 or 5xx and the connector is still retrying).",
        )
