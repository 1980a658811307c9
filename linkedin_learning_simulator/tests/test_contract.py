"""Every answer validates against the contract; the contract's example is answered verbatim."""
import itertools

import pytest

from .conftest import SPEC, assert_valid_error, assert_valid_page, PAGE_SCHEMA, recent_start, window_params

LEVELS = ["ACCOUNT", "GROUP", "INDIVIDUAL", "CONTENT"]
COMBOS = [(p, None) for p in LEVELS] + [(p, s) for p, s in itertools.permutations(LEVELS, 2)]


@pytest.mark.parametrize("primary,secondary", COMBOS)
def test_pages_validate_at_every_level_and_pair(client, simulator, primary, secondary):
    params = window_params(recent_start(simulator, 10), 14, primary, secondary, count=100)
    r = client.get(params)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert_valid_page(body)
    assert body["elements"], "the window should hold activity"
    for element in body["elements"]:
        entity = element["learnerDetails"]["entity"]
        expected = {"ACCOUNT": "accountUrn", "GROUP": "groupUrn", "INDIVIDUAL": "learnerUrn", "CONTENT": "contentUrn"}
        assert set(entity) == {expected[primary]} | ({expected[secondary]} if secondary else set())
        if "INDIVIDUAL" in (primary, secondary):
            details = element["learnerDetails"]
            assert {"name", "email", "uniqueUserId", "enterpriseGroups", "customAttributes"} <= set(details)
            assert all(a["engagementMetricQualifier"] == "TOTAL" for a in element["activities"])
        else:
            assert any(a["engagementMetricQualifier"] == "UNIQUE" for a in element["activities"])
        if "CONTENT" in (primary, secondary):
            assert {"name", "contentProviderName", "contentUrn", "locale"} <= set(element["contentDetails"])
            assert element["contentDetails"]["contentUrn"] == entity["contentUrn"]
            assert all(a["engagementType"] != "LOGINS" for a in element["activities"])
        assert element["latestDataAt"] == simulator.watermark_ms


def test_filtered_pages_validate(client, simulator):
    start = recent_start(simulator, 10)
    for extra in ({"contentSource": "LINKEDIN_LEARNING"}, {"contentSource": "CUSTOM_CONTENT"},
                  {"assetType": "COURSE"}, {"locale.language": "en"}):
        r = client.get(window_params(start, 14, "INDIVIDUAL", "CONTENT", count=100, **extra))
        assert r.status_code == 200
        assert_valid_page(r.json())


@pytest.mark.parametrize("unit,duration", [("WEEK", 2), ("MONTH", 1)])
def test_week_and_month_units_validate(client, simulator, unit, duration):
    params = window_params(recent_start(simulator, 20), 1, "GROUP")
    params.update({"timeOffset.unit": unit, "timeOffset.duration": str(duration)})
    r = client.get(params)
    assert r.status_code == 200
    assert_valid_page(r.json())


def test_contract_example_request_returns_contract_example(client):
    example = SPEC["components"]["examples"]["LearningActivityReportResponseExample"]["value"]
    params = {"q": "criteria", "count": "1", "startedAt": "1627267600000", "timeOffset.unit": "DAY",
              "timeOffset.duration": "7", "aggregationCriteria.primary": "ACCOUNT", "contentSource": "ALL_SOURCES"}
    r = client.get(params)
    assert r.status_code == 200
    assert r.json() == example
    r = client.get(dict(params, start="0"))
    assert r.json() == example


def test_error_answers_validate(client, simulator):
    start = recent_start(simulator)
    cases = [
        (client.get(window_params(start, count=0)), 400, "INVALID_PARAMS"),
        (client.get(window_params(start, primary="NOPE")), 400, "INVALID_AGGREGATION_CRITERIA"),
        (client.get(window_params(start), token=None), 401, "UNAUTHORIZED"),
        (client.session.get(simulator.base_url + "/v2/nothing"), 404, None),
    ]
    simulator.configure(max_window_days=14)
    cases.append((client.get(window_params(start, 15)), 500, "INTERNAL_SERVER_ERROR"))
    simulator.configure(api_access=False)
    cases.append((client.get(window_params(start)), 403, "FORBIDDEN"))
    simulator.configure(api_access=True, rate_429=1.0)
    cases.append((client.get(window_params(start)), 429, "RATE_LIMIT_EXCEEDED"))
    simulator.configure(rate_429=0.0, rate_5xx=1.0)
    cases += [(client.get(window_params(start)), None, None) for _ in range(4)]
    for response, status, code in cases:
        assert_valid_error(response.json(), status or response.status_code, code)
        assert response.status_code == (status or response.status_code)


def test_live_extras_leave_the_contract(client, simulator):
    simulator.configure(live_extras=True)
    r = client.get(window_params(recent_start(simulator, 10), 14, "INDIVIDUAL", "CONTENT", count=100))
    assert r.status_code == 200
    body = r.json()
    assert not PAGE_SCHEMA.is_valid(body)
    types = {a["engagementType"] for e in body["elements"] for a in e["activities"]}
    assert {"DAYS_ACTIVE", "PROGRESS_PERCENTAGE"} <= types
    entity = body["elements"][0]["learnerDetails"]["entity"]
    assert "profileUrn" in entity and "learnerUrn" not in entity
    assert "websiteUrl" in body["elements"][0]["contentDetails"]
    # The live contentSource values are accepted with or without live_extras (test_sources.py).
