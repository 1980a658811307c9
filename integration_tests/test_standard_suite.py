"""The CDK's standard source tests, fed by acceptance-test-config.yml.

The image tests build and run the Dockerfile, which needs a Docker engine; where none answers
they are skipped, and unit_tests/test_packaging.py checks the Dockerfile instead.
"""

import shutil
import subprocess
from typing import Optional

import pytest

from airbyte_cdk.test.models.scenario import ConnectorTestScenario
from airbyte_cdk.test.standard_tests import SourceTestSuiteBase

from source_linkedin_learning import SourceLinkedinLearning



def _docker_engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


needs_docker_engine = pytest.mark.skipif(not _docker_engine_answers(), reason="no Docker engine runs on this machine")


@pytest.mark.usefixtures("acceptance_simulator")
class TestSourceLinkedinLearning(SourceTestSuiteBase):
    connector = SourceLinkedinLearning

    @classmethod
    def create_connector(cls, scenario: Optional[ConnectorTestScenario]) -> SourceLinkedinLearning:
        # The concurrent declarative source reads with the config it is built with.
        config = scenario.get_config_dict(connector_root=cls.get_connector_root_dir(), empty_if_missing=True) if scenario else {}
        return SourceLinkedinLearning(config=config or None)

    @needs_docker_engine
    def test_docker_image_build_and_spec(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().test_docker_image_build_and_spec(*args, **kwargs)

    @needs_docker_engine
    def test_docker_image_spec_backward_compatibility(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().test_docker_image_spec_backward_compatibility(*args, **kwargs)

    @needs_docker_engine
    def test_docker_image_build_and_check(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().test_docker_image_build_and_check(*args, **kwargs)

    @needs_docker_engine
    def test_docker_image_build_and_config_matches_spec(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().test_docker_image_build_and_config_matches_spec(*args, **kwargs)

    @needs_docker_engine
    def test_docker_image_build_and_discover(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().test_docker_image_build_and_discover(*args, **kwargs)

    @needs_docker_engine
    def test_docker_image_build_and_read(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().test_docker_image_build_and_read(*args, **kwargs)
