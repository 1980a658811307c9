"""The control endpoint /_sim/: clock, knobs, request log, catalog changes, reset; loopback only."""
import signal
import socket
import subprocess
import sys

import pytest
import requests

from linkedin_learning_simulator import Simulator, SimulatorSettings
from linkedin_learning_simulator.control import is_loopback
from linkedin_learning_simulator.settings import DAY_MS

from .conftest import REPO_ROOT, Client, recent_start, window_params


@pytest.fixture
def sim():
    with Simulator(SimulatorSettings(token_lifetime_s=7775999), control=True) as s:
        yield s


def ctl(sim, method, path, **kw):
    return requests.request(method, sim.base_url + "/_sim" + path, timeout=10, **kw)


def test_index_lists_the_endpoints(sim):
    body = ctl(sim, "GET", "").json()
    assert "POST /_sim/clock" in body["endpoints"] and "GET /_sim/requests" in body["endpoints"]


def test_clock_advances_and_sets(sim):
    client = Client(sim)
    day = (sim.watermark_ms // DAY_MS) * DAY_MS
    partial = client.get(window_params(day, 1, "ACCOUNT")).json()["elements"][0]["latestDataAt"]
    clock = ctl(sim, "GET", "/clock").json()
    assert clock["now"] == sim.now_ms and clock["watermark"] == sim.watermark_ms == partial
    assert clock["now_iso"] == "2024-03-15T12:00:00.000Z"
    moved = ctl(sim, "POST", "/clock", json={"advance_days": 1, "advance_hours": 2}).json()
    assert moved["now"] == clock["now"] + DAY_MS + 2 * 3_600_000 == sim.now_ms
    assert client.get(window_params(day, 1, "ACCOUNT")).json()["elements"][0]["latestDataAt"] == moved["watermark"]
    assert ctl(sim, "POST", "/clock", json={"now": "2024-04-01T00:00:00Z"}).json()["now_iso"] == "2024-04-01T00:00:00.000Z"
    for bad in ({}, {"advance_days": -1}, {"advance_days": "one"}, {"back_days": 1}, {"now": "soon"}):
        r = ctl(sim, "POST", "/clock", json=bad)
        assert r.status_code == 400 and r.json()["error"], bad
    assert ctl(sim, "POST", "/clock", data="not json").status_code == 400
    assert ctl(sim, "POST", "/clock", json=[1]).status_code == 400


def test_configure_knobs_at_runtime(sim):
    client = Client(sim)
    params = window_params(recent_start(sim, 12), 7, "ACCOUNT")
    assert client.get(params).status_code == 200
    r = ctl(sim, "POST", "/configure", json={"rate_429": 1.0, "retry_after_s": 2})
    assert r.status_code == 200 and r.json()["rate_429"] == 1.0 and r.json()["client_secret"] == "***"
    assert sim.settings.rate_429 == 1.0
    answer = client.get(params)
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "2"
    ctl(sim, "POST", "/configure", json={"rate_429": 0, "retry_after_s": None, "catalog_access": False})
    assert client.get(params).status_code == 200
    assert client.get({"q": "localeAndType", "assetType": "COURSE", "sourceLocale.language": "en"},
                      path="/v2/learningAssets").status_code == 403
    for bad in ({"no_such_knob": 1}, {"rate_429": "high"}, {"api_access": 1}, {"max_count": 1.5}, {"seed": None}):
        r = ctl(sim, "POST", "/configure", json=bad)
        assert r.status_code == 400 and r.json()["error"], bad
    assert ctl(sim, "GET", "/settings").json()["catalog_access"] is False


def test_request_log_and_control_requests_stay_out_of_it(sim):
    client = Client(sim)
    client.get(window_params(recent_start(sim, 12), 7, "ACCOUNT"))
    ctl(sim, "GET", "/clock")
    log = ctl(sim, "GET", "/requests").json()
    assert log["total"] == 2 and [r["path"] for r in log["requests"]] == ["/oauth/v2/accessToken",
                                                                           "/v2/learningActivityReports"]
    assert log["requests"][0]["params"]["client_secret"] == "***"
    assert ctl(sim, "GET", "/requests?since=1").json()["requests"][0]["status"] == 200
    assert ctl(sim, "GET", "/requests?since=0&limit=1").json()["requests"][0]["method"] == "POST"
    assert ctl(sim, "GET", "/requests?since=x").status_code == 400
    assert ctl(sim, "DELETE", "/requests").json() == {"total": 0, "requests": []}
    assert sim.requests == []


def test_touch_assets(sim):
    since = sim.now_ms
    ctl(sim, "POST", "/clock", json={"advance_minutes": 1})
    touched = ctl(sim, "POST", "/touch_assets", json={"n": 2, "asset_type": "COURSE"}).json()["touched"]
    assert len(touched) == 2
    client = Client(sim)
    rows = client.all_pages({"q": "criteria", "assetFilteringCriteria.assetTypes[0]": "COURSE",
                             "assetFilteringCriteria.lastModifiedAfter": str(since)}, path="/v2/learningAssets")
    assert sorted(a["urn"] for a in rows) == sorted(touched)
    assert ctl(sim, "POST", "/touch_assets", json={"n": 1, "retire": True}).json()["touched"]
    for bad in ({"n": -1}, {"asset_type": "BOOK"}, {"retire": "yes"}, {"count": 1}):
        assert ctl(sim, "POST", "/touch_assets", json=bad).status_code == 400, bad


def test_reset(sim):
    start = sim.now_ms
    ctl(sim, "POST", "/clock", json={"advance_days": 3})
    ctl(sim, "POST", "/configure", json={"rate_5xx": 1.0, "learners": 5})
    ctl(sim, "POST", "/touch_assets", json={"n": 4})
    assert ctl(sim, "POST", "/reset").json()["now"] == start
    assert sim.settings == SimulatorSettings(token_lifetime_s=7775999)
    assert sim.catalog.revision == 0 and sim.requests == []
    assert Client(sim).get(window_params(recent_start(sim, 12), 7, "ACCOUNT")).status_code == 200


def test_unknown_endpoint_and_method(sim):
    assert ctl(sim, "GET", "/nothing").status_code == 404
    assert ctl(sim, "PUT", "/clock").status_code == 405
    assert ctl(sim, "GET", "/reset").status_code == 405


def test_off_by_default_and_then_just_an_unknown_path():
    with Simulator(SimulatorSettings()) as s:
        r = requests.get(s.base_url + "/_sim/clock", timeout=10)
        assert r.status_code == 404 and r.json()["code"] == "NOT_FOUND"
        assert [rec["path"] for rec in s.requests] == ["/_sim/clock"]  # logged like any request


def test_loopback_check():
    assert is_loopback("127.0.0.1") and is_loopback("127.8.9.10") and is_loopback("::1")
    assert is_loopback("::ffff:127.0.0.1")
    assert not is_loopback("192.0.2.2") and not is_loopback("10.0.0.1") and not is_loopback("::ffff:10.0.0.1")
    assert not is_loopback("localhost-but-not-an-ip") and not is_loopback("")


def _non_loopback_address():
    """This machine's address on its default route, if it has one (UDP connect sends nothing)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_non_loopback_clients_are_refused_over_http():
    address = _non_loopback_address()
    if address is None:
        pytest.skip("no non-loopback interface")
    with Simulator(SimulatorSettings(), control=True) as s:
        s.stop()
        s.start(host="0.0.0.0", port=0)
        port = s.base_url.rsplit(":", 1)[1]
        r = requests.post(f"http://{address}:{port}/_sim/configure", json={"rate_429": 1.0}, timeout=10)
        assert r.status_code == 403 and "loopback" in r.json()["error"]
        assert s.settings.rate_429 == 0.0
        assert requests.post(f"http://{address}:{port}/_sim/clock", json={"advance_days": 1}, timeout=10).status_code == 403
        assert requests.get(f"http://127.0.0.1:{port}/_sim/clock", timeout=10).status_code == 200
        # the API itself still answers that client
        assert requests.post(f"http://{address}:{port}/oauth/v2/accessToken", timeout=10,
                             data={"grant_type": "client_credentials", "client_id": "sim-client-id",
                                   "client_secret": "sim-client-secret"}).status_code == 200


def _cli(*extra):
    return subprocess.Popen([sys.executable, "-m", "linkedin_learning_simulator", "--port", "0", "--learners", "20",
                             "--token-lifetime-s", "7775999", *extra],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_cli_serves_the_control_endpoint():
    proc = _cli()
    try:
        url = proc.stdout.readline().strip().rsplit(" ", 1)[1]
        lines = [proc.stdout.readline().strip() for _ in range(4)]
        assert lines[-1] == f"control: {url}/_sim (loopback clients only)"
        token = requests.post(url + "/oauth/v2/accessToken", timeout=10,
                              data={"grant_type": "client_credentials", "client_id": "sim-client-id",
                                    "client_secret": "sim-client-secret"}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        params = {"q": "criteria", "startedAt": "1710028800000", "timeOffset.unit": "DAY",
                  "timeOffset.duration": "3", "aggregationCriteria.primary": "ACCOUNT"}
        before = requests.get(url + "/v2/learningActivityReports", params=params, headers=auth, timeout=10).json()
        clock = requests.post(url + "/_sim/clock", json={"advance_days": 1}, timeout=10).json()
        after = requests.get(url + "/v2/learningActivityReports", params=params, headers=auth, timeout=10).json()
        assert after["elements"][0]["latestDataAt"] == clock["watermark"] == before["elements"][0]["latestDataAt"] + DAY_MS
        assert requests.post(url + "/_sim/configure", json={"rate_5xx": 1.0}, timeout=10).status_code == 200
        assert requests.get(url + "/v2/learningActivityReports", params=params, headers=auth, timeout=10).status_code >= 500
        log = requests.get(url + "/_sim/requests", timeout=10).json()
        assert [r["status"] for r in log["requests"]] == [200, 200, 200, 500]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_cli_without_control_and_catalog_knobs_as_flags():
    proc = _cli("--no-control", "--catalog-access", "false", "--catalog-modified-total", "500")
    try:
        url = proc.stdout.readline().strip().rsplit(" ", 1)[1]
        assert requests.get(url + "/_sim/clock", timeout=10).status_code == 404
        token = requests.post(url + "/oauth/v2/accessToken", timeout=10,
                              data={"grant_type": "client_credentials", "client_id": "sim-client-id",
                                    "client_secret": "sim-client-secret"}).json()["access_token"]
        r = requests.get(url + "/v2/learningAssets", headers={"Authorization": f"Bearer {token}"}, timeout=10,
                         params={"q": "localeAndType", "assetType": "COURSE", "sourceLocale.language": "en"})
        assert r.status_code == 403 and r.json()["code"] == "ACCESS_DENIED"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
