"""Under rate limits, server faults and token trouble a sync finishes with every record, or stops
with a message that says what to do after checkpointing what it finished."""

import datetime
import time

import pytest

from airbyte_cdk.models import FailureType

from source_linkedin_learning.errors import LinkedInLearningErrorHandler

from integration_tests.harness import (
    SIM_TODAY,
    config_for,
    expected_keys,
    records_by_key,
    report_requests,
    run_read,
    state_messages_for,
)

STREAMS = ["account_activity", "individual_activity"]
FIRST_DAY = SIM_TODAY - datetime.timedelta(days=6)


def _assert_every_record_once_per_key(simulator, output):
    for stream in STREAMS:
        got = {key for (name, key) in records_by_key(output) if name == stream}
        assert got == expected_keys(simulator, stream, FIRST_DAY, SIM_TODAY)
    assert len(output.records) == len(records_by_key(output)), "a retried page yielded its records twice"


def _faults(simulator, kind):
    return [r for r in report_requests(simulator) if r["fault"] == kind]


def _assert_no_request_repeated(simulator):
    windows = [r["params"]["startedAt"] for r in report_requests(simulator)]
    assert windows and len(windows) == len(set(windows))


def _error(output):
    errors = [m.trace.error for m in output.errors]
    assert errors, "the sync should have failed"
    return errors[0]


def test_a_sync_with_30_percent_of_429_with_retry_after_finishes_with_every_record(simulator):
    simulator.configure(rate_429=0.3, retry_after_s=0)
    output = run_read(config_for(simulator), STREAMS)
    assert _faults(simulator, "429")
    _assert_every_record_once_per_key(simulator, output)


def test_a_sync_with_30_percent_of_429_without_retry_after_backs_off_and_finishes(simulator):
    simulator.configure(rate_429=0.3)
    output = run_read(config_for(simulator), STREAMS)
    assert _faults(simulator, "429")
    _assert_every_record_once_per_key(simulator, output)


def test_20_percent_of_server_faults_dropped_connections_and_truncated_bodies_lose_nothing(simulator):
    simulator.configure(rate_5xx=0.1, rate_dropped=0.05, rate_truncated=0.05)
    output = run_read(config_for(simulator), STREAMS)
    assert len([r for r in report_requests(simulator) if r["fault"]]) >= 5
    _assert_every_record_once_per_key(simulator, output)


@pytest.mark.parametrize(
    "knob, faults",
    [("rate_5xx", {"500", "502", "503", "504"}), ("rate_dropped", {"dropped"}), ("rate_truncated", {"truncated"})],
)
def test_each_kind_of_server_fault_is_retried(simulator, knob, faults):
    simulator.configure(**{knob: 0.5})
    output = run_read(config_for(simulator, num_workers=4), ["account_activity"])
    seen = {r["fault"] for r in report_requests(simulator)} - {None}
    assert seen and seen <= faults
    got = {key for (_, key) in records_by_key(output)}
    assert got == expected_keys(simulator, "account_activity", FIRST_DAY, SIM_TODAY)


def test_a_permanent_429_stops_with_a_transient_error_naming_the_quota_after_checkpointing(simulator):
    simulator.configure(rate_429=1.0, retry_after_s=0, faults_after=3)
    output = run_read(config_for(simulator, num_workers=1), STREAMS, expect_failure=True)

    # One request used up its retries; no other window or stream waited the limit out after it.
    assert len(_faults(simulator, "429")) == LinkedInLearningErrorHandler.max_retries + 1
    error = _error(output)
    assert error.failure_type == FailureType.transient_error
    assert "429" in error.message and "quota" in error.message
    checkpoints = [m.stream.stream_state.latestDataAt for m in state_messages_for(output, "account_activity")]
    assert max(checkpoints) > min(checkpoints), "the windows finished before the limit were checkpointed"


@pytest.mark.parametrize(
    "latency_s, workers",
    [
        (0.2, 2),
        # Requests take longer than the renewal margin (a tenth of the 1 s lifetime): many meet a
        # token that runs out on their way, and retries meet tokens other windows renewed.
        (0.5, 4),
    ],
)
def test_a_token_that_expires_mid_sync_is_renewed_once_per_expiry(simulator, latency_s, workers):
    simulator.configure(token_clock="wall", token_lifetime_s=1, latency_s=latency_s)
    started = time.monotonic()
    output = run_read(config_for(simulator, num_workers=workers), STREAMS)
    elapsed = time.monotonic() - started

    _assert_every_record_once_per_key(simulator, output)
    tokens = len(simulator.tokens_issued)
    assert 2 <= tokens <= 2 + elapsed / 0.9, f"{tokens} tokens in {elapsed:.1f}s for a 1s lifetime"


def test_a_refresh_token_that_expires_mid_sync_is_renewed_too(simulator):
    simulator.configure(token_clock="wall", token_lifetime_s=1, latency_s=0.2)
    settings = simulator.settings
    credentials = {
        "auth_method": "oauth2_refresh_token",
        "client_id": settings.client_id,
        "client_secret": settings.client_secret,
        "refresh_token": settings.refresh_token,
    }
    output = run_read(config_for(simulator, credentials=credentials, num_workers=2), STREAMS)
    _assert_every_record_once_per_key(simulator, output)
    assert len(simulator.tokens_issued) >= 2


def test_several_streams_share_one_token(simulator):
    run_read(config_for(simulator), STREAMS)
    assert len(simulator.tokens_issued) == 1


def test_a_401_after_a_fresh_token_is_a_config_error_naming_the_credentials(simulator):
    simulator.configure(reject_tokens=True)
    error = _error(run_read(config_for(simulator), ["account_activity"], expect_failure=True))
    assert error.failure_type == FailureType.config_error
    assert "credentials.client_id" in error.message


def test_an_expired_access_token_is_a_config_error_saying_so(simulator):
    token = simulator._tokens.issue(simulator.settings, {
        "grant_type": "client_credentials",
        "client_id": simulator.settings.client_id,
        "client_secret": simulator.settings.client_secret,
    }, simulator.now_ms)["access_token"]
    simulator.advance(hours=2)
    config = config_for(simulator, credentials={"auth_method": "access_token", "access_token": token})
    error = _error(run_read(config, ["account_activity"], expect_failure=True))
    assert error.failure_type == FailureType.config_error
    assert "credentials.access_token" in error.message and "Expired access token" in error.message


def test_a_400_shows_the_service_message_and_code_and_is_not_retried(simulator):
    output = run_read(config_for(simulator, page_size=1000, num_workers=1), ["account_activity"], expect_failure=True)
    error = _error(output)
    assert error.failure_type == FailureType.config_error
    assert "INVALID_PARAMS" in error.message and "count" in error.message
    _assert_no_request_repeated(simulator)


def test_a_403_says_the_account_lacks_api_access_and_is_not_retried(simulator):
    simulator.configure(api_access=False)
    output = run_read(config_for(simulator, num_workers=1), ["account_activity"], expect_failure=True)
    error = _error(output)
    assert error.failure_type == FailureType.config_error
    assert "Partner Program" in error.message and "licence" in error.message
    _assert_no_request_repeated(simulator)
