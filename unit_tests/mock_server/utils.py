"""Running the connector's commands through the CDK's entrypoint, as the platform does."""

import tempfile
from pathlib import Path
from typing import Any, List, Mapping, Optional

from airbyte_cdk.models import AirbyteStateMessage, ConfiguredAirbyteCatalog, SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, _run_command, discover, make_file, read
from airbyte_cdk.test.mock_http import HttpMocker
from airbyte_cdk.test.models.outcome import ExpectedOutcome

from source_linkedin_learning.source import SourceLinkedinLearning

from .request_builder import token_request
from .response_builder import token_response

FIXED_STREAMS = (
    "account_activity",
    "group_activity",
    "individual_activity",
    "content_activity",
    "individual_content_activity",
)
CATALOG_STREAMS = ("learning_assets", "learning_classifications")


def catalog(*stream_names: str, sync_mode: SyncMode = SyncMode.incremental) -> ConfiguredAirbyteCatalog:
    builder = CatalogBuilder()
    for name in stream_names:
        builder.with_stream(name, sync_mode)
    return builder.build()


def read_streams(
    config: Mapping[str, Any],
    *stream_names: str,
    state: Optional[List[AirbyteStateMessage]] = None,
    expecting_exception: bool = False,
    sync_mode: SyncMode = SyncMode.incremental,
) -> EntrypointOutput:
    configured = catalog(*stream_names, sync_mode=sync_mode)
    source = SourceLinkedinLearning(catalog=configured, config=config, state=state)
    outcome = ExpectedOutcome.EXPECT_EXCEPTION if expecting_exception else ExpectedOutcome.EXPECT_SUCCESS
    return read(source, config, configured, state, expected_outcome=outcome)


def run_discover(config: Mapping[str, Any], expecting_exception: bool = False) -> EntrypointOutput:
    outcome = ExpectedOutcome.EXPECT_EXCEPTION if expecting_exception else ExpectedOutcome.EXPECT_SUCCESS
    return discover(SourceLinkedinLearning(config=config), config, expected_outcome=outcome)


def run_check(config: Mapping[str, Any]) -> EntrypointOutput:
    """`check` (the test kit has read and discover helpers only)."""
    with tempfile.TemporaryDirectory() as directory:
        config_file = make_file(Path(directory) / "config.json", config)
        return _run_command(
            SourceLinkedinLearning(config=config),
            ["check", "--config", config_file],
            expected_outcome=ExpectedOutcome.ALLOW_ANY,
        )


def connection_status(output: EntrypointOutput):
    statuses = output.connection_status_messages
    assert len(statuses) == 1, f"expected one CONNECTION_STATUS, got {output.get_formatted_error_message()}"
    return statuses[0].connectionStatus


def mock_token(http_mocker: HttpMocker, access_token: str = "test-access-token", **token_request_args: Any) -> None:
    http_mocker.post(token_request(**token_request_args), token_response(access_token))


def requests_made(http_mocker: HttpMocker) -> list:
    """Every request that reached the mock (the requests_mock history under HttpMocker)."""
    return list(http_mocker._mocker.request_history)


def error_messages(output: EntrypointOutput) -> List[str]:
    return [message.trace.error.message for message in output.errors]


def config_errors(output: EntrypointOutput) -> List[str]:
    return [m.trace.error.message for m in output.errors if m.trace.error.failure_type.value == "config_error"]


def state_values(output: EntrypointOutput, stream_name: str) -> List[Any]:
    return [
        m.state.stream.stream_state.__dict__
        for m in output.state_messages
        if m.state.stream.stream_descriptor.name == stream_name
    ]
