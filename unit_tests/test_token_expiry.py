"""What a 401 for one of the connector's own tokens leads to: a token that ran out on its way is
retried with the current one, a current token is renewed, a fresh renewal is the credentials' fault."""

import datetime
from typing import Iterator, Tuple
from unittest import mock

import pytest
import requests

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.auth.oauth import DeclarativeOauth2Authenticator
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ResponseAction
from airbyte_cdk.utils.datetime_helpers import ab_datetime_now

from source_linkedin_learning.auth import LinkedInLearningOAuthAuthenticator
from source_linkedin_learning.errors import JitteredExponentialBackoff, LinkedInLearningErrorHandler

CREDENTIALS = {"auth_method": "client_credentials", "client_id": "test-client-id", "client_secret": "test-client-secret"}
HOUR = datetime.timedelta(hours=1)


def _issued(*answers: Tuple[str, datetime.timedelta]) -> Iterator[Tuple[str, datetime.datetime]]:
    """What the token endpoint answers, one (token, lifetime) after the other."""
    for value, lifetime in answers:
        yield value, ab_datetime_now() + lifetime


@pytest.fixture
def authenticator():
    return LinkedInLearningOAuthAuthenticator(
        config={},
        parameters={},
        token_refresh_endpoint="https://www.linkedin.com/oauth/v2/accessToken",
        client_id="test-client-id",
        client_secret="test-client-secret",
        grant_type="client_credentials",
    )


def _answer_401(token: str) -> requests.Response:
    response = requests.Response()
    response.status_code = 401
    response._content = b'{"status": 401, "code": "UNAUTHORIZED", "message": "Expired access token"}'
    response.request = requests.Request("GET", "https://api.linkedin.com/v2/learningActivityReports").prepare()
    response.request.headers["Authorization"] = f"Bearer {token}"
    return response


def _resolve(token: str):
    handler = LinkedInLearningErrorHandler(config={"credentials": CREDENTIALS}, parameters={})
    return handler.interpret_response(_answer_401(token))


def _token_endpoint(*answers: Tuple[str, datetime.timedelta]):
    return mock.patch.object(DeclarativeOauth2Authenticator, "refresh_access_token", side_effect=_issued(*answers))


def test_a_401_for_the_current_token_renews_it(authenticator):
    with _token_endpoint(("current", HOUR)):
        authenticator.get_access_token()

    assert _resolve("current").response_action == ResponseAction.REFRESH_TOKEN_THEN_RETRY


def test_a_401_for_a_token_another_window_has_replaced_is_retried_with_the_current_one(authenticator):
    with _token_endpoint(("first", HOUR), ("second", HOUR)):
        authenticator.get_access_token()
        authenticator.refresh_and_set_access_token()

    resolution = _resolve("first")
    assert resolution.response_action == ResponseAction.RETRY
    assert resolution.failure_type == FailureType.transient_error
    assert "ran out while a request was in flight" in resolution.error_message
    assert authenticator.get_access_token() == "second"


def test_a_401_for_a_token_that_expired_on_its_way_is_retried_with_a_renewed_one(authenticator):
    with _token_endpoint(("short-lived", datetime.timedelta(seconds=-1)), ("renewed", HOUR)):
        assert authenticator.get_access_token() == "short-lived"
        assert _resolve("short-lived").response_action == ResponseAction.RETRY
        # The retry's Authorization header comes from get_access_token, which renews it.
        assert authenticator.get_access_token() == "renewed"


def test_a_401_for_the_token_that_renewal_just_issued_is_a_config_error(authenticator):
    with _token_endpoint(("rejected", HOUR), ("renewal", HOUR)):
        authenticator.get_access_token()
        authenticator.refresh_and_set_access_token()

    resolution = _resolve("renewal")
    assert resolution.response_action == ResponseAction.FAIL
    assert resolution.failure_type == FailureType.config_error
    assert "'credentials.client_id'" in resolution.error_message


def test_a_renewal_that_expired_on_its_way_is_retried_not_blamed_on_the_credentials(authenticator):
    with _token_endpoint(("rejected", HOUR), ("renewal", datetime.timedelta(seconds=-1))):
        authenticator.get_access_token()
        authenticator.refresh_and_set_access_token()

    assert _resolve("renewal").response_action == ResponseAction.RETRY


def test_a_401_for_a_token_the_connector_never_issued_renews():
    assert _resolve("not-ours").response_action == ResponseAction.REFRESH_TOKEN_THEN_RETRY


def test_a_401_is_retried_without_the_exponential_wait_of_a_server_error():
    backoff = JitteredExponentialBackoff()
    server_error = requests.Response()
    server_error.status_code = 500
    after_401 = max(backoff.backoff_time(_answer_401("t"), attempt) for attempt in range(1, 7))
    assert after_401 < min(backoff.backoff_time(server_error, 1) for _ in range(50))
