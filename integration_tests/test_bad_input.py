"""A wrong config, catalog or state is refused before any request, with a message naming what to fix.

Every spec field gets its wrong values: `check` reports FAILED with one line naming the field,
`read` emits a config-error TRACE naming it, and the service never hears from the connector, not
even for a token. Through the real command line, unreadable files end in a TRACE message naming
the file, not in a bare traceback.
"""

import copy
import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer, FailureType, Status
from airbyte_cdk.test.entrypoint_wrapper import _run_command, make_file
from airbyte_cdk.test.models.outcome import ExpectedOutcome

from source_linkedin_learning import SourceLinkedinLearning
from source_linkedin_learning.config import today_utc

from integration_tests.harness import catalog, config_for, day_ms, run_read

FUTURE = (today_utc() + datetime.timedelta(days=30)).isoformat()
TOMORROW = (today_utc() + datetime.timedelta(days=1)).isoformat()
CLI = Path(sys.executable).parent / "source-linkedin-learning"
_MISSING = object()


def _report(**fields: Any) -> Dict[str, Any]:
    return {"name": "weekly", "primary_aggregation": "GROUP", **fields}


def _creds(**fields: Any) -> Dict[str, Any]:
    return {"auth_method": "client_credentials", "client_id": "sim-client-id", "client_secret": "sim-client-secret", **fields}


# (case id, changes to a valid config: key -> value, _MISSING to leave the key out; field named)
BAD = [
    # credentials
    ("credentials_not_an_object", {"credentials": "sim-client-secret"}, "credentials"),
    ("credentials_missing", {"credentials": _MISSING}, "credentials"),
    ("auth_method_unknown", {"credentials": _creds(auth_method="basic")}, "credentials.auth_method"),
    ("auth_method_wrong_type", {"credentials": _creds(auth_method=3)}, "credentials.auth_method"),
    ("auth_method_missing", {"credentials": {"client_id": "sim-client-id", "client_secret": "sim-client-secret"}}, "credentials.auth_method"),
    ("client_id_wrong_type", {"credentials": _creds(client_id=12345)}, "credentials.client_id"),
    ("client_id_empty", {"credentials": _creds(client_id="  ")}, "credentials.client_id"),
    ("client_id_one_character", {"credentials": _creds(client_id="a")}, "credentials.client_id"),
    ("client_secret_missing", {"credentials": {"auth_method": "client_credentials", "client_id": "sim-client-id"}}, "credentials.client_secret"),
    ("client_secret_wrong_type", {"credentials": _creds(client_secret=["s"])}, "credentials.client_secret"),
    (
        "refresh_token_missing",
        {"credentials": {"auth_method": "oauth2_refresh_token", "client_id": "sim-client-id", "client_secret": "sim-client-secret"}},
        "credentials.refresh_token",
    ),
    (
        "refresh_token_wrong_type",
        {"credentials": _creds(auth_method="oauth2_refresh_token", refresh_token=7)},
        "credentials.refresh_token",
    ),
    ("access_token_empty", {"credentials": {"auth_method": "access_token", "access_token": ""}}, "credentials.access_token"),
    ("access_token_too_short", {"credentials": {"auth_method": "access_token", "access_token": "AQ3x"}}, "credentials.access_token"),
    ("access_token_wrong_type", {"credentials": {"auth_method": "access_token", "access_token": {"t": 1}}}, "credentials.access_token"),
    # dates
    ("start_date_missing", {"start_date": _MISSING}, "start_date"),
    ("start_date_wrong_type", {"start_date": 20240301}, "start_date"),
    ("start_date_malformed", {"start_date": "01/03/2024"}, "start_date"),
    ("start_date_datetime", {"start_date": "2024-03-01T00:00:00Z"}, "start_date"),
    ("start_date_impossible", {"start_date": "2023-02-29"}, "start_date"),
    ("start_date_month_13", {"start_date": "2024-13-01"}, "start_date"),
    ("start_date_in_future", {"start_date": FUTURE, "end_date": FUTURE}, "start_date"),
    ("start_date_tomorrow", {"start_date": TOMORROW, "end_date": _MISSING}, "start_date"),
    ("start_date_after_end_date", {"start_date": "2024-03-10", "end_date": "2024-03-09"}, "end_date"),
    ("end_date_wrong_type", {"end_date": 20240315}, "end_date"),
    ("end_date_malformed", {"end_date": "yesterday"}, "end_date"),
    ("end_date_impossible", {"end_date": "2024-04-31"}, "end_date"),
    ("end_date_null", {"end_date": None}, "end_date"),
    # enums
    ("time_granularity_unknown", {"time_granularity": "YEAR"}, "time_granularity"),
    ("time_granularity_lower_case", {"time_granularity": "day"}, "time_granularity"),
    ("time_granularity_wrong_type", {"time_granularity": 7}, "time_granularity"),
    ("time_granularity_null", {"time_granularity": None}, "time_granularity"),
    ("content_source_unknown", {"content_source": "EVERYTHING"}, "content_source"),
    ("content_source_wrong_type", {"content_source": ["ALL_SOURCES"]}, "content_source"),
    # numbers
    ("lookback_days_negative", {"lookback_days": -1}, "lookback_days"),
    ("lookback_days_too_big", {"lookback_days": 31}, "lookback_days"),
    ("lookback_days_string", {"lookback_days": "1"}, "lookback_days"),
    ("lookback_days_fraction", {"lookback_days": 0.5}, "lookback_days"),
    ("page_size_zero", {"page_size": 0}, "page_size"),
    ("page_size_too_big", {"page_size": 1001}, "page_size"),
    ("page_size_string", {"page_size": "100"}, "page_size"),
    ("page_size_boolean", {"page_size": True}, "page_size"),
    ("page_size_null", {"page_size": None}, "page_size"),
    ("num_workers_zero", {"num_workers": 0}, "num_workers"),
    ("num_workers_too_big", {"num_workers": 17}, "num_workers"),
    ("num_workers_float", {"num_workers": 4.0}, "num_workers"),
    # strings
    ("locale_language_upper_case", {"locale_language": "EN"}, "locale_language"),
    ("locale_language_with_country", {"locale_language": "en_US"}, "locale_language"),
    ("locale_language_wrong_type", {"locale_language": 5}, "locale_language"),
    ("referer_wrong_type", {"referer": 12345}, "referer"),
    ("referer_null", {"referer": None}, "referer"),
    # urls
    ("api_url_plain_http_remote", {"api_url": "http://api.linkedin.com"}, "api_url"),
    ("api_url_http_lookalike_loopback", {"api_url": "http://127.0.0.1.example.com"}, "api_url"),
    ("api_url_http_userinfo_trick", {"api_url": "http://127.0.0.1@example.com"}, "api_url"),
    ("api_url_ftp", {"api_url": "ftp://api.linkedin.com"}, "api_url"),
    ("api_url_no_host", {"api_url": "https://"}, "api_url"),
    ("api_url_not_a_url", {"api_url": "api.linkedin.com"}, "api_url"),
    ("api_url_wrong_type", {"api_url": 443}, "api_url"),
    ("api_url_null", {"api_url": None}, "api_url"),
    ("token_url_plain_http_remote", {"token_url": "http://www.linkedin.com/oauth/v2/accessToken"}, "token_url"),
    ("token_url_file", {"token_url": "file:///etc/passwd"}, "token_url"),
    ("token_url_wrong_type", {"token_url": ["https://www.linkedin.com"]}, "token_url"),
    # custom reports
    ("custom_reports_not_a_list", {"custom_reports": {"name": "weekly"}}, "custom_reports"),
    ("custom_report_not_an_object", {"custom_reports": ["weekly"]}, "custom_reports[0]"),
    ("custom_report_name_missing", {"custom_reports": [{"primary_aggregation": "GROUP"}]}, "custom_reports[0]"),
    ("custom_report_name_not_snake_case", {"custom_reports": [_report(name="Weekly Report")]}, "name"),
    ("custom_report_name_with_newline", {"custom_reports": [_report(name="weekly\nreport")]}, "name"),
    ("custom_report_name_repeated", {"custom_reports": [_report(), _report()]}, "custom_reports[1]"),
    ("custom_report_primary_missing", {"custom_reports": [{"name": "weekly"}]}, "primary_aggregation"),
    ("custom_report_primary_unknown", {"custom_reports": [_report(primary_aggregation="COUNTRY")]}, "primary_aggregation"),
    ("custom_report_secondary_unknown", {"custom_reports": [_report(secondary_aggregation="SKILL")]}, "secondary_aggregation"),
    ("custom_report_secondary_same", {"custom_reports": [_report(secondary_aggregation="GROUP")]}, "secondary_aggregation"),
    ("custom_report_content_source_unknown", {"custom_reports": [_report(content_source="EVERYTHING")]}, "content_source"),
    ("custom_report_asset_type_unknown", {"custom_reports": [_report(asset_type="PODCAST")]}, "asset_type"),
    ("custom_report_asset_type_null", {"custom_reports": [_report(asset_type=None)]}, "asset_type"),
    ("custom_report_locale_language_bad", {"custom_reports": [_report(locale_language="English")]}, "locale_language"),
    ("custom_report_time_granularity_unknown", {"custom_reports": [_report(time_granularity="QUARTER")]}, "time_granularity"),
    ("custom_report_second_one_wrong", {"custom_reports": [_report(), _report(name="other", asset_type="PODCAST")]}, "custom_reports[1]"),
    # the course catalog
    ("catalog_locales_not_a_list", {"catalog_locales": "en_US"}, "catalog_locales"),
    ("catalog_locales_empty", {"catalog_locales": []}, "catalog_locales"),
    ("catalog_locales_language_only", {"catalog_locales": ["en"]}, "catalog_locales[0]"),
    ("catalog_locales_lower_case_country", {"catalog_locales": ["en_US", "de_de"]}, "catalog_locales[1]"),
    ("catalog_locales_wrong_type", {"catalog_locales": [7]}, "catalog_locales[0]"),
    ("catalog_asset_types_unknown", {"catalog_asset_types": ["BOOK"]}, "catalog_asset_types[0]"),
    ("catalog_asset_types_lower_case", {"catalog_asset_types": ["course"]}, "catalog_asset_types[0]"),
    ("catalog_asset_types_empty", {"catalog_asset_types": []}, "catalog_asset_types"),
    ("include_retired_string", {"include_retired": "true"}, "include_retired"),
    ("include_retired_number", {"include_retired": 1}, "include_retired"),
    ("include_retired_null", {"include_retired": None}, "include_retired"),
]
IDS = [case[0] for case in BAD]

# The spec fields each case above covers: a new field in the spec must get its wrong values here.
COVERED_TOP_LEVEL = {
    "credentials", "start_date", "end_date", "time_granularity", "lookback_days", "content_source",
    "locale_language", "custom_reports", "referer", "page_size", "num_workers", "api_url", "token_url",
    "catalog_locales", "catalog_asset_types", "include_retired",
}


def _bad_config(simulator, changes: Dict[str, Any]) -> Dict[str, Any]:
    config = copy.deepcopy(config_for(simulator))
    for key, value in changes.items():
        if value is _MISSING:
            config.pop(key, None)
        else:
            config[key] = copy.deepcopy(value)
    return config


def run_check(config: Dict[str, Any], directory: Path):
    config_file = make_file(directory / "config.json", config)
    output = _run_command(SourceLinkedinLearning(config=config), ["check", "--config", config_file], expected_outcome=ExpectedOutcome.ALLOW_ANY)
    statuses = output.connection_status_messages
    assert len(statuses) == 1, f"check gave no single CONNECTION_STATUS: {output.get_formatted_error_message()}"
    return statuses[0].connectionStatus


def _names(message: str, field: str) -> bool:
    """The message names the field itself, not only a longer field containing it as a substring."""
    return field in message


def test_every_spec_field_has_wrong_values_in_the_table():
    spec = SourceLinkedinLearning().spec(None).connectionSpecification  # type: ignore[arg-type]
    assert set(spec["properties"]) == COVERED_TOP_LEVEL
    report_fields = set(spec["properties"]["custom_reports"]["items"]["properties"])
    credential_fields = {name for branch in spec["properties"]["credentials"]["oneOf"] for name in branch["properties"]}
    named = {field for _, _, field in BAD}
    for field in report_fields:
        assert field in named, f"custom_reports[].{field} has no wrong value in BAD"
    for field in credential_fields:
        assert f"credentials.{field}" in named, f"credentials.{field} has no wrong value in BAD"


@pytest.mark.parametrize("case,changes,field", BAD, ids=IDS)
def test_a_wrong_field_fails_check_and_read_naming_it_and_sends_nothing(case, changes, field, simulator, tmp_path):
    config = _bad_config(simulator, changes)

    status = run_check(config, tmp_path)
    assert status.status == Status.FAILED
    assert status.message and "\n" not in status.message.strip(), f"not one line: {status.message!r}"
    assert _names(status.message, field), f"{field!r} not named in {status.message!r}"

    output = run_read(config, ["account_activity"], expect_failure=True)
    assert output.records == []
    errors = [m.trace.error for m in output.errors]
    assert errors, "read with a wrong config emitted no error TRACE"
    assert errors[0].failure_type == FailureType.config_error
    assert _names(errors[0].message, field), f"{field!r} not named in {errors[0].message!r}"

    assert simulator.requests == [], "a wrong config reached the service"


def test_end_date_in_the_future_is_allowed_and_means_up_to_today(simulator, tmp_path):
    """Not every odd value is wrong: an end date after today reads up to today, not an error."""
    config = config_for(simulator, start_date="2024-03-14", end_date=FUTURE)
    status = run_check(config, tmp_path)
    assert status.status == Status.SUCCEEDED, status.message


@pytest.mark.parametrize(
    "configured,sent",
    [("ORGANIZATION", "ORGANIZATION"), ("THIRD_PARTY", "THIRD_PARTY"), ("CUSTOM_CONTENT", "ORGANIZATION")],
    ids=["organization", "third_party", "the_contracts_custom_content"],
)
def test_linkedins_content_sources_are_read_and_custom_content_is_sent_as_organization(configured, sent, simulator):
    """LinkedIn's reference names ORGANIZATION, LINKEDIN_LEARNING, THIRD_PARTY and ALL_SOURCES; a
    config written with the contract's CUSTOM_CONTENT keeps working, under the live name."""
    config = config_for(simulator, start_date="2024-03-14", end_date="2024-03-14", content_source=configured)

    output = run_read(config, ["content_activity"])

    expected = simulator.report("CONTENT", started_at=day_ms(datetime.date(2024, 3, 14)), content_source=sent)
    assert len(output.records) == len(expected)
    assert {r["params"]["contentSource"] for r in simulator.requests if r["path"] == "/v2/learningActivityReports"} == {sent}


# --- the real command line ------------------------------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CLI), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def _messages(stdout: str) -> List[Dict[str, Any]]:
    messages = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            messages.append(json.loads(line))
    return messages


def _trace_errors(stdout: str) -> List[Dict[str, Any]]:
    return [m["trace"]["error"] for m in _messages(stdout) if m.get("type") == "TRACE" and m["trace"].get("type") == "ERROR"]


def _assert_not_a_bare_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback (most recent call last)" not in result.stderr, f"stderr holds a traceback:\n{result.stderr}"
    for line in result.stdout.splitlines():
        if line.strip():
            json.loads(line)  # every stdout line is an Airbyte message, no stray traceback lines


@pytest.mark.parametrize(
    "field,value",
    [("page_size", 5000), ("num_workers", 0), ("num_workers", 2.5), ("lookback_days", -1), ("token_url", "http://example.com/token")],
)
def test_cli_check_with_a_wrong_config_exits_0_with_a_failed_status(field, value, simulator, tmp_path):
    config = config_for(simulator, **{field: value})
    (tmp_path / "config.json").write_text(json.dumps(config))
    result = _cli("check", "--config", "config.json", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    statuses = [m["connectionStatus"] for m in _messages(result.stdout) if m.get("type") == "CONNECTION_STATUS"]
    assert len(statuses) == 1
    assert statuses[0]["status"] == "FAILED"
    assert field in statuses[0]["message"] and "\n" not in statuses[0]["message"]
    _assert_not_a_bare_traceback(result)
    assert simulator.requests == []


def test_cli_read_with_a_wrong_config_emits_a_config_error_naming_the_field(simulator, tmp_path):
    config = config_for(simulator, start_date=FUTURE, end_date=FUTURE)
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "catalog.json").write_text(json.dumps(ConfiguredAirbyteCatalogSerializer.dump(catalog(["account_activity"]))))
    result = _cli("read", "--config", "config.json", "--catalog", "catalog.json", cwd=tmp_path)

    assert result.returncode != 0
    errors = _trace_errors(result.stdout)
    assert errors and errors[0]["failure_type"] == "config_error"
    assert "start_date" in errors[0]["message"]
    assert not [m for m in _messages(result.stdout) if m.get("type") == "RECORD"]
    assert simulator.requests == []


BAD_FILES = [
    # (case id, which flag, file content or None for a missing file)
    ("catalog_not_json", "--catalog", "{streams: [account_activity]"),
    ("catalog_wrong_shape", "--catalog", json.dumps({"streams": "account_activity"})),
    ("catalog_a_list", "--catalog", json.dumps(["account_activity"])),
    ("catalog_empty_file", "--catalog", ""),
    ("state_not_json", "--state", "latestDataAt=1710000000000"),
    ("state_wrong_shape", "--state", json.dumps([{"type": "STREAM", "stream": "account_activity"}])),
    ("config_missing", "--config", None),
    ("config_not_json", "--config", "credentials:\n  client_id: x\n"),
    ("catalog_missing", "--catalog", None),
]


@pytest.mark.parametrize("case,flag,content", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_cli_read_with_an_unreadable_file_names_the_file(case, flag, content, simulator, tmp_path):
    files = {
        "--config": ("config.json", json.dumps(config_for(simulator))),
        "--catalog": ("catalog.json", json.dumps(ConfiguredAirbyteCatalogSerializer.dump(catalog(["account_activity"])))),
        "--state": ("state.json", json.dumps([])),
    }
    name = f"bad_{flag.strip('-')}.json"
    files[flag] = (name, content)
    args = ["read"]
    for option, (file_name, text) in files.items():
        if text is not None:
            (tmp_path / file_name).write_text(text)
        args += [option, file_name]

    result = _cli(*args, cwd=tmp_path)

    assert result.returncode != 0
    errors = _trace_errors(result.stdout)
    assert errors, f"no TRACE error on stdout; stdout={result.stdout!r} stderr={result.stderr!r}"
    assert errors[0]["failure_type"] == "config_error"
    assert name in errors[0]["message"] and flag in errors[0]["message"]
    _assert_not_a_bare_traceback(result)
    assert simulator.requests == []


def test_cli_check_with_a_config_that_is_not_an_object_is_a_config_error(simulator, tmp_path):
    (tmp_path / "config.json").write_text(json.dumps(["credentials"]))
    result = _cli("check", "--config", "config.json", cwd=tmp_path)

    messages = _messages(result.stdout)
    statuses = [m["connectionStatus"] for m in messages if m.get("type") == "CONNECTION_STATUS"]
    errors = _trace_errors(result.stdout)
    assert statuses or errors, f"neither a status nor an error: {result.stdout!r} {result.stderr!r}"
    if statuses:
        assert statuses[0]["status"] == "FAILED" and "config" in statuses[0]["message"].lower()
    else:
        assert errors[0]["failure_type"] == "config_error" and "config" in errors[0]["message"].lower()
    _assert_not_a_bare_traceback(result)
    assert simulator.requests == []
