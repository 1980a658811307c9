"""Running the connector against the simulator, and what the simulator says it should yield."""

import datetime
from typing import Any, Dict, Iterable, List, Optional, Tuple

from airbyte_cdk.models import AirbyteStateMessage, ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder, ConfiguredAirbyteStreamBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read
from airbyte_cdk.test.models.outcome import ExpectedOutcome

from source_linkedin_learning import SourceLinkedinLearning
from source_linkedin_learning.auth import LinkedInLearningOAuthAuthenticator
from source_linkedin_learning.reports import primary_key

REPORTS_PATH = "/v2/learningActivityReports"
DAY_MS = 86_400_000
# The simulator's default clock: 2024-03-15T12:00Z, data processed up to 30 hours before.
SIM_TODAY = datetime.date(2024, 3, 15)
STREAM_LEVELS = {
    "account_activity": ("ACCOUNT", None),
    "group_activity": ("GROUP", None),
    "individual_activity": ("INDIVIDUAL", None),
    "content_activity": ("CONTENT", None),
    "individual_content_activity": ("INDIVIDUAL", "CONTENT"),
}
STREAMS = tuple(STREAM_LEVELS)


def config_for(sim: Any, **overrides: Any) -> Dict[str, Any]:
    settings = sim.settings
    config = {
        "credentials": {
            "auth_method": "client_credentials",
            "client_id": settings.client_id,
            "client_secret": settings.client_secret,
        },
        "start_date": (SIM_TODAY - datetime.timedelta(days=6)).isoformat(),
        "end_date": SIM_TODAY.isoformat(),
        "api_url": sim.base_url,
        "token_url": sim.token_url,
        "page_size": 10,
        "num_workers": 4,
    }
    config.update(overrides)
    return config


def catalog(streams: Iterable[str] = STREAMS, mode: SyncMode = SyncMode.incremental) -> ConfiguredAirbyteCatalog:
    builder = CatalogBuilder()
    for name in streams:
        builder.with_stream(ConfiguredAirbyteStreamBuilder().with_name(name).with_sync_mode(mode))
    return builder.build()


def run_read(
    config: Dict[str, Any],
    streams: Iterable[str] = STREAMS,
    state: Optional[List[AirbyteStateMessage]] = None,
    mode: SyncMode = SyncMode.incremental,
    expect_failure: bool = False,
) -> EntrypointOutput:
    configured = catalog(streams, mode)
    # Each sync is a process of its own: no token is carried over from the previous one.
    LinkedInLearningOAuthAuthenticator.forget_tokens()
    source = SourceLinkedinLearning(catalog=configured, config=config, state=state)
    outcome = ExpectedOutcome.EXPECT_EXCEPTION if expect_failure else ExpectedOutcome.EXPECT_SUCCESS
    output = read(source, config, configured, state, expected_outcome=outcome)
    if not expect_failure:
        # The test kit only prints an unexpected failure: say it here, before what it caused.
        assert not output.errors, [message.trace.error.message for message in output.errors]
    return output


def report_requests(sim: Any) -> List[Dict[str, Any]]:
    return [r for r in sim.requests if r["path"] == REPORTS_PATH]


def windows_requested(sim: Any, primary: str = "ACCOUNT") -> List[int]:
    """Window starts of the report requests for one aggregation, in time order."""
    starts = {
        int(r["params"]["startedAt"])
        for r in report_requests(sim)
        if r["params"].get("aggregationCriteria.primary") == primary and "aggregationCriteria.secondary" not in r["params"]
    }
    return sorted(starts)


def day_ms(day: datetime.date) -> int:
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc).timestamp() * 1000)


def key_of(stream: str, data: Dict[str, Any]) -> Tuple[Any, ...]:
    primary, secondary = STREAM_LEVELS.get(stream, (None, None))
    return tuple(data[field] for field in primary_key(primary, secondary))


def records_by_key(output: EntrypointOutput) -> Dict[Tuple[str, Tuple[Any, ...]], Dict[str, Any]]:
    """The destination's view with deduplication on the primary key: the last record wins."""
    table = {}
    for message in output.records:
        record = message.record
        table[(record.stream, key_of(record.stream, record.data))] = record.data
    return table


def expected_keys(sim: Any, stream: str, first_day: datetime.date, last_day: datetime.date) -> set:
    """Primary keys of every element the simulator serves for the stream's DAY windows."""
    primary, secondary = STREAM_LEVELS[stream]
    keys = set()
    day = first_day
    while day <= last_day:
        start = day_ms(day)
        for element in sim.report(primary, secondary, started_at=start, unit="DAY", duration=1):
            entity = element["learnerDetails"]["entity"]
            data = {
                "accountUrn": entity.get("accountUrn"),
                "groupUrn": entity.get("groupUrn"),
                "learnerUrn": entity.get("learnerUrn") or entity.get("profileUrn"),
                "contentUrn": entity.get("contentUrn") or (element.get("contentDetails") or {}).get("contentUrn"),
                "startedAt": start,
            }
            keys.add(key_of(stream, data))
        day += datetime.timedelta(days=1)
    return keys


def state_value(output: EntrypointOutput, stream: str) -> Optional[int]:
    values = [
        m.state.stream.stream_state.latestDataAt  # type: ignore[union-attr]
        for m in output.state_messages
        if m.state.stream.stream_descriptor.name == stream  # type: ignore[union-attr]
    ]
    return values[-1] if values else None


def state_messages_for(output: EntrypointOutput, stream: str) -> List[AirbyteStateMessage]:
    return [m.state for m in output.state_messages if m.state.stream.stream_descriptor.name == stream]  # type: ignore[union-attr]
