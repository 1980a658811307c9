"""The request log: one record per request, no token values, referer and host kept."""
import json
import signal
import subprocess
import sys

import requests

from linkedin_learning_simulator import Simulator, SimulatorSettings

from .conftest import REPO_ROOT, Client, recent_start, window_params


def test_records(client, simulator):
    token = client.get_token()
    params = window_params(recent_start(simulator, 12), 7, "ACCOUNT")
    client.get(params, headers={"referer": "urn:li:partner:42"})
    client.get(params, token=None)
    recs = simulator.requests
    assert [r["path"] for r in recs] == ["/oauth/v2/accessToken", "/v2/learningActivityReports",
                                         "/v2/learningActivityReports"]
    ok, anon = recs[1], recs[2]
    assert ok["method"] == "GET" and ok["status"] == 200 and ok["params"] == params
    assert ok["authorization"] is True and anon["authorization"] is False and anon["status"] == 401
    assert ok["referer"] == "urn:li:partner:42" and anon["referer"] is None
    assert ok["host"] == simulator.base_url.split("//")[1]
    assert isinstance(ok["time"], float)
    assert token not in repr(recs)
    recs[0]["params"].clear()  # a copy: mutating it leaves the log alone
    assert simulator.requests[0]["params"]
    simulator.clear_requests()
    assert simulator.requests == []


def test_log_file(tmp_path):
    path = tmp_path / "requests.jsonl"
    with Simulator(SimulatorSettings(), log_path=str(path)) as sim:
        c = Client(sim)
        c.get(window_params(recent_start(sim, 12), 7, "ACCOUNT"))
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [l["status"] for l in lines] == [200, 200]
    assert "sim-client-secret" not in path.read_text()


def test_cli_starts_answers_and_stops_on_sigterm(tmp_path):
    log = tmp_path / "cli.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "linkedin_learning_simulator", "--port", "0", "--seed", "7",
                             "--learners", "20", "--max-count", "1000", "--now", "2024-03-15T12:00:00Z",
                             "--latency", "0", "--log", str(log)],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline().strip()
        assert first.startswith("LinkedIn Learning simulator at http://127.0.0.1:"), first
        url = first.rsplit(" ", 1)[1]
        rest = [proc.stdout.readline() for _ in range(3)]
        assert any("sim-client-id" in line for line in rest)
        token = requests.post(url + "/oauth/v2/accessToken", timeout=10,
                              data={"grant_type": "client_credentials", "client_id": "sim-client-id",
                                    "client_secret": "sim-client-secret"}).json()["access_token"]
        params = {"q": "criteria", "startedAt": str(1710028800000), "timeOffset.unit": "DAY",
                  "timeOffset.duration": "3", "aggregationCriteria.primary": "INDIVIDUAL", "count": "1000"}
        r = requests.get(url + "/v2/learningActivityReports", params=params,
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert r.status_code == 200 and r.json()["elements"]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    assert len(log.read_text().splitlines()) == 2
