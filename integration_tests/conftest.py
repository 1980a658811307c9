"""Fixtures of the integration tests: the simulator on the acceptance configs' port."""

from integration_tests.acceptance import acceptance_simulator  # noqa: F401  (the fixture)
