"""When LinkedIn Learning answers oddly: nothing is lost or repeated without a word, and a sync
that cannot go on stops at the first sign, with one message that says what came back.

Each test starts from a reproduction of issue 17 ("Never silent").
"""

import json
from unittest import mock

import pytest
import requests
import requests_mock

from airbyte_cdk.models import Level
from airbyte_cdk.test.mock_http import HttpResponse
from airbyte_cdk.test.entrypoint_wrapper import read
from airbyte_cdk.test.models.outcome import ExpectedOutcome
from airbyte_cdk.test.state_builder import StateBuilder

from source_linkedin_learning import SourceLinkedinLearning

from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder, epoch_ms
from .response_builder import ReportResponseBuilder, account_element, element, error_response
from .utils import catalog, config_errors, error_messages, mock_token, read_streams, requests_made, state_values

STREAM = "account_activity"
DAYS = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06"]
LATEST = epoch_ms("2024-01-09")


def _config(days=DAYS, workers=1, page_size=None):
    builder = ConfigBuilder().with_start_date(days[0]).with_end_date(days[-1]).with_num_workers(workers)
    if page_size:
        builder = builder.with_page_size(page_size)
    return builder.build()


def _request(day, start=None, count=None):
    builder = ReportRequestBuilder.for_stream(STREAM).with_started_at(day)
    if count:
        builder = builder.with_count(count)
    if start:
        builder = builder.with_start(start)
    return builder.build()


def _page(*elements, total=None):
    builder = ReportResponseBuilder().with_elements(list(elements))
    if total is not None:
        builder = builder.with_total(total)
    return builder.build()


def _accounts(first, count):
    return [element(entity={"accountUrn": f"urn:li:account:{n}"}, latest_data_at=LATEST) for n in range(first, first + count)]


def _warnings(output):
    return [m.log.message for m in output.logs if m.log.level == Level.WARN]


def _errors(output):
    return [m.trace.error for m in output.errors]


def _connector_errors(output):
    """The error TRACEs other than the CDK's closing summary of the streams that failed."""
    return [error for error in _errors(output) if "did not sync successfully" not in (error.message or "")]


def _mock_windows(http_mocker, days, body):
    for day in days:
        http_mocker.get(_request(day), body)


# 1. A total smaller than the rows served.

def test_a_total_contradicted_by_the_rows_served_is_read_past_until_a_short_page_with_a_warning(http_mocker):
    mock_token(http_mocker)
    day = DAYS[0]
    http_mocker.get(_request(day, count=10), _page(*_accounts(0, 10), total=5))
    http_mocker.get(_request(day, count=10, start=10), _page(*_accounts(10, 10), total=5))
    http_mocker.get(_request(day, count=10, start=20), _page(*_accounts(20, 5), total=5))

    output = read_streams(_config([day], page_size=10), STREAM)

    assert len(output.records) == 25
    warnings = [w for w in _warnings(output) if "paging.total 5" in w]
    assert len(warnings) == 1 and day in warnings[0], _warnings(output)


def test_a_consistent_total_still_ends_the_window_without_asking_for_an_empty_page(http_mocker):
    mock_token(http_mocker)
    day = DAYS[0]
    http_mocker.get(_request(day, count=10), _page(*_accounts(0, 10), total=20))
    http_mocker.get(_request(day, count=10, start=10), _page(*_accounts(10, 10), total=20))

    output = read_streams(_config([day], page_size=10), STREAM)

    assert len(output.records) == 20
    assert not [w for w in _warnings(output) if "paging.total" in w]


# 4, 9, 10. Answers that are not pages.

@pytest.mark.parametrize(
    "body, says",
    [
        ("{}", "it has no 'elements'"),
        ('{"elements": null}', "'elements' is null, not a list"),
        ("[]", "the body is a list"),
        ('{"elements": {"a": 1}}', "'elements' is an object, not a list"),
        ('{"elements": "none"}', "'elements' is a string, not a list"),
        ('{"elements": [1]}', "'elements[0]' is int, not an object"),
    ],
)
def test_a_200_that_is_not_a_page_ends_the_sync_naming_what_came_back_and_the_window(http_mocker, body, says):
    mock_token(http_mocker)
    http_mocker.get(_request(DAYS[0]), HttpResponse(body, 200))

    output = read_streams(_config([DAYS[0]]), STREAM, expecting_exception=True)

    assert output.records == []
    messages = [error.message for error in _connector_errors(output)]
    assert len(messages) == 1 and says in messages[0] and "window starting 2024-01-01" in messages[0], messages
    assert not [value for value in state_values(output, STREAM) if int(value["latestDataAt"]) > epoch_ms(DAYS[0])]


def test_a_row_whose_learner_details_is_a_string_names_the_field_and_the_window(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(_request(DAYS[0]), HttpResponse(json.dumps({"elements": [{"learnerDetails": "x", "latestDataAt": LATEST}]}), 200))

    output = read_streams(_config([DAYS[0]]), STREAM, expecting_exception=True)

    messages = [error.message for error in _connector_errors(output)]
    assert len(messages) == 1 and "'learnerDetails' is str" in messages[0] and "window starting 2024-01-01" in messages[0], messages
    assert not any("AttributeError" in (error.message or "") for error in _errors(output))


@pytest.mark.parametrize("content_type, body", [("text/html", b"<html><body>Gateway</body></html>"), ("application/json", b"")])
def test_a_200_that_is_not_json_says_what_arrived(http_mocker, content_type, body):
    mock_token(http_mocker)
    http_mocker.get(_request(DAYS[0]), HttpResponse(body.decode(), 200, {"Content-Type": content_type, "Retry-After": "0"}))

    output = read_streams(_config([DAYS[0]]), STREAM, expecting_exception=True)

    messages = [error.message for error in _connector_errors(output)]
    assert len(messages) == 1 and f"Content-Type '{content_type}'" in messages[0] and "window starting 2024-01-01" in messages[0], messages
    if body:
        assert "<html>" in messages[0]
    assert "incomplete page" not in messages[0]


def test_a_page_orjson_refuses_but_that_is_valid_json_is_read(http_mocker):
    mock_token(http_mocker)
    row = '{"latestDataAt": %d, "learnerDetails": {"name": "Ren\\ud800e", "entity": {"accountUrn": "urn:li:account:1"}}}' % LATEST
    http_mocker.get(_request(DAYS[0]), HttpResponse('{"elements": [%s], "paging": {"start": 0, "count": 100, "total": 1}}' % row, 200))

    output = read_streams(_config([DAYS[0]]), STREAM)

    assert [(r.record.data["accountUrn"], r.record.data["learnerDetails"]["name"]) for r in output.records] == [("urn:li:account:1", "Ren\ufffde")]


# 7, 8. A failure that every window would meet stops the sync at the first.

def _windows_asked(http_mocker):
    return {int(call.qs["startedat"][0]) for call in requests_made(http_mocker) if call.method == "GET"}


@pytest.mark.parametrize(
    "answer, says",
    [
        (error_response(403, "Not allowed", "FORBIDDEN"), "refused access"),
        (error_response(400, "Bad criteria", "INVALID"), "rejected the report request"),
    ],
)
def test_a_refusal_stops_the_sync_at_the_first_window_with_one_message(http_mocker, answer, says):
    mock_token(http_mocker)
    http_mocker.get(_request(DAYS[0]), answer)

    output = read_streams(_config(workers=1), STREAM, expecting_exception=True)

    assert _windows_asked(http_mocker) == {epoch_ms(DAYS[0])}  # the five other windows were never asked for
    messages = [error.message for error in _connector_errors(output)]
    assert len(messages) == 1 and says in messages[0], messages


def test_a_permanent_5xx_stops_the_sync_within_one_request_s_retries_naming_the_status(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(_request(DAYS[0]), _page(*_accounts(0, 1)))
    http_mocker.get(_request(DAYS[1]), HttpResponse('{"message": "down"}', 503, {"Retry-After": "0"}))

    output = read_streams(_config(workers=1), STREAM, expecting_exception=True)

    assert _windows_asked(http_mocker) == {epoch_ms(DAYS[0]), epoch_ms(DAYS[1])}
    assert len([call for call in requests_made(http_mocker) if call.method == "GET"]) == 1 + 7  # one request's tries
    messages = [error.message for error in _connector_errors(output)]
    assert len(messages) == 1 and "HTTP 503" in messages[0] and "window starting 2024-01-02" in messages[0], messages
    assert [int(value["latestDataAt"]) for value in state_values(output, STREAM)][-1] == epoch_ms(DAYS[1])  # day 1 checkpointed


def _read_against(answer, workers):
    """A sync of the six windows against a service that gives `answer` to every report request
    (a requests-mock response spec), with the backoff waits skipped."""
    config = _config(workers=workers)
    with requests_mock.Mocker() as service, mock.patch("time.sleep"):
        service.post(requests_mock.ANY, json={"access_token": "t", "expires_in": 7775999})
        reports = service.get(requests_mock.ANY, **answer)
        output = read(SourceLinkedinLearning(catalog=catalog(STREAM), config=config), config, catalog(STREAM),
                      expected_outcome=ExpectedOutcome.EXPECT_EXCEPTION)
    return output, reports.call_count


def test_an_unreachable_api_stops_the_sync_within_one_request_s_retries_naming_the_host():
    output, calls = _read_against({"exc": requests.exceptions.ConnectionError("Connection refused")}, workers=2)

    messages = [error.message for error in _connector_errors(output)]
    assert len(messages) == 1 and "Could not reach LinkedIn Learning at api.linkedin.com" in messages[0], messages
    assert "'api_url'" in messages[0]
    assert calls <= 2 * 7  # the windows in flight, each one request's tries; not every window


def test_a_permanent_429_is_said_once():
    output, calls = _read_against({"status_code": 429, "text": "{}"}, workers=4)

    messages = [error.message for error in _connector_errors(output)]
    assert len(messages) == 1 and "429" in messages[0], messages
    assert calls < 6 * 7


# 11. Rows a deduplicating destination would merge.

def test_rows_without_their_key_urn_are_written_with_a_warning_naming_the_window(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(_request(DAYS[0]), _page(account_element(latest_data_at=LATEST), element(latest_data_at=LATEST), element(latest_data_at=LATEST)))

    output = read_streams(_config([DAYS[0]]), STREAM)

    assert len(output.records) == 3
    warnings = [w for w in _warnings(output) if "lack a URN of the primary key" in w]
    assert len(warnings) == 1 and warnings[0].startswith(f"stream '{STREAM}', window starting 2024-01-01: 2 rows"), _warnings(output)


def test_rows_that_repeat_a_key_within_a_window_are_said(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(_request(DAYS[0]), _page(*_accounts(0, 3), *_accounts(1, 2)))

    output = read_streams(_config([DAYS[0]]), STREAM)

    assert len(output.records) == 5
    warnings = [w for w in _warnings(output) if "repeat the primary key" in w]
    assert len(warnings) == 1 and ": 2 rows" in warnings[0], _warnings(output)


# 12. A saved cursor no date can hold.

@pytest.mark.parametrize("cursor", [10**18, str(10**20), 10**15, -(10**15), "abc"])
def test_a_state_cursor_out_of_range_is_a_config_error_like_any_unreadable_cursor(cursor):
    state = StateBuilder().with_stream_state(STREAM, {"latestDataAt": cursor}).build()

    output = read_streams(_config([DAYS[0]]), STREAM, state=state, expecting_exception=True)

    assert any("saved state of stream 'account_activity' is not understood" in message for message in config_errors(output)), error_messages(output)
