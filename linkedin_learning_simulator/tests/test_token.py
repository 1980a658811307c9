"""Token endpoint: both grants, wrong credentials, bad requests; secrets never logged."""
import requests


def post(sim, **form):
    return requests.post(sim.token_url, data=form, timeout=10)


def test_client_credentials(simulator):
    r = post(simulator, grant_type="client_credentials", client_id="sim-client-id", client_secret="sim-client-secret")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"access_token", "expires_in"}  # like the live service: no token_type
    assert body["expires_in"] == 3600
    assert simulator.tokens_issued == [body["access_token"]]
    assert simulator.token_url == simulator.base_url + "/oauth/v2/accessToken"


def test_refresh_token_grant(simulator):
    r = post(simulator, grant_type="refresh_token", refresh_token="sim-refresh-token",
             client_id="sim-client-id", client_secret="sim-client-secret")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"access_token", "expires_in", "refresh_token", "refresh_token_expires_in"}
    assert body["refresh_token"] == "sim-refresh-token"


def test_token_lifetime_knob(simulator):
    simulator.configure(token_lifetime_s=7775999)
    r = post(simulator, grant_type="client_credentials", client_id="sim-client-id", client_secret="sim-client-secret")
    assert r.json()["expires_in"] == 7775999


def test_wrong_credentials_401(simulator):
    bad = {"error": "invalid_client", "error_description": "Client authentication failed"}
    for form in ({"client_id": "sim-client-id", "client_secret": "wrong"},
                 {"client_id": "other", "client_secret": "sim-client-secret"}):
        r = post(simulator, grant_type="client_credentials", **form)
        assert r.status_code == 401 and r.json() == bad
    r = post(simulator, grant_type="refresh_token", refresh_token="stale",
             client_id="sim-client-id", client_secret="sim-client-secret")
    assert r.status_code == 401 and r.json() == bad
    assert simulator.tokens_issued == []


def test_bad_requests_400(simulator):
    for form in ({}, {"grant_type": "password", "client_id": "a", "client_secret": "b"},
                 {"grant_type": "client_credentials", "client_id": "sim-client-id"},
                 {"grant_type": "refresh_token", "client_id": "sim-client-id", "client_secret": "sim-client-secret"}):
        r = post(simulator, **form)
        assert r.status_code == 400
        assert r.json()["error"] == "invalid_request" and r.json()["error_description"]
    assert requests.get(simulator.token_url, timeout=10).status_code == 405


def test_token_requests_are_logged_masked(simulator):
    post(simulator, grant_type="refresh_token", refresh_token="sim-refresh-token",
         client_id="sim-client-id", client_secret="sim-client-secret")
    (record,) = simulator.requests
    assert record["path"] == "/oauth/v2/accessToken" and record["method"] == "POST" and record["status"] == 200
    assert record["params"] == {"grant_type": "refresh_token", "refresh_token": "***",
                                "client_id": "sim-client-id", "client_secret": "***"}
    assert "sim-client-secret" not in repr(simulator.requests)


def test_faults_do_not_touch_the_token_endpoint_unless_asked(simulator):
    simulator.configure(rate_429=1.0, rate_5xx=1.0, rate_dropped=1.0)
    form = dict(grant_type="client_credentials", client_id="sim-client-id", client_secret="sim-client-secret")
    assert post(simulator, **form).status_code == 200
    simulator.configure(token_rate_5xx=1.0)
    assert post(simulator, **form).status_code >= 500


def test_wall_clock_tokens_expire_in_real_time_without_moving_the_data_clock(client, simulator):
    from .conftest import recent_start, window_params

    simulator.configure(token_clock="wall", token_lifetime_s=0)
    now = simulator.now_ms
    r = client.get(window_params(recent_start(simulator, 3), 1))
    assert r.status_code == 401 and r.json()["message"] == "Expired access token"
    assert simulator.now_ms == now
