"""Each authentication method: which token is asked for and which bearer the reports carry."""

from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder, token_request
from .response_builder import ReportResponseBuilder, account_element, error_response, token_response
from .utils import config_errors, read_streams, requests_made

DAY = "2024-01-01"


def _report(http_mocker, stream_name="account_activity", token="test-access-token"):
    http_mocker.get(
        ReportRequestBuilder.for_stream(stream_name).with_started_at(DAY).with_access_token(token).build(),
        ReportResponseBuilder().with_element(account_element()).build(),
    )


def test_client_credentials_posts_the_form_grant_and_sends_the_issued_bearer(http_mocker):
    http_mocker.post(token_request("client_credentials"), token_response("issued-by-client-credentials"))
    _report(http_mocker, token="issued-by-client-credentials")

    output = read_streams(ConfigBuilder().with_client_credentials().build(), "account_activity")

    assert len(output.records) == 1
    token_call = requests_made(http_mocker)[0]
    assert token_call.method == "POST"
    assert token_call.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_refresh_token_posts_the_refresh_grant_and_sends_the_issued_bearer(http_mocker):
    http_mocker.post(token_request("refresh_token", refresh_token="my-refresh-token"), token_response("issued-by-refresh"))
    _report(http_mocker, token="issued-by-refresh")

    output = read_streams(ConfigBuilder().with_refresh_token("my-refresh-token").build(), "account_activity")

    assert len(output.records) == 1


def test_access_token_is_sent_as_is_without_any_token_request(http_mocker):
    _report(http_mocker, token="my-own-token")

    output = read_streams(ConfigBuilder().with_access_token("my-own-token").build(), "account_activity")

    assert len(output.records) == 1
    assert [call.method for call in requests_made(http_mocker)] == ["GET"]


def test_one_token_request_serves_every_stream_of_the_sync(http_mocker):
    token = token_request("client_credentials")
    http_mocker.post(token, token_response())
    _report(http_mocker, "account_activity")
    _report(http_mocker, "group_activity")
    _report(http_mocker, "content_activity")

    output = read_streams(ConfigBuilder().build(), "account_activity", "group_activity", "content_activity")

    assert len(output.records) == 3
    http_mocker.assert_number_of_calls(token, 1)


def test_the_token_is_asked_for_at_the_configured_token_url(http_mocker):
    http_mocker.post(token_request(token_url="https://sandbox.example.com/oauth/token"), token_response())
    _report(http_mocker)

    output = read_streams(ConfigBuilder().with_token_url("https://sandbox.example.com/oauth/token").build(), "account_activity")

    assert len(output.records) == 1


def test_a_refused_token_is_a_config_error_naming_the_client_credentials(http_mocker):
    token = token_request("client_credentials")
    http_mocker.post(token, error_response(401, "Invalid client credentials", "INVALID_CLIENT"))

    output = read_streams(ConfigBuilder().build(), "account_activity", expecting_exception=True)

    assert output.records == []
    errors = config_errors(output)
    assert errors and all("credentials.client_id" in message for message in errors)
    assert all(call.method == "POST" for call in requests_made(http_mocker))
