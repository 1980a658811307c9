"""The LinkedIn Learning source: the manifest run by the CDK's concurrent declarative source.

What the manifest cannot say happens here, once per sync: the config is checked field by field
before any request, custom reports become streams, each saved state becomes the aligned window
the sync resumes from, and every report stream gets the `WatermarkCursor` (see cursor.py); the
catalog streams get theirs from catalog.py.
"""

import datetime
import logging
import pkgutil
import threading
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

from airbyte_cdk.models import AirbyteConnectionStatus, AirbyteMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog, ConnectorSpecification, Status, SyncMode
from airbyte_cdk.models import AirbyteStateBlob, AirbyteStateType, AirbyteStreamState, StreamDescriptor
from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
from airbyte_cdk.sources.streams.concurrent.abstract_stream import AbstractStream
from airbyte_cdk.utils.airbyte_secrets_utils import get_secret_paths
from airbyte_cdk.utils.yaml_loader import safe_load_yaml
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_learning import cdk_seam, reports, windows
from source_linkedin_learning.catalog import ASSETS_STREAM, CATALOG_STREAMS, CLASSIFICATIONS_STREAM, catalog_stream, saved_last_updated_at
from source_linkedin_learning.config import ConfigError, Settings, parse_config
from source_linkedin_learning.cursor import CURSOR_FIELD, FINISHED_FIELD, SavedState, SyncWatermark, parse_saved_state, stream_states
from source_linkedin_learning.errors import CATALOG_FORBIDDEN
from source_linkedin_learning.streams import Sync, with_watermark_cursor

CHECK_STREAM = "account_activity"
# Its first partition is one request for the first catalog locale's few libraries: whether the
# credentials may read the catalog (the API application's "Content" key).
CONTENT_CHECK_STREAM = CLASSIFICATIONS_STREAM
CHECK_SECONDS = 45


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
        self._saved_states: Dict[str, SavedState] = {}
        self._saved_assets: Optional[int] = None
        self._incremental = self._incremental_streams(catalog)
        if config is not None:
            try:
                self._settings = parse_config(config, tuple(reports.fixed_stream_names(manifest)))
                manifest = reports.prepare_manifest(manifest, self._settings)
                self._saved_states, self._saved_assets = self._parse_states(state)
                state = self._resume_states(manifest)
            except ConfigError as error:
                self._config_error = error
                state = None
        self._primary_keys = reports.primary_key_by_stream(manifest)
        super().__init__(catalog=catalog, config=config, state=state, source_config=manifest, **kwargs)

    @staticmethod
    def _incremental_streams(configured: Optional[ConfiguredAirbyteCatalog]) -> List[str]:
        return [s.stream.name for s in (configured.streams if configured else []) if s.sync_mode == SyncMode.incremental]

    @staticmethod
    def _parse_states(state: Optional[List[AirbyteStateMessage]]) -> Tuple[Dict[str, SavedState], Optional[int]]:
        """The saved states of the report streams, and the one of `learning_assets`."""
        saved = {}
        states = stream_states(state)
        assets = states.get(ASSETS_STREAM)
        saved_assets = saved_last_updated_at(assets) if assets else None
        if assets and saved_assets is None:
            raise ConfigError(
                f"The saved state of stream '{ASSETS_STREAM}' is not understood: 'lastUpdatedAt' must be epoch "
                f"milliseconds of a date (a number or a string of digits); got {dict(assets)!r}. Reset the stream's state."
            )
        for stream, value in states.items():
            if stream in CATALOG_STREAMS or CURSOR_FIELD not in value:
                continue
            parsed = parse_saved_state(value.get(CURSOR_FIELD), value.get(FINISHED_FIELD))
            if parsed is None:
                raise ConfigError(
                    f"The saved state of stream '{stream}' is not understood: '{CURSOR_FIELD}' must be epoch "
                    f"milliseconds of a date (a number or a string of digits), and '{FINISHED_FIELD}' a list of them; "
                    f"got {dict(value)!r}. Reset the stream's state."
                )
            saved[stream] = parsed
        return saved, saved_assets

    def _resume_states(self, manifest: Mapping[str, Any]) -> List[AirbyteStateMessage]:
        """The state the CDK's window cursor starts from: the aligned window that holds the saved
        watermark, moved back by `lookback_days`."""
        assert self._settings is not None
        granularity = reports.granularity_by_stream(manifest)
        messages = []
        for stream, saved in self._saved_states.items():
            if stream not in granularity:
                continue
            resume = windows.resume_point(saved.latest_data_at, self._settings.lookback_days, granularity[stream])
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
        floor = SavedState(windows.to_ms(settings.start_date))
        stop, watermark = Sync(settings.num_workers), SyncWatermark()
        repository = cdk_seam.message_repository(self)
        built: List[AbstractStream] = []
        for stream in super().streams(config):
            key = self._primary_keys[stream.name]
            if stream.name in CATALOG_STREAMS:
                incremental = stream.name in self._incremental
                built.append(catalog_stream(stream, key, stop, repository, self._saved_assets, incremental))
            else:
                saved = self._saved_states.get(stream.name, floor)
                built.append(with_watermark_cursor(stream, saved, key, repository, stop, watermark))
        return built

    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: Optional[List[AirbyteStateMessage]] = None,
    ) -> Iterator[AirbyteMessage]:
        """The CDK's read, after the checks that concern the whole sync.

        A stream the catalog names but the source does not have (a custom report since removed)
        would be marked incomplete and skipped, and the sync would succeed with nothing.
        """
        self.settings  # a wrong config is the error to show, before the catalog is compared
        self._incremental = self._incremental_streams(catalog)  # a saved catalog state applies only to these
        configured = [configured_stream.stream.name for configured_stream in catalog.streams]
        unknown = sorted(set(configured) - set(self._primary_keys))
        if unknown:
            raise ConfigError(
                f"The catalog asks for streams this source does not have: {', '.join(unknown)}. Refresh the source's "
                "schema (in Airbyte, 'Refresh source schema' on the connection's Schema tab; from a shell, run discover) "
                "and select the streams again: a custom_<name> stream exists only while 'custom_reports' defines <name>."
            )
        self._warn_of_future_states(logger, configured)
        yield from super().read(logger, config, catalog, state)

    def _warn_of_future_states(self, logger: logging.Logger, streams: List[str]) -> None:
        """A saved state later than now reads nothing until then (as Airbyte's future-state test
        expects); no watermark of the service is in the future, so say so loudly."""
        now_ms = int(datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000)
        for stream in streams:
            saved = self._saved_states.get(stream)
            if saved is not None and saved.latest_data_at > now_ms:
                logger.warning(
                    f"The saved state of stream '{stream}' is in the future ({windows.from_ms(saved.latest_data_at):%Y-%m-%d %H:%M} UTC): "
                    "the stream reads nothing until then. Unless that is meant, reset the stream (in Airbyte, 'Clear "
                    "data' of this stream in the connection; from a shell, drop its entry from the --state file)."
                )

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        """Gets a token and reads one page of `account_activity` for a recent day, then the first
        page of `learning_classifications`: it fails only when reports are refused, and says
        whether the credentials may read the course catalog too."""
        try:
            settings = self.settings
        except ConfigError as error:
            return AirbyteConnectionStatus(status=Status.FAILED, message=error.message)
        recent = (settings.end_date - datetime.timedelta(days=2)).isoformat()
        probe_config = {
            **config,
            "start_date": recent,
            "end_date": recent,
            "time_granularity": "DAY",
            "custom_reports": [],
            "catalog_locales": list(settings.catalog_locales[:1]),
        }
        outcome: Dict[str, AirbyteConnectionStatus] = {}

        def probe() -> None:
            try:
                source = SourceLinkedinLearning(config=probe_config)
                streams = {stream.name: stream for stream in source.streams(probe_config)}
                reports_access = streams[CHECK_STREAM].check_availability()
                if not reports_access.is_available:
                    outcome["status"] = AirbyteConnectionStatus(status=Status.FAILED, message=reports_access.reason)
                    return
                outcome["reports"] = AirbyteConnectionStatus(status=Status.SUCCEEDED)
                content_access = streams[CONTENT_CHECK_STREAM].check_availability()
                outcome["status"] = AirbyteConnectionStatus(status=Status.SUCCEEDED, message=_content_access(content_access.reason))
            except AirbyteTracedException as error:
                outcome["status"] = AirbyteConnectionStatus(status=Status.FAILED, message=error.message or error.internal_message)

        # The CDK retries a token endpoint it cannot reach for five minutes: right for a sync
        # that meets a network blip, too long for a person waiting on a connection test.
        worker = threading.Thread(target=probe, name="check", daemon=True)
        worker.start()
        worker.join(CHECK_SECONDS)
        if "status" in outcome:
            return outcome["status"]
        if "reports" in outcome:  # reports answered; the catalog is still retrying
            return AirbyteConnectionStatus(status=Status.SUCCEEDED, message=_content_access(f"no answer within {CHECK_SECONDS} s"))
        return AirbyteConnectionStatus(
            status=Status.FAILED,
            message=f"No answer from LinkedIn within {CHECK_SECONDS} s: check 'token_url' and 'api_url' and the network "
            "(or LinkedIn is answering 429 or 5xx and the connector is still retrying).",
        )


def _content_access(refusal: Optional[str]) -> str:
    """What `check` says about the course catalog, once reports were read: `refusal` is why its
    first page could not be read, None when it was."""
    if refusal is None:
        return "Connected: these credentials can read the activity reports and the course catalog."
    if refusal.startswith(CATALOG_FORBIDDEN):
        return f"Connected: these credentials can read the activity reports but not the course catalog. {refusal}"
    return (
        "Connected: these credentials can read the activity reports; whether they can read the course catalog "
        f"could not be checked ({refusal}). A sync of learning_assets or learning_classifications will tell."
    )
