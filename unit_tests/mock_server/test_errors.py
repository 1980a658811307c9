"""What the user sees when the reports API says no."""

from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder, token_request
from .response_builder import ReportResponseBuilder, account_element, error_response, token_response
from .utils import config_errors, mock_token, read_streams

DAY = "2024-01-01"


def _report(token="test-access-token"):
    return ReportRequestBuilder.for_stream("account_activity").with_started_at(DAY).with_access_token(token).build()


def test_a_400_shows_the_service_message_and_code_and_is_not_retried(http_mocker):
    mock_token(http_mocker)
    report = _report()
    http_mocker.get(report, error_response(400, "Invalid aggregation criteria", "INVALID_AGGREGATION_CRITERIA"))

    output = read_streams(ConfigBuilder().build(), "account_activity", expecting_exception=True)

    assert output.records == []
    assert any("INVALID_AGGREGATION_CRITERIA" in m and "Invalid aggregation criteria" in m for m in config_errors(output))
    http_mocker.assert_number_of_calls(report, 1)


def test_a_403_is_a_config_error_about_api_access_and_is_not_retried(http_mocker):
    mock_token(http_mocker)
    report = _report()
    http_mocker.get(report, error_response(403, "Access to LinkedIn Learning APIs requires Partner Program membership", "FORBIDDEN"))

    output = read_streams(ConfigBuilder().build(), "account_activity", expecting_exception=True)

    assert output.records == []
    assert any("Learning reports API" in m and "FORBIDDEN" in m for m in config_errors(output)), config_errors(output)
    http_mocker.assert_number_of_calls(report, 1)


def test_a_401_on_a_configured_access_token_asks_for_a_new_access_token(http_mocker):
    report = _report("expired-token")
    http_mocker.get(report, error_response(401, "Invalid access token", "UNAUTHORIZED"))

    output = read_streams(ConfigBuilder().with_access_token("expired-token").build(), "account_activity", expecting_exception=True)

    assert output.records == []
    assert any("'credentials.access_token'" in m for m in config_errors(output)), config_errors(output)
    http_mocker.assert_number_of_calls(report, 1)


def test_a_401_renews_an_issued_token_once_and_then_retries(http_mocker):
    http_mocker.post(token_request(), [token_response("first-token"), token_response("second-token")])
    http_mocker.get(_report("first-token"), error_response(401, "Invalid access token", "UNAUTHORIZED"))
    http_mocker.get(_report("second-token"), ReportResponseBuilder().with_element(account_element()).build())

    output = read_streams(ConfigBuilder().build(), "account_activity")

    assert len(output.records) == 1


def test_a_fresh_token_rejected_again_is_a_config_error_naming_the_client_credentials(http_mocker):
    token = token_request()
    http_mocker.post(token, [token_response("first-token"), token_response("second-token")])
    http_mocker.get(_report("first-token"), error_response(401, "Invalid access token", "UNAUTHORIZED"))
    http_mocker.get(_report("second-token"), error_response(401, "Invalid access token", "UNAUTHORIZED"))

    output = read_streams(ConfigBuilder().build(), "account_activity", expecting_exception=True)

    assert output.records == []
    assert any("'credentials.client_id'" in m for m in config_errors(output)), config_errors(output)
    http_mocker.assert_number_of_calls(token, 2)
