"""400 for each parameter, 401 (missing, wrong, expired), 403, 404, 500 window cap, count maximum."""
import pytest

from .conftest import assert_valid_error, recent_start, window_params

GOOD = None


@pytest.fixture
def good(simulator):
    return window_params(recent_start(simulator, 12), 7, "ACCOUNT")


BAD_PARAMS = [
    ("q", None, "q"), ("q", "finder", "q"),
    ("startedAt", None, "startedAt"), ("startedAt", "-1", "startedAt"), ("startedAt", "yesterday", "startedAt"),
    ("startedAt", "1.5", "startedAt"),
    ("timeOffset.unit", None, "timeOffset.unit"), ("timeOffset.unit", "YEAR", "timeOffset.unit"),
    ("timeOffset.unit", "day", "timeOffset.unit"),
    ("timeOffset.duration", None, "timeOffset.duration"), ("timeOffset.duration", "0", "timeOffset.duration"),
    ("timeOffset.duration", "x", "timeOffset.duration"),
    ("count", "0", "count"), ("count", "101", "count"), ("count", "ten", "count"),
    ("start", "-1", "start"), ("start", "a", "start"),
    ("contentSource", "CUSTOM", "contentSource"), ("contentSource", "all", "contentSource"),
    ("assetType", "PODCAST", "assetType"),
    ("locale.language", "", "locale.language"),
    ("sortOrder", "ASC", "sortOrder"),  # unknown parameter
]


@pytest.mark.parametrize("name,value,mentioned", BAD_PARAMS)
def test_bad_parameter_is_400_invalid_params(client, good, name, value, mentioned):
    params = dict(good)
    if value is None:
        params.pop(name)
    else:
        params[name] = value
    r = client.get(params)
    assert r.status_code == 400, r.text
    body = r.json()
    assert_valid_error(body, 400, "INVALID_PARAMS")
    assert mentioned in body["message"]


@pytest.mark.parametrize("primary,secondary", [(None, None), ("TEAM", None), ("ACCOUNT", "ACCOUNT"),
                                               ("INDIVIDUAL", "COURSE"), ("individual", None)])
def test_bad_aggregation_is_400_invalid_aggregation_criteria(client, good, primary, secondary):
    params = dict(good)
    params.pop("aggregationCriteria.primary")
    if primary:
        params["aggregationCriteria.primary"] = primary
    if secondary:
        params["aggregationCriteria.secondary"] = secondary
    r = client.get(params)
    assert r.status_code == 400
    body = r.json()
    assert_valid_error(body, 400, "INVALID_AGGREGATION_CRITERIA")
    assert body["message"].startswith("Invalid aggregation criteria: ")


def test_repeated_parameter_is_400(client, simulator, good):
    query = "&".join(f"{k}={v}" for k, v in good.items()) + "&count=5&count=6"
    r = client.session.get(f"{simulator.base_url}/v2/learningActivityReports?{query}",
                           headers={"Authorization": f"Bearer {client.get_token()}"})
    assert r.status_code == 400 and "count" in r.json()["message"]


def test_count_maximum_follows_the_knob(client, simulator, good):
    assert client.get(dict(good, count="100")).status_code == 200
    assert client.get(dict(good, count="1000")).status_code == 400
    simulator.configure(max_count=1000)
    assert client.get(dict(good, count="1000")).status_code == 200
    assert client.get(dict(good, count="1001")).status_code == 400


def test_missing_and_wrong_token_401(client, good):
    r = client.get(good, token=None)
    assert r.status_code == 401
    assert r.json() == {"status": 401, "message": "Invalid access token", "code": "UNAUTHORIZED"}
    r = client.get(good, token="not-a-token")
    assert r.status_code == 401 and r.json()["message"] == "Invalid access token"
    r = client.get(good, token=None, headers={"Authorization": "Basic abc"})
    assert r.status_code == 401


def test_expired_token_401_on_the_simulator_clock(client, simulator, good):
    simulator.configure(token_lifetime_s=600)
    token = client.get_token()
    assert client.get(good, token=token).status_code == 200
    simulator.advance(minutes=9)
    assert client.get(good, token=token).status_code == 200
    simulator.advance(minutes=1)
    r = client.get(good, token=token)
    assert r.status_code == 401
    assert r.json() == {"status": 401, "message": "Expired access token", "code": "UNAUTHORIZED"}
    assert client.get(good, token=client.get_token()).status_code == 200


def test_no_api_access_403(client, simulator, good):
    simulator.configure(api_access=False)
    r = client.get(good)
    assert r.status_code == 403
    assert r.json() == {"status": 403, "message": "Access to LinkedIn Learning APIs requires Partner Program membership",
                        "code": "FORBIDDEN"}


def test_window_cap_500(client, simulator, good):
    simulator.configure(max_window_days=14)
    assert client.get(dict(good, **{"timeOffset.duration": "14"})).status_code == 200
    assert client.get(dict(good, **{"timeOffset.unit": "WEEK", "timeOffset.duration": "2"})).status_code == 200
    for change in ({"timeOffset.duration": "15"}, {"timeOffset.unit": "WEEK", "timeOffset.duration": "3"},
                   {"timeOffset.unit": "MONTH", "timeOffset.duration": "1"}):
        r = client.get(dict(good, **change))
        assert r.status_code == 500
        assert r.json() == {"status": 500, "message": "Internal Server Error", "code": "INTERNAL_SERVER_ERROR"}
    simulator.configure(max_window_days=None)
    assert client.get(dict(good, **{"timeOffset.duration": "60"})).status_code == 200


def test_unknown_path_and_method(client, simulator):
    r = client.session.get(simulator.base_url + "/v2/learningPaths")
    assert r.status_code == 404
    assert_valid_error(r.json(), 404)
    r = client.session.post(simulator.base_url + "/v2/learningActivityReports")
    assert r.status_code == 405
    assert_valid_error(r.json(), 405)


def test_report_method_raises_on_bad_input(simulator):
    from linkedin_learning_simulator import ApiError
    with pytest.raises(ApiError) as err:
        simulator.report("NOPE", started_at=0)
    assert err.value.code == "INVALID_AGGREGATION_CRITERIA"
    with pytest.raises(ApiError):
        simulator.report("ACCOUNT", started_at=-5)
