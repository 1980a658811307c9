"""Custom reports: each aggregation pair and filter is a stream of its own, and its records are
the simulator's own data for that report."""

import datetime
from collections import defaultdict

import pytest

from airbyte_cdk.models import FailureType, Status
from airbyte_cdk.test.entrypoint_wrapper import discover

from source_linkedin_learning import SourceLinkedinLearning

from integration_tests.harness import SIM_TODAY, config_for, day_ms, report_requests, run_read, state_value

FIRST_DAY = SIM_TODAY - datetime.timedelta(days=4)
REPORTS = [
    {"name": "course_completions_by_group", "primary_aggregation": "GROUP", "secondary_aggregation": "CONTENT", "asset_type": "COURSE"},
    {"name": "custom_content_learners", "primary_aggregation": "INDIVIDUAL", "content_source": "CUSTOM_CONTENT"},
    {"name": "german_content", "primary_aggregation": "CONTENT", "locale_language": "de"},
    {"name": "learner_courses", "primary_aggregation": "INDIVIDUAL", "secondary_aggregation": "CONTENT"},
    {"name": "content_totals", "primary_aggregation": "CONTENT"},
]
URN = {"ACCOUNT": "accountUrn", "GROUP": "groupUrn", "INDIVIDUAL": "learnerUrn", "CONTENT": "contentUrn"}


def _config(simulator, reports=REPORTS, **overrides):
    return config_for(simulator, start_date=FIRST_DAY.isoformat(), custom_reports=reports, **overrides)


def _entity_key(levels, element):
    entity = element["learnerDetails"]["entity"]
    return tuple(entity.get(URN[level]) or (element.get("contentDetails") or {}).get(URN[level]) for level in levels)


def _simulator_rows(simulator, report):
    """(URNs of the levels, startedAt) -> activities, from the simulator's own report."""
    levels = [report["primary_aggregation"]] + ([report["secondary_aggregation"]] if "secondary_aggregation" in report else [])
    rows = {}
    day = FIRST_DAY
    while day <= SIM_TODAY:
        elements = simulator.report(
            report["primary_aggregation"],
            report.get("secondary_aggregation"),
            started_at=day_ms(day),
            unit="DAY",
            duration=1,
            content_source=report.get("content_source", "ALL_SOURCES"),
            asset_type=report.get("asset_type"),
            locale_language=report.get("locale_language"),
        )
        for element in elements:
            rows[_entity_key(levels, element) + (day_ms(day),)] = element["activities"]
        day += datetime.timedelta(days=1)
    return levels, rows


def test_every_custom_report_yields_the_simulators_data_for_its_aggregation_and_filters(simulator):
    streams = [f"custom_{report['name']}" for report in REPORTS]
    output = run_read(_config(simulator), streams)

    for report in REPORTS:
        levels, expected = _simulator_rows(simulator, report)
        got = {
            tuple(m.record.data[URN[level]] for level in levels) + (m.record.data["startedAt"],): m.record.data["activities"]
            for m in output.records
            if m.record.stream == f"custom_{report['name']}"
        }
        assert got == expected and got, report["name"]
        assert state_value(output, f"custom_{report['name']}") == simulator.watermark_ms


def test_a_custom_report_sends_its_aggregation_and_filters(simulator):
    run_read(_config(simulator, reports=[REPORTS[0], REPORTS[2]]), ["custom_course_completions_by_group", "custom_german_content"])
    params = [r["params"] for r in report_requests(simulator)]
    by_group = [p for p in params if p["aggregationCriteria.primary"] == "GROUP"]
    german = [p for p in params if p["aggregationCriteria.primary"] == "CONTENT"]
    assert by_group and all(p["aggregationCriteria.secondary"] == "CONTENT" and p["assetType"] == "COURSE" for p in by_group)
    assert german and all(p["locale.language"] == "de" and "aggregationCriteria.secondary" not in p for p in german)


def _totals(records, key_field):
    totals = defaultdict(int)
    for data in records:
        for activity in data["activities"]:
            if activity["engagementMetricQualifier"] == "TOTAL":
                totals[(data[key_field], data["startedAt"], activity["engagementType"], activity.get("assetType"))] += activity["engagementValue"]
    return dict(totals)


def test_learner_by_course_totals_summed_over_learners_equal_the_content_report(simulator):
    output = run_read(_config(simulator, reports=[REPORTS[3], REPORTS[4]]), ["custom_learner_courses", "custom_content_totals"])
    pairs = [m.record.data for m in output.records if m.record.stream == "custom_learner_courses"]
    contents = [m.record.data for m in output.records if m.record.stream == "custom_content_totals"]
    assert pairs and _totals(pairs, "contentUrn") == _totals(contents, "contentUrn")


def test_a_custom_report_keeps_its_own_window(simulator):
    weekly = {"name": "weekly_learners", "primary_aggregation": "INDIVIDUAL", "time_granularity": "WEEK"}
    run_read(_config(simulator, reports=[weekly]), ["custom_weekly_learners"])
    params = [r["params"] for r in report_requests(simulator)]
    starts = {datetime.datetime.fromtimestamp(int(p["startedAt"]) / 1000, datetime.timezone.utc) for p in params}
    assert {p["timeOffset.unit"] for p in params} == {"WEEK"}
    assert starts and all(start.weekday() == 0 for start in starts)


def test_discover_lists_custom_reports_with_their_keys(simulator):
    config = _config(simulator)
    catalog = discover(SourceLinkedinLearning(config=config), config).catalog.catalog
    keys = {stream.name: stream.source_defined_primary_key for stream in catalog.streams}
    assert keys["custom_course_completions_by_group"] == [["groupUrn"], ["contentUrn"], ["startedAt"]]
    assert keys["custom_custom_content_learners"] == [["learnerUrn"], ["startedAt"]]
    assert keys["custom_german_content"] == [["contentUrn"], ["startedAt"]]
    assert all(stream.default_cursor_field == ["latestDataAt"] for stream in catalog.streams if not stream.name.startswith("learning_"))


@pytest.mark.parametrize(
    "report, field",
    [
        ({"name": "Bad Name", "primary_aggregation": "GROUP"}, "custom_reports[0] ('Bad Name').name"),
        ({"name": "same_levels", "primary_aggregation": "GROUP", "secondary_aggregation": "GROUP"}, "('same_levels').secondary_aggregation"),
        ({"name": "odd_level", "primary_aggregation": "TEAM"}, "('odd_level').primary_aggregation"),
        ({"name": "odd_asset", "primary_aggregation": "CONTENT", "asset_type": "PODCAST"}, "('odd_asset').asset_type"),
        ({"name": "odd_source", "primary_aggregation": "CONTENT", "content_source": "EVERYTHING"}, "('odd_source').content_source"),
    ],
)
def test_an_invalid_custom_report_is_a_config_error_naming_the_report_and_field(simulator, report, field):
    output = run_read(_config(simulator, reports=[report]), ["account_activity"], expect_failure=True)
    error = output.errors[0].trace.error
    assert error.failure_type == FailureType.config_error and field in error.message
    assert simulator.requests == []


def test_a_duplicate_custom_report_name_is_refused_by_check(simulator):
    config = _config(simulator, reports=[REPORTS[0], REPORTS[0]])
    status = SourceLinkedinLearning(config=config).check(None, config)  # type: ignore[arg-type]
    assert status.status == Status.FAILED and "custom_reports[1] ('course_completions_by_group').name" in status.message
