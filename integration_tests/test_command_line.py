"""The command line as a person meets it: usage and help that offer only what the connector
reads, and every config error of discover and read as one config-error TRACE, not also a FATAL
log with a traceback. Each case runs the installed `source-linkedin-learning` script."""

import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer

from source_linkedin_learning.config import today_utc

from integration_tests.harness import catalog, config_for

CLI = Path(sys.executable).parent / "source-linkedin-learning"
FUTURE = (today_utc() + datetime.timedelta(days=30)).isoformat()


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CLI), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def _messages(result: subprocess.CompletedProcess) -> List[Dict[str, Any]]:
    """Every stdout line, each of which must be an Airbyte message."""
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _files(tmp_path: Path, config: Dict[str, Any], streams=("account_activity",)) -> None:
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "catalog.json").write_text(json.dumps(ConfiguredAirbyteCatalogSerializer.dump(catalog(list(streams)))))


ARGS = {
    "discover": ["discover", "--config", "config.json"],
    "read": ["read", "--config", "config.json", "--catalog", "catalog.json"],
}


def _assert_one_config_error(result: subprocess.CompletedProcess) -> str:
    """One config-error TRACE and nothing else that reports the failure; its message."""
    messages = _messages(result)
    errors = [m["trace"]["error"] for m in messages if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"]
    assert len(errors) == 1, errors
    assert errors[0]["failure_type"] == "config_error"
    assert not [m for m in messages if m["type"] == "LOG" and m["log"]["level"] in ("FATAL", "ERROR")]
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    return errors[0]["message"]


def test_no_arguments_print_the_usage_and_exit_non_zero(tmp_path):
    result = _cli(cwd=tmp_path)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("usage: source-linkedin-learning [-h] {spec,check,discover,read} ...")
    assert "error: choose a command: spec, check, discover or read" in result.stderr


@pytest.mark.parametrize(
    "command,options",
    [("spec", []), ("check", ["--config"]), ("discover", ["--config"]), ("read", ["--config", "--catalog", "--state"])],
)
def test_the_help_of_each_command_offers_only_what_the_connector_reads(command, options, tmp_path):
    result = _cli(command, "--help", cwd=tmp_path)

    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: source-linkedin-learning {command}")
    for option in options + ["--debug"]:
        assert option in result.stdout
    assert "--manifest-path" not in result.stdout and "--components-path" not in result.stdout


def test_an_option_the_connector_would_ignore_is_refused(simulator, tmp_path):
    _files(tmp_path, config_for(simulator))

    result = _cli(*ARGS["read"], "--manifest-path", "manifest.yaml", cwd=tmp_path)

    assert result.returncode == 2
    assert "error: unrecognized arguments: --manifest-path manifest.yaml" in result.stderr
    assert result.stdout == ""
    assert simulator.requests == []


@pytest.mark.parametrize("command", ["discover", "read"])
@pytest.mark.parametrize(
    "changes,field",
    [({"page_size": 5000}, "page_size"), ({"start_date": FUTURE, "end_date": FUTURE}, "start_date"), ({"credentials": "x"}, "credentials")],
    ids=["page_size", "start_date", "credentials"],
)
def test_a_wrong_config_ends_in_one_config_error_trace_naming_the_field(command, changes, field, simulator, tmp_path):
    _files(tmp_path, config_for(simulator, **changes))

    message = _assert_one_config_error(_cli(*ARGS[command], cwd=tmp_path))

    assert f"Config field '{field}'" in message
    assert simulator.requests == []


def test_a_catalog_naming_a_stream_the_source_does_not_have_ends_in_one_config_error(simulator, tmp_path):
    _files(tmp_path, config_for(simulator), streams=("account_activity", "custom_foo"))

    message = _assert_one_config_error(_cli(*ARGS["read"], cwd=tmp_path))

    assert "does not have: custom_foo." in message and "Refresh the source's schema" in message
    assert simulator.requests == []


CLIENT_ID_TOO_SHORT = (
    "Config field 'credentials.client_id' is too short to be a real credential (fewer than 8 characters): "
    "paste the whole value as LinkedIn issued it."
)


@pytest.mark.parametrize("command", ["discover", "read"])
def test_a_one_character_client_id_is_refused_in_a_trace_that_stays_valid_protocol(command, simulator, tmp_path):
    """The CDK masks every credential wherever it appears: with `client_id: "a"`, each `a` of the
    TRACE line, so `"trace"` became `"tr****ce"` and the line was no longer a message."""
    credentials = {"auth_method": "client_credentials", "client_id": "a", "client_secret": simulator.settings.client_secret}
    _files(tmp_path, config_for(simulator, credentials=credentials))

    result = _cli(*ARGS[command], cwd=tmp_path)

    assert _assert_one_config_error(result) == CLIENT_ID_TOO_SHORT
    assert simulator.requests == []


def test_check_with_a_one_character_client_id_fails_naming_the_field(simulator, tmp_path):
    credentials = {"auth_method": "client_credentials", "client_id": "a", "client_secret": simulator.settings.client_secret}
    _files(tmp_path, config_for(simulator, credentials=credentials))

    result = _cli("check", "--config", "config.json", cwd=tmp_path)

    assert result.returncode == 0
    statuses = [m["connectionStatus"] for m in _messages(result) if m["type"] == "CONNECTION_STATUS"]
    assert statuses == [{"status": "FAILED", "message": CLIENT_ID_TOO_SHORT}]
    assert simulator.requests == []


def test_a_state_in_the_future_is_a_warn_log_of_the_read(simulator, tmp_path):
    _files(tmp_path, config_for(simulator))
    state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "account_activity"}, "stream_state": {"latestDataAt": 4102444800000}}}]
    (tmp_path / "state.json").write_text(json.dumps(state))

    result = _cli(*ARGS["read"], "--state", "state.json", cwd=tmp_path)

    assert result.returncode == 0
    messages = _messages(result)
    warnings = [m["log"]["message"] for m in messages if m["type"] == "LOG" and m["log"]["level"] == "WARN"]
    assert len(warnings) == 1 and "'account_activity' is in the future (2100-01-01 00:00 UTC)" in warnings[0]
    assert not [m for m in messages if m["type"] == "RECORD"]
    assert [r for r in simulator.requests if r["path"] == "/v2/learningActivityReports"] == []
