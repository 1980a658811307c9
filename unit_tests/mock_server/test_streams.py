"""Each fixed stream: the report it asks for and the records it yields."""

import jsonschema
import pytest


from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder, epoch_ms
from .response_builder import (
    ACCOUNT_URN,
    CONTENT_URN,
    GROUP_URN,
    LEARNER_URN,
    PROFILE_URN,
    ReportResponseBuilder,
    element,
)
from .utils import mock_token, read_streams, run_discover

DAY = "2024-01-01"
DAY_MS = 86_400_000

CASES = {
    "account_activity": (element(entity={"accountUrn": ACCOUNT_URN}), {"accountUrn": ACCOUNT_URN}),
    "group_activity": (element(entity={"groupUrn": GROUP_URN}), {"groupUrn": GROUP_URN}),
    "individual_activity": (
        element(entity={"learnerUrn": LEARNER_URN}, name="Ada", email="ada@example.com", uniqueUserId="u-1"),
        {"learnerUrn": LEARNER_URN},
    ),
    "content_activity": (element(content_urn=CONTENT_URN), {"contentUrn": CONTENT_URN}),
    "individual_content_activity": (
        element(entity={"learnerUrn": LEARNER_URN}, content_urn=CONTENT_URN),
        {"learnerUrn": LEARNER_URN, "contentUrn": CONTENT_URN},
    ),
}


def _schema(stream_name: str) -> dict:
    catalog = run_discover(ConfigBuilder().build()).catalog.catalog
    return next(s.json_schema for s in catalog.streams if s.name == stream_name)


@pytest.mark.parametrize("stream_name", list(CASES))
def test_each_stream_asks_for_its_aggregation_and_yields_the_element_with_window_and_urns(stream_name, http_mocker):
    report, urns = CASES[stream_name]
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder.for_stream(stream_name).with_started_at(DAY).build(),
        ReportResponseBuilder().with_element(report).build(),
    )

    output = read_streams(ConfigBuilder().build(), stream_name)

    assert len(output.records) == 1
    record = output.records[0].record.data
    expected = {**report, "startedAt": epoch_ms(DAY), "endedAt": epoch_ms(DAY) + DAY_MS, **urns}
    assert {key: value for key, value in record.items() if value is not None} == expected
    jsonschema.validate(record, _schema(stream_name))


def test_profile_urn_stands_in_for_a_missing_learner_urn(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder.for_stream("individual_activity").with_started_at(DAY).build(),
        ReportResponseBuilder().with_element(element(entity={"profileUrn": PROFILE_URN})).build(),
    )

    output = read_streams(ConfigBuilder().build(), "individual_activity")

    assert [r.record.data["learnerUrn"] for r in output.records] == [PROFILE_URN]


def test_learner_urn_wins_over_profile_urn_when_both_are_sent(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder.for_stream("individual_activity").with_started_at(DAY).build(),
        ReportResponseBuilder().with_element(element(entity={"learnerUrn": LEARNER_URN, "profileUrn": PROFILE_URN})).build(),
    )

    output = read_streams(ConfigBuilder().build(), "individual_activity")

    assert [r.record.data["learnerUrn"] for r in output.records] == [LEARNER_URN]


def test_each_day_of_the_range_is_one_window_with_its_own_started_at(http_mocker):
    mock_token(http_mocker)
    for day, urn in (("2024-01-01", "urn:li:enterpriseAccount:1"), ("2024-01-02", "urn:li:enterpriseAccount:2"), ("2024-01-03", "urn:li:enterpriseAccount:3")):
        http_mocker.get(
            ReportRequestBuilder.for_stream("account_activity").with_started_at(day).build(),
            ReportResponseBuilder().with_element(element(entity={"accountUrn": urn})).build(),
        )

    output = read_streams(ConfigBuilder().with_end_date("2024-01-03").build(), "account_activity")

    windows = sorted((r.record.data["startedAt"], r.record.data["endedAt"], r.record.data["accountUrn"]) for r in output.records)
    assert windows == [
        (epoch_ms("2024-01-01"), epoch_ms("2024-01-02"), "urn:li:enterpriseAccount:1"),
        (epoch_ms("2024-01-02"), epoch_ms("2024-01-03"), "urn:li:enterpriseAccount:2"),
        (epoch_ms("2024-01-03"), epoch_ms("2024-01-04"), "urn:li:enterpriseAccount:3"),
    ]


def test_records_keep_engagement_types_the_contract_does_not_list(http_mocker):
    report = element(entity={"accountUrn": ACCOUNT_URN}, activities=[{"engagementType": "DAYS_ACTIVE", "engagementValue": 3, "engagementMetricQualifier": "TOTAL"}])
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder.for_stream("account_activity").with_started_at(DAY).build(),
        ReportResponseBuilder().with_element(report).build(),
    )

    output = read_streams(ConfigBuilder().build(), "account_activity")

    assert output.records[0].record.data["activities"] == report["activities"]
    jsonschema.validate(output.records[0].record.data, _schema("account_activity"))
