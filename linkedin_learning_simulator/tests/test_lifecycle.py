"""Lifecycle: context manager, concurrent clients, runtime clock changes."""
import threading

import pytest
import requests

from linkedin_learning_simulator import Simulator, SimulatorSettings
from linkedin_learning_simulator.settings import to_epoch_ms

from .conftest import Client, recent_start, window_params


def test_context_manager_starts_and_stops():
    with Simulator(SimulatorSettings()) as sim:
        url = sim.base_url
        assert url.startswith("http://127.0.0.1:")
        assert requests.get(url + "/nowhere", timeout=5).status_code == 404
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/nowhere", timeout=2)


def test_settings_accept_epoch_ms_now():
    a = Simulator(SimulatorSettings(now=to_epoch_ms("2024-03-15T12:00:00Z")))
    b = Simulator(SimulatorSettings(now="2024-03-15T12:00:00Z"))
    assert a.now_ms == b.now_ms and a.watermark_ms == b.watermark_ms == a.now_ms - 30 * 3600 * 1000


def test_concurrent_clients_page_consistently(simulator):
    params = window_params(recent_start(simulator, 12), 7, "INDIVIDUAL", "CONTENT", count=5)
    expected = simulator.report("INDIVIDUAL", "CONTENT", started_at=int(params["startedAt"]), duration=7)
    results, errors = [], []

    def worker():
        try:
            results.append(Client(simulator).all_pages(params))
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 6 and all(r == expected for r in results)


def test_configure_now_moves_clock(simulator):
    simulator.configure(now="2024-04-01T00:00:00Z")
    assert simulator.now_ms == to_epoch_ms("2024-04-01T00:00:00Z")
    simulator.configure(lag_hours=0)
    assert simulator.watermark_ms == simulator.now_ms
