"""Big and odd answers of the service read without error, and every record fits its stream's schema.

A page of several MB, the live service's extra fields and enum values, unicode names, elements
missing optional parts or carrying unknown ones, empty activities; and a property-based test over
every element shape the API contract allows.
"""

import datetime
import json
from typing import Any, Dict, List

import jsonschema
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airbyte_cdk.sources.types import StreamSlice
from airbyte_cdk.test.entrypoint_wrapper import discover
from airbyte_cdk.test.mock_http import HttpMocker, HttpResponse

from linkedin_learning_simulator import Simulator, SimulatorSettings
from source_linkedin_learning import SourceLinkedinLearning
from source_linkedin_learning.components import AddWindowAndUrns, ReportElementExtractor, decoded

from integration_tests.harness import (
    DAY_MS,
    SIM_TODAY,
    STREAMS,
    config_for,
    day_ms,
    expected_keys,
    records_by_key,
    report_requests,
    run_read,
)
from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.request_builder import ReportRequestBuilder, epoch_ms
from unit_tests.mock_server.response_builder import CONTENT_URN, LEARNER_URN, ReportResponseBuilder, activity, element
from unit_tests.mock_server.utils import mock_token, read_streams

DAY = SIM_TODAY - datetime.timedelta(days=1)
_SCHEMAS: Dict[str, Dict[str, Any]] = {}


def schema_of(stream: str) -> Dict[str, Any]:
    """The JSON schema `discover` announces for the stream."""
    if not _SCHEMAS:
        config = ConfigBuilder().build()
        for entry in discover(SourceLinkedinLearning(config=config), config).catalog.catalog.streams:
            _SCHEMAS[entry.name] = entry.json_schema
    return _SCHEMAS[stream]


def assert_records_validate(output) -> None:
    assert output.records, "no records to validate"
    for message in output.records:
        record = message.record
        jsonschema.validate(record.data, schema_of(record.stream))
        assert isinstance(record.data["startedAt"], int) and record.data["endedAt"] > record.data["startedAt"]


# --- the simulator -------------------------------------------------------------------------------


@pytest.fixture
def big_sim():
    sim = Simulator(SimulatorSettings(learners=20000, courses=50, max_count=1000))
    sim.start(host="127.0.0.1", port=0)
    try:
        yield sim
    finally:
        sim.stop()


def _token(sim) -> str:
    answer = requests.post(
        sim.token_url,
        data={"grant_type": "client_credentials", "client_id": sim.settings.client_id, "client_secret": sim.settings.client_secret},
        timeout=10,
    )
    return answer.json()["access_token"]


def test_pages_of_several_megabytes_read_completely_and_validate(big_sim):
    params = {
        "q": "criteria", "aggregationCriteria.primary": "INDIVIDUAL", "aggregationCriteria.secondary": "CONTENT",
        "timeOffset.unit": "DAY", "timeOffset.duration": "1", "startedAt": str(day_ms(DAY)), "count": "1000", "start": "0",
        "contentSource": "ALL_SOURCES",
    }
    page = requests.get(big_sim.base_url + "/v2/learningActivityReports", params=params,
                        headers={"Authorization": f"Bearer {_token(big_sim)}"}, timeout=60)
    assert page.status_code == 200
    # The connector's largest page is 1000 rows; at some 1 kB a row that is over a megabyte a page,
    # and this day's window (some 2500 rows over three pages) is several megabytes.
    assert len(page.content) > 1_000_000, f"the page is only {len(page.content)} bytes: the test proves nothing"
    assert page.json()["paging"]["total"] * len(page.content) / 1000 > 2_000_000
    big_sim.clear_requests()

    config = config_for(big_sim, start_date=DAY.isoformat(), end_date=DAY.isoformat(), page_size=1000)
    output = run_read(config, ["individual_content_activity"])

    got = {key for (_, key) in records_by_key(output)}
    assert got == expected_keys(big_sim, "individual_content_activity", DAY, DAY)
    assert len(output.records) == len(got)
    assert len([r for r in report_requests(big_sim) if r["status"] == 200]) >= 2, "not several pages"
    assert_records_validate(output)


def test_the_live_services_extra_fields_and_enum_values_read_and_validate(simulator):
    simulator.configure(live_extras=True)
    output = run_read(config_for(simulator, start_date=(SIM_TODAY - datetime.timedelta(days=2)).isoformat()), STREAMS)

    assert_records_validate(output)
    first_day = SIM_TODAY - datetime.timedelta(days=2)
    for stream in STREAMS:
        got = {key for (name, key) in records_by_key(output) if name == stream}
        assert got == expected_keys(simulator, stream, first_day, SIM_TODAY), stream
    data = [m.record.data for m in output.records]
    engagement_types = {a["engagementType"] for d in data for a in d.get("activities") or []}
    assert {"DAYS_ACTIVE", "PROGRESS_PERCENTAGE"} <= engagement_types
    individual = [m.record.data for m in output.records if m.record.stream == "individual_activity"]
    assert individual and all(d["learnerUrn"] == d["learnerDetails"]["entity"]["profileUrn"] for d in individual)
    assert any((d.get("contentDetails") or {}).get("websiteUrl") for d in data)


def test_unicode_names_come_through_unchanged(simulator):
    output = run_read(config_for(simulator, start_date=(SIM_TODAY - datetime.timedelta(days=6)).isoformat()), ["individual_activity"])

    served = {}
    for day_offset in range(7):
        start = day_ms(SIM_TODAY - datetime.timedelta(days=day_offset))
        for item in simulator.report("INDIVIDUAL", started_at=start):
            served[item["learnerDetails"]["entity"]["learnerUrn"]] = item["learnerDetails"]["name"]
    names = {m.record.data["learnerUrn"]: m.record.data["learnerDetails"]["name"] for m in output.records}
    non_ascii = {urn: name for urn, name in served.items() if not name.isascii()}
    assert len({n for n in non_ascii.values()}) >= 3, "the simulator served too few non-ASCII names to prove anything"
    for urn, name in non_ascii.items():
        assert names[urn] == name
    assert_records_validate(output)


# --- hand-made pages -----------------------------------------------------------------------------

MOCK_DAY = "2024-01-01"
ODD_ELEMENTS = {
    "no_optional_fields": {},
    "only_activities": {"activities": [activity()]},
    "empty_activities": element(entity={"learnerUrn": LEARNER_URN}, activities=[]),
    "null_activities": {**element(entity={"learnerUrn": LEARNER_URN}), "activities": None},
    "no_learner_details": element(content_urn=CONTENT_URN),
    "learner_details_without_entity": element(name="Zoë", email="z@example.com"),
    "null_learner_details": {**element(), "learnerDetails": None},
    "null_content_details": {**element(entity={"learnerUrn": LEARNER_URN}), "contentDetails": None},
    "activity_with_only_required_fields": element(
        entity={"learnerUrn": LEARNER_URN},
        activities=[{"engagementType": "VIEWS", "engagementValue": 3, "engagementMetricQualifier": "TOTAL"}],
    ),
    "unknown_fields_everywhere": {
        **element(entity={"learnerUrn": LEARNER_URN, "skillUrn": "urn:li:skill:1"}, content_urn=CONTENT_URN, jobTitle="Engineer"),
        "newTopLevel": {"nested": [1, 2, {"x": None}]},
        "activities": [{**activity(), "engagementSource": "MOBILE", "extra": [1, "two"]}],
    },
    "new_enum_values": element(
        entity={"learnerUrn": LEARNER_URN},
        activities=[
            activity("MARKED_AS_DONE", 1, "TOTAL", "PODCAST"),
            activity("ENGAGED_LEARNERS", 5, "DISTINCT", "INTERACTIVE_LAB"),
            activity("PROGRESS_PERCENTAGE", 42.5, "AVERAGE", None),
        ],
    ),
    "unicode_everywhere": element(
        entity={"learnerUrn": "urn:li:learner:李雷"},
        content_urn="urn:li:learningCourse:Ünïcödé",
        name="Маша Иванова 🚀",
        email="łukasz.żółć@example.com",
        enterpriseGroups=["Ventes — Île-de-France", "営業"],
        customAttributes={"Département": ["R&D"]},
    ),
}


@pytest.mark.parametrize("case", list(ODD_ELEMENTS))
def test_an_odd_element_reads_and_validates(case):
    odd = ODD_ELEMENTS[case]
    with HttpMocker() as http_mocker:
        mock_token(http_mocker)
        http_mocker.get(
            ReportRequestBuilder.for_stream("individual_content_activity").with_started_at(MOCK_DAY).build(),
            ReportResponseBuilder().with_element(odd).build(),
        )
        config = ConfigBuilder().with_start_date(MOCK_DAY).with_end_date(MOCK_DAY).build()
        output = read_streams(config, "individual_content_activity")

    assert not output.errors, output.get_formatted_error_message()
    assert len(output.records) == 1
    assert_records_validate(output)
    data = output.records[0].record.data
    assert data["startedAt"] == epoch_ms(MOCK_DAY) and data["endedAt"] == epoch_ms(MOCK_DAY) + DAY_MS
    for key, value in odd.items():
        assert data.get(key) == value, f"{key} was changed on the way"
    entity = (odd.get("learnerDetails") or {}).get("entity") or {}
    assert data.get("learnerUrn") == entity.get("learnerUrn")
    assert data.get("contentUrn") == (odd.get("contentDetails") or {}).get("contentUrn")


def test_a_page_without_paging_ends_the_window_without_error():
    """An empty page needs no `paging`; a body without `elements` is not a page at all
    (unit_tests/mock_server/test_odd_service.py)."""
    with HttpMocker() as http_mocker:
        mock_token(http_mocker)
        http_mocker.get(
            ReportRequestBuilder.for_stream("account_activity").with_started_at(MOCK_DAY).build(),
            HttpResponse(json.dumps({"elements": []}), 200),
        )
        config = ConfigBuilder().with_start_date(MOCK_DAY).with_end_date(MOCK_DAY).build()
        output = read_streams(config, "account_activity")
    assert not output.errors and output.records == []


# --- property-based: any element shape the contract allows -------------------------------------

KNOWN_TOP = ("latestDataAt", "activities", "learnerDetails")
_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_extra_keys = st.dictionaries(
    st.text(min_size=1, max_size=10).filter(lambda k: k not in KNOWN_TOP + ("startedAt", "endedAt", "accountUrn", "groupUrn", "learnerUrn", "contentUrn", "contentDetails")),
    _text,
    max_size=3,
)
_enum_or_new = lambda known: st.one_of(st.sampled_from(known), st.text(min_size=1, max_size=20))  # noqa: E731
_int64 = st.integers(min_value=0, max_value=2**53)

_activity = st.fixed_dictionaries(
    {
        "engagementType": _enum_or_new(["LOGINS", "VIEWS", "SECONDS_VIEWED", "COMPLETIONS"]),
        "engagementValue": st.integers(min_value=0, max_value=2**40),
        "engagementMetricQualifier": _enum_or_new(["UNIQUE", "TOTAL"]),
    },
    optional={
        "assetType": _enum_or_new(["VIDEO", "ARTICLE", "AUDIO", "BOOK", "LEARNING_COLLECTION", "COURSE", "DOCUMENT", "EVENT", "LEARNING_PATH"]),
        "firstEngagedAt": _int64,
        "lastEngagedAt": _int64,
    },
).flatmap(lambda a: _extra_keys.map(lambda extra: {**extra, **a}))

_urn = st.builds(lambda kind, ident: f"urn:li:{kind}:{ident}", st.sampled_from(["enterpriseAccount", "learnerGroup", "learner", "learningCourse"]), _text)
_entity = st.fixed_dictionaries(
    {}, optional={"accountUrn": _urn, "groupUrn": _urn, "learnerUrn": _urn, "contentUrn": _urn}
).flatmap(lambda e: _extra_keys.map(lambda extra: {**extra, **e}))
_learner_details = st.fixed_dictionaries({}, optional={"entity": _entity}).flatmap(lambda d: _extra_keys.map(lambda extra: {**extra, **d}))
_element = st.fixed_dictionaries(
    {}, optional={"latestDataAt": _int64, "activities": st.lists(_activity, max_size=4), "learnerDetails": _learner_details}
).flatmap(lambda e: _extra_keys.map(lambda extra: {**extra, **e}))


def _response(body: Dict[str, Any]) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response._content = json.dumps(body).encode()
    return response


def test_a_page_lets_go_of_each_record_it_hands_out():
    """A read holds the records still to be written, not whole pages: the decoded page no
    longer keeps a record once it is handed out, and hands them out in the page's order."""
    elements = [element(entity={"learnerUrn": f"urn:li:learner:{n}"}) for n in range(3)]
    response = _response({"elements": elements, "paging": {"start": 0, "count": 100, "total": 3}})
    records = iter(ReportElementExtractor(config={}, parameters={}).extract_records(response))
    page = decoded(response)["elements"]
    assert len(page) == 3
    first = next(records)
    assert first == elements[0]
    assert len(page) == 2 and all(record is not first for record in page)
    assert list(records) == elements[1:]
    assert page == []


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elements=st.lists(_element, max_size=4), stream=st.sampled_from(STREAMS), start=st.integers(min_value=0, max_value=2**42))
def test_any_element_shape_the_contract_allows_becomes_a_valid_record(elements, stream, start):
    body = {"elements": json.loads(json.dumps(elements)), "paging": {"start": 0, "count": 100, "total": len(elements)}}
    extractor = ReportElementExtractor(config={}, parameters={})
    transformation = AddWindowAndUrns()
    window = StreamSlice(partition={}, cursor_slice={"start_time": str(start), "end_time": str(start + DAY_MS - 1)})

    records: List[Dict[str, Any]] = []
    for record in extractor.extract_records(_response(body)):
        transformation.transform(record, config={}, stream_slice=window)
        records.append(record)

    assert len(records) == len(elements)
    for original, record in zip(elements, records):
        jsonschema.validate(record, schema_of(stream))
        assert record["startedAt"] == start and record["endedAt"] == start + DAY_MS
        entity = (original.get("learnerDetails") or {}).get("entity") or {}
        for urn in ("accountUrn", "groupUrn", "learnerUrn", "contentUrn"):
            # A level the element lacks is left out, as a null would be when the record is written.
            assert record.get(urn) == entity.get(urn)
            assert urn in record or entity.get(urn) is None
        for key, value in original.items():
            assert record[key] == value
