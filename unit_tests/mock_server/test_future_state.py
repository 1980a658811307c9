"""A saved state later than now: the stream reads nothing until then, and the log says so at WARN."""

import datetime

from airbyte_cdk.models import Level
from airbyte_cdk.test.state_builder import StateBuilder

from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder, epoch_ms
from .response_builder import GROUP_URN, ReportResponseBuilder, account_element, element
from .utils import mock_token, read_streams, requests_made

STREAM = "account_activity"
FUTURE_DAY = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1000)


def _state(stream, value):
    return StateBuilder().with_stream_state(stream, {"latestDataAt": value}).build()


def _warnings(output):
    return [m.log.message for m in output.logs if m.log.level == Level.WARN]


def test_a_state_in_the_future_reads_nothing_and_warns_with_the_stream_the_date_and_how_to_reset(http_mocker):
    future = epoch_ms(FUTURE_DAY) + 13 * 3_600_000

    output = read_streams(ConfigBuilder().without("end_date").build(), STREAM, state=_state(STREAM, future))

    assert output.records == []
    assert requests_made(http_mocker) == []
    assert _warnings(output) == [
        f"The saved state of stream '{STREAM}' is in the future ({FUTURE_DAY.isoformat()} 13:00 UTC): the stream reads "
        "nothing until then. Unless that is meant, reset the stream (in Airbyte, 'Clear data' of this stream in the "
        "connection; from a shell, drop its entry from the --state file)."
    ]


def test_only_the_streams_with_a_future_state_are_named(http_mocker):
    state = StateBuilder().with_stream_state(STREAM, {"latestDataAt": epoch_ms(FUTURE_DAY)}).with_stream_state(
        "group_activity", {"latestDataAt": epoch_ms("2024-01-01")}
    ).build()
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder.for_stream("group_activity").with_started_at("2024-01-01").build(),
        ReportResponseBuilder().with_element(element(entity={"groupUrn": GROUP_URN})).build(),
    )

    output = read_streams(ConfigBuilder().build(), STREAM, "group_activity", state=state)

    (warning,) = _warnings(output)
    assert f"stream '{STREAM}'" in warning and "group_activity" not in warning


def test_a_state_in_the_past_gives_no_warning(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder.for_stream(STREAM).with_started_at("2024-01-01").build(),
        ReportResponseBuilder().with_element(account_element()).build(),
    )

    output = read_streams(ConfigBuilder().build(), STREAM, state=_state(STREAM, epoch_ms("2024-01-01")))

    assert len(output.records) == 1
    assert _warnings(output) == []
