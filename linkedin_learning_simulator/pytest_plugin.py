"""pytest plugin: `simulator` fixture yielding a started Simulator with default settings.

Use with `pytest_plugins = ["linkedin_learning_simulator.pytest_plugin"]` in a root conftest, or
import the fixture into a conftest; tests change knobs with `simulator.configure(...)`.
"""
from __future__ import annotations

import pytest

from .settings import SimulatorSettings
from .simulator import Simulator


@pytest.fixture
def simulator():
    sim = Simulator(SimulatorSettings())
    sim.start(host="127.0.0.1", port=0)
    try:
        yield sim
    finally:
        sim.stop()
