"""The acceptance entry point: the simulator that the configs of acceptance-test-config.yml name."""

from typing import Iterator

import pytest

from linkedin_learning_simulator import Simulator, SimulatorSettings

ACCEPTANCE_PORT = 48613


@pytest.fixture(scope="module")
def acceptance_simulator() -> Iterator[Simulator]:
    """The simulator with its default, seeded data on the port the acceptance configs use."""
    with Simulator(SimulatorSettings()) as simulator:
        simulator.stop()
        simulator.start(host="127.0.0.1", port=ACCEPTANCE_PORT)
        yield simulator
