"""Each fault knob: share 1.0 always happens, 0 never; faults can be turned off at runtime."""
import http.client
import json

import pytest
import requests

from .conftest import recent_start, window_params


@pytest.fixture
def good(simulator):
    return window_params(recent_start(simulator, 12), 7, "INDIVIDUAL", "CONTENT", count=50)


def test_no_faults_by_default(client, good):
    assert all(client.get(good).status_code == 200 for _ in range(20))


def test_429_always_with_retry_after(client, simulator, good):
    simulator.configure(rate_429=1.0, retry_after_s=3)
    for _ in range(5):
        r = client.get(good)
        assert r.status_code == 429 and r.headers["Retry-After"] == "3"
        assert r.json() == {"status": 429, "message": "Rate limit exceeded", "code": "RATE_LIMIT_EXCEEDED"}
    simulator.configure(retry_after_s=None)
    r = client.get(good)
    assert r.status_code == 429 and "Retry-After" not in r.headers
    simulator.configure(rate_429=0.0)
    assert client.get(good).status_code == 200


def test_429_share_is_roughly_right(client, simulator, good):
    simulator.configure(rate_429=0.5)
    codes = [client.get(good).status_code for _ in range(200)]
    assert 50 < codes.count(429) < 150 and codes.count(200) == 200 - codes.count(429)


def test_5xx_cycles_through_server_errors(client, simulator, good):
    simulator.configure(rate_5xx=1.0)
    codes = [client.get(good).status_code for _ in range(8)]
    assert set(codes) == {500, 502, 503, 504}
    simulator.configure(rate_5xx=0.0)
    assert client.get(good).status_code == 200


def test_truncated_body(client, simulator, good):
    full = client.get(good).content
    simulator.configure(rate_truncated=1.0)
    r = client.get(good)
    assert r.status_code == 200
    assert 0 < len(r.content) < len(full) and full.startswith(r.content)
    with pytest.raises(ValueError):
        json.loads(r.content)
    simulator.configure(rate_truncated=0.0)
    assert client.get(good).content == full


def test_dropped_connection(client, simulator, good):
    simulator.configure(rate_dropped=1.0)
    with pytest.raises(requests.ConnectionError):
        client.get(good)
    rec = simulator.requests[-1]
    assert rec["fault"] == "dropped" and rec["status"] is None
    simulator.configure(rate_dropped=0.0)
    assert client.get(good).status_code == 200


def test_stall_provokes_read_timeout(client, simulator, good):
    client.get_token()
    simulator.configure(rate_stall=1.0, stall_s=1.0)
    with pytest.raises(requests.ReadTimeout):
        client.get(good, timeout=0.2)
    simulator.configure(rate_stall=0.0)
    assert client.get(good).status_code == 200


def test_stall_then_answers(simulator, good):
    simulator.configure(rate_stall=1.0, stall_s=0.05)
    token = requests.post(simulator.token_url, data={"grant_type": "client_credentials", "client_id": "sim-client-id",
                                                     "client_secret": "sim-client-secret"}).json()["access_token"]
    r = requests.get(simulator.base_url + "/v2/learningActivityReports", params=good,
                     headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 200 and simulator.requests[-1]["fault"] == "stall"


def test_latency_knob_is_applied(client, simulator, good):
    simulator.configure(latency_s=0.01)
    assert client.get(good).status_code == 200  # no timing assertion: only that it still answers


def test_faults_hit_before_auth_and_keepalive_survives(simulator, good):
    simulator.configure(rate_5xx=1.0)
    host, port = simulator.base_url.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    for _ in range(3):  # same connection stays usable after error answers
        conn.request("GET", "/v2/learningActivityReports?q=criteria")
        resp = conn.getresponse()
        resp.read()
        assert resp.status >= 500
    conn.close()


def test_fault_counts_in_log(client, simulator, good):
    client.get_token()
    simulator.clear_requests()
    simulator.configure(rate_429=1.0)
    client.get(good)
    (rec,) = simulator.requests
    assert rec["status"] == 429 and rec["fault"] == "429"


def test_faults_start_after_the_calm_requests(client, simulator, good):
    simulator.configure(rate_429=1.0, faults_after=3)
    codes = [client.get(good).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_rejected_tokens_give_401_even_when_fresh(client, simulator, good):
    simulator.configure(reject_tokens=True)
    r = client.get(good)
    assert r.status_code == 401 and r.json()["code"] == "UNAUTHORIZED"


def test_redirect_points_elsewhere_with_the_same_query(client, simulator, good):
    simulator.configure(redirect_reports_to="http://localhost:9")
    r = client.get(good, allow_redirects=False)
    assert r.status_code == 307
    location = r.headers["Location"]
    assert location.startswith("http://localhost:9/v2/learningActivityReports?")
    assert "aggregationCriteria.primary=INDIVIDUAL" in location
