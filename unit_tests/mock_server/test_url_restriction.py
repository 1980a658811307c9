"""Credentials never travel over plain http, except to this machine (a local simulator)."""

import pytest

from source_linkedin_learning.config import ConfigError, parse_config

from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder, token_request
from .response_builder import ReportResponseBuilder, account_element, token_response
from .utils import config_errors, connection_status, read_streams, requests_made, run_check

REFUSED = ["http://api.linkedin.com", "http://10.0.0.5:8080", "http://localhost.example.com", "http://127.0.0.1.nip.io"]
ALLOWED = ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "https://sandbox.example.com", "https://10.0.0.5"]


@pytest.mark.parametrize("field", ["api_url", "token_url"])
@pytest.mark.parametrize("url", REFUSED)
def test_plain_http_to_another_host_is_refused_naming_the_field(field, url):
    with pytest.raises(ConfigError) as error:
        parse_config(ConfigBuilder().with_field(field, url).build())
    assert f"'{field}'" in error.value.message
    assert "https" in error.value.message


@pytest.mark.parametrize("field", ["api_url", "token_url"])
@pytest.mark.parametrize("url", ALLOWED)
def test_loopback_http_and_https_anywhere_are_accepted(field, url):
    settings = parse_config(ConfigBuilder().with_field(field, url).build())
    assert getattr(settings, field) == url


@pytest.mark.parametrize("field", ["api_url", "token_url"])
def test_check_fails_on_plain_http_naming_the_field_without_any_request(field, http_mocker):
    status = connection_status(run_check(ConfigBuilder().with_field(field, "http://api.example.com").build()))

    assert status.status.name == "FAILED"
    assert f"'{field}'" in status.message
    assert requests_made(http_mocker) == []


def test_read_refuses_plain_http_with_a_config_error_and_sends_nothing(http_mocker):
    output = read_streams(ConfigBuilder().with_api_url("http://api.example.com").build(), "account_activity", expecting_exception=True)

    assert any("'api_url'" in message for message in config_errors(output))
    assert requests_made(http_mocker) == []


def test_a_local_simulator_over_http_is_read(http_mocker):
    http_mocker.post(token_request(token_url="http://127.0.0.1:8765/oauth/v2/accessToken"), token_response())
    http_mocker.get(
        ReportRequestBuilder.for_stream("account_activity", api_url="http://localhost:8765").with_started_at("2024-01-01").build(),
        ReportResponseBuilder().with_element(account_element()).build(),
    )

    config = ConfigBuilder().with_api_url("http://localhost:8765").with_token_url("http://127.0.0.1:8765/oauth/v2/accessToken").build()
    output = read_streams(config, "account_activity")

    assert len(output.records) == 1
