"""No secret ever reaches the logs, and the bearer token never leaves `api_url`'s host.

Each scenario runs the real command line with `--debug` against a simulator whose secrets are
recognisable, then searches everything the process wrote, stdout and stderr, for the client
secret, the refresh token, the configured access token and every token the simulator issued,
raw and URL-encoded.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

import pytest
import requests

from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer, FailureType

from linkedin_learning_simulator import Simulator, SimulatorSettings

from integration_tests.harness import catalog, config_for, report_requests, run_read

CLI = Path(sys.executable).parent / "source-linkedin-learning"
CLIENT_SECRET = "SECRET-client-secret-q8w7+/="
REFRESH_TOKEN = "SECRET-refresh-token-z3x2+/="
WRONG_SECRET = "SECRET-wrong-secret-k5m1+/="
STREAMS = ["account_activity", "individual_activity"]


@pytest.fixture
def secret_sim():
    sim = Simulator(SimulatorSettings(client_secret=CLIENT_SECRET, refresh_token=REFRESH_TOKEN))
    sim.start(host="127.0.0.1", port=0)
    try:
        yield sim
    finally:
        sim.stop()


def _issue_token(sim: Simulator) -> str:
    answer = requests.post(
        sim.token_url,
        data={"grant_type": "client_credentials", "client_id": sim.settings.client_id, "client_secret": CLIENT_SECRET},
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()["access_token"]


def _refresh_credentials(sim: Simulator) -> Dict[str, Any]:
    return {
        "auth_method": "oauth2_refresh_token",
        "client_id": sim.settings.client_id,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
    }


def _wrong_secret(sim: Simulator) -> Dict[str, Any]:
    return {"auth_method": "client_credentials", "client_id": sim.settings.client_id, "client_secret": WRONG_SECRET}


# (id, simulator knobs, config changes given the simulator, command, sync must succeed)
Scenario = Dict[str, Any]
SCENARIOS: List[Scenario] = [
    dict(id="read_client_credentials", knobs={}, config=lambda sim: {}, command="read", ok=True),
    dict(id="check_client_credentials", knobs={}, config=lambda sim: {}, command="check", ok=True),
    dict(id="read_refresh_token", knobs={}, config=lambda sim: {"credentials": _refresh_credentials(sim)}, command="read", ok=True),
    dict(
        id="read_access_token",
        knobs={},
        config=lambda sim: {"credentials": {"auth_method": "access_token", "access_token": _issue_token(sim)}},
        command="read",
        ok=True,
    ),
    dict(id="check_wrong_client_secret", knobs={}, config=lambda sim: {"credentials": _wrong_secret(sim)}, command="check", ok=False),
    dict(id="read_wrong_client_secret", knobs={}, config=lambda sim: {"credentials": _wrong_secret(sim)}, command="read", ok=False),
    dict(
        id="read_wrong_refresh_token",
        knobs={"refresh_token": "SECRET-other-refresh-token-j9"},
        config=lambda sim: {"credentials": _refresh_credentials(sim)},
        command="read",
        ok=False,
    ),
    dict(id="read_rejected_tokens", knobs={"reject_tokens": True}, config=lambda sim: {}, command="read", ok=False),
    dict(
        id="read_rejected_access_token",
        knobs={"reject_tokens": True},
        config=lambda sim: {"credentials": {"auth_method": "access_token", "access_token": _issue_token(sim)}},
        command="read",
        ok=False,
    ),
    dict(id="read_403", knobs={"api_access": False}, config=lambda sim: {}, command="read", ok=False),
    dict(id="check_403", knobs={"api_access": False}, config=lambda sim: {}, command="check", ok=False),
    dict(
        id="read_permanent_429",
        knobs={"rate_429": 1.0, "retry_after_s": 0, "faults_after": 3},
        config=lambda sim: {"num_workers": 1},
        command="read",
        ok=False,
    ),
    dict(id="read_5xx_faults", knobs={"rate_5xx": 0.2, "rate_truncated": 0.1}, config=lambda sim: {"start_date": "2024-03-13"}, command="read", ok=True),
    dict(
        id="read_token_expiring_mid_sync",
        knobs={"token_clock": "wall", "token_lifetime_s": 1, "latency_s": 0.2},
        config=lambda sim: {"num_workers": 2, "credentials": _refresh_credentials(sim)},
        command="read",
        ok=True,
    ),
    dict(id="check_bad_config", knobs={}, config=lambda sim: {"page_size": 0}, command="check", ok=False),
    dict(id="read_bad_config", knobs={}, config=lambda sim: {"start_date": "2024-02-30"}, command="read", ok=False),
    dict(
        id="check_bad_config_refresh_token",
        knobs={},
        config=lambda sim: {"credentials": _refresh_credentials(sim), "api_url": "http://api.linkedin.com"},
        command="check",
        ok=False,
    ),
]


def _forms(secret: str) -> List[str]:
    """The secret and the ways it could be written when it travels in a URL or a form body."""
    return sorted({secret, quote(secret, safe=""), quote_plus(secret), quote(secret), json.dumps(secret)[1:-1]})


def _assert_no_secret(text: str, secrets: List[str]) -> None:
    for secret in secrets:
        for form in _forms(secret):
            assert form not in text, f"a secret ({secret[:10]}...) appears in the output as {form!r}"


def _run_cli(command: str, config: Dict[str, Any], directory: Path, streams: List[str] = STREAMS) -> subprocess.CompletedProcess:
    (directory / "config.json").write_text(json.dumps(config))
    args = [str(CLI), command, "--config", "config.json", "--debug"]
    if command == "read":
        (directory / "catalog.json").write_text(json.dumps(ConfiguredAirbyteCatalogSerializer.dump(catalog(streams))))
        args += ["--catalog", "catalog.json"]
    return subprocess.run(args, cwd=directory, capture_output=True, text=True, timeout=300)


def _messages(stdout: str) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip().startswith("{")]


def _outcome_ok(command: str, messages: List[Dict[str, Any]]) -> bool:
    if command == "check":
        statuses = [m["connectionStatus"]["status"] for m in messages if m["type"] == "CONNECTION_STATUS"]
        assert len(statuses) == 1, "check gave no single CONNECTION_STATUS"
        return statuses[0] == "SUCCEEDED"
    errors = [m for m in messages if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"]
    return not errors


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_no_secret_appears_in_any_output_at_debug_level(scenario, secret_sim, tmp_path):
    sim = secret_sim
    config = config_for(sim, start_date="2024-03-09", num_workers=4)
    config["credentials"]["client_secret"] = CLIENT_SECRET
    config.update(scenario["config"](sim))
    sim.configure(**scenario["knobs"])

    result = _run_cli(scenario["command"], config, tmp_path)
    messages = _messages(result.stdout)

    # The scenario did what it says, so that the search below covers its code path.
    assert _outcome_ok(scenario["command"], messages) == scenario["ok"], result.stdout[-3000:] + result.stderr[-3000:]
    if not scenario["id"].startswith("read_bad_config"):  # a wrong config of read ends before the CDK's launch, with one TRACE
        assert any(m["type"] == "DEBUG" for m in messages), "the connector did not run with debug logging on"
    if scenario["ok"] and scenario["command"] == "read":
        assert any(m["type"] == "RECORD" for m in messages)

    configured_token = config["credentials"].get("access_token")
    secrets = [CLIENT_SECRET, REFRESH_TOKEN, WRONG_SECRET, sim.settings.refresh_token, *sim.tokens_issued]
    if configured_token:
        secrets.append(configured_token)
    assert sim.tokens_issued or scenario["id"].startswith(("check_bad", "read_bad", "check_wrong", "read_wrong")), "no token issued"
    _assert_no_secret(result.stdout, secrets)
    _assert_no_secret(result.stderr, secrets)


# --- the bearer token stays with api_url ------------------------------------------------------------


@pytest.fixture
def other_host():
    """A second service, reached by another host name ("localhost" instead of "127.0.0.1")."""
    sim = Simulator(SimulatorSettings(client_secret=CLIENT_SECRET))
    sim.start(host="127.0.0.1", port=0)
    try:
        yield sim
    finally:
        sim.stop()


def _as_localhost(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, f"localhost:{parts.port}", parts.path, parts.query, parts.fragment))


def test_a_redirect_to_another_host_never_carries_the_bearer_token(secret_sim, other_host):
    secret_sim.configure(redirect_reports_to=_as_localhost(other_host.base_url))
    config = config_for(secret_sim, start_date="2024-03-14", num_workers=1)
    config["credentials"]["client_secret"] = CLIENT_SECRET

    output = run_read(config, ["account_activity"], expect_failure=True)

    redirected = report_requests(secret_sim)
    assert redirected and all(r["status"] == 307 and r["authorization"] for r in redirected)
    followed = report_requests(other_host)
    assert followed, "the redirect was not followed: the test proves nothing"
    assert all(r["host"].startswith("localhost:") for r in followed)
    assert not any(r["authorization"] for r in followed), "the bearer token was sent to another host"
    # Without a token the other host answers 401; the sync stops with an error instead of looping.
    assert output.records == []
    errors = [m.trace.error for m in output.errors]
    assert errors and errors[0].failure_type == FailureType.config_error

