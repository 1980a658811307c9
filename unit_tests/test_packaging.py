"""The connector as Airbyte ships it: registry metadata, the Docker image, the installed package.

Each test reads the file that states a fact and the file that depends on it, so a change to one
that the other does not follow fails here rather than in a registry or an image build.
"""

import ast
import re
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path
from typing import Any, Dict, List
from urllib.parse import urlsplit

import pytest
import yaml

from source_linkedin_learning import errors
from source_linkedin_learning.source import load_manifest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "source_linkedin_learning"


def _metadata() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "metadata.yaml").read_text())  # type: ignore[no-any-return]


def _setup_keywords() -> Dict[str, Any]:
    """The keyword arguments of setup.py's `setup(...)` call, evaluated as literals (names bound
    to literals at module level, like TEST_REQUIREMENTS, are resolved)."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    constants = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    call = next(
        node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setup"
    )
    keywords = {}
    for keyword in call.keywords:
        value = constants.get(keyword.value.id, keyword.value) if isinstance(keyword.value, ast.Name) else keyword.value
        try:
            keywords[keyword.arg] = ast.literal_eval(value)
        except ValueError:
            keywords[keyword.arg] = None  # a call such as find_packages(): not a literal
    return keywords


def _console_script() -> str:
    scripts = _setup_keywords()["entry_points"]["console_scripts"]
    assert len(scripts) == 1, scripts
    name, target = (part.strip() for part in scripts[0].split("="))
    assert target == f"{PACKAGE}.run:run"
    return name


def _dockerfile() -> List[str]:
    """Dockerfile instructions, one per line, comments and blanks dropped."""
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _instruction(keyword: str) -> List[str]:
    return [line[len(keyword) :].strip() for line in _dockerfile() if line.split()[0] == keyword]


def _dockerfile_arg(name: str) -> str:
    for arg in _instruction("ARG"):
        key, _, value = arg.partition("=")
        if key == name:
            return value
    raise AssertionError(f"no ARG {name} in the Dockerfile")


def _spec_default(field: str) -> str:
    return load_manifest()["spec"]["connection_specification"]["properties"][field]["default"]  # type: ignore[no-any-return]


def _handler(**overrides: Any) -> errors.LinkedInLearningErrorHandler:
    return errors.LinkedInLearningErrorHandler(config={}, parameters={}, **overrides)


def _worst_case_silence_seconds(handler: errors.LinkedInLearningErrorHandler) -> float:
    """The longest one request can go without a record: the CDK retries while the time since
    the first attempt is under `max_time` and fewer than `max_retries` retries are made; each wait
    is the strategy's longest plus the second the CDK adds, and each attempt may run into the
    requester's connect and read timeouts."""
    (strategy,) = handler.backoff_strategies
    longest_wait = max(strategy.cap_seconds, strategy.max_retry_after_seconds) + 1
    requester = load_manifest()["definitions"]["requester"]
    attempt = requester["connect_timeout_in_seconds"] + requester["read_timeout_in_seconds"]
    assert handler.max_retries is not None and handler.max_time is not None
    by_retries = handler.max_retries * (longest_wait + attempt) + attempt
    # The last retry starts before max_time is spent, after at most one more wait.
    by_time = handler.max_time + attempt + longest_wait + attempt
    return min(by_retries, by_time)


class TestMetadata:
    def test_identifies_a_python_low_code_api_source(self) -> None:
        data = _metadata()["data"]
        assert data["connectorType"] == "source"
        assert data["connectorSubtype"] == "api"
        assert data["name"] == "LinkedIn Learning"
        assert data["dockerRepository"] == "airbyte/source-linkedin-learning"
        assert set(data["tags"]) == {"language:python", "cdk:low-code"}
        assert data["license"] == "MIT"
        assert data["releaseStage"] == "alpha"
        assert data["supportLevel"] == "community"
        assert _metadata()["metadataSpecVersion"] == "1.0"

    def test_definition_id_is_a_fixed_uuid4(self) -> None:
        definition_id = _metadata()["data"]["definitionId"]
        assert isinstance(definition_id, str)
        assert uuid.UUID(definition_id).version == 4
        assert str(uuid.UUID(definition_id)) == definition_id

    def test_image_tag_is_the_package_version(self) -> None:
        data = _metadata()["data"]
        assert isinstance(data["dockerImageTag"], str)
        assert data["dockerImageTag"] == _setup_keywords()["version"]

    def test_pypi_package_is_the_one_setup_py_builds(self) -> None:
        pypi = _metadata()["data"]["remoteRegistries"]["pypi"]
        assert pypi == {"enabled": True, "packageName": _setup_keywords()["name"]}

    def test_published_to_cloud_and_oss(self) -> None:
        overrides = _metadata()["data"]["registryOverrides"]
        assert overrides["cloud"]["enabled"] is True
        assert overrides["oss"]["enabled"] is True

    def test_documentation_url_is_the_one_the_spec_links_to(self) -> None:
        url = _metadata()["data"]["documentationUrl"]
        assert url == "https://docs.airbyte.com/integrations/sources/linkedin-learning"
        assert url == load_manifest()["spec"]["documentation_url"]

    def test_declares_unit_and_acceptance_test_suites(self) -> None:
        suites = {entry["suite"] for entry in _metadata()["data"]["connectorTestSuitesOptions"]}
        assert {"unitTests", "acceptanceTests"} <= suites

    def test_internal_levels_are_numbers(self) -> None:
        levels = _metadata()["data"]["ab_internal"]
        assert set(levels) == {"sl", "ql"}
        assert all(isinstance(value, int) and value > 0 for value in levels.values())

    def test_base_image_is_pinned_and_built_by_the_dockerfile(self) -> None:
        base_image = _metadata()["data"]["connectorBuildOptions"]["baseImage"]
        assert re.fullmatch(r"docker\.io/airbyte/python-connector-base:\d+\.\d+\.\d+@sha256:[0-9a-f]{64}", base_image)
        assert _dockerfile_arg("BASE_IMAGE") == base_image

    @pytest.mark.parametrize("field", ["api_url", "token_url"])
    def test_allowed_hosts_cover_the_default_endpoints(self, field: str) -> None:
        hosts = _metadata()["data"]["allowedHosts"]["hosts"]
        assert urlsplit(_spec_default(field)).hostname in hosts

    def test_allowed_hosts_are_exactly_the_linkedin_endpoints(self) -> None:
        assert sorted(_metadata()["data"]["allowedHosts"]["hosts"]) == ["api.linkedin.com", "www.linkedin.com"]

    def test_platform_waits_out_the_longest_retry_of_one_request(self) -> None:
        allowed = _metadata()["data"]["maxSecondsBetweenMessages"]
        assert isinstance(allowed, int)
        assert allowed >= _worst_case_silence_seconds(_handler())

    def test_worst_case_follows_the_error_handler(self) -> None:
        """The bound is computed from the handler, not copied: a longer Retry-After cap or more
        retries under a longer max_time raise it."""
        default = _worst_case_silence_seconds(_handler())
        longer_cap = [errors.JitteredExponentialBackoff(max_retry_after_seconds=3000.0)]
        assert _worst_case_silence_seconds(_handler(backoff_strategies=longer_cap)) > default
        assert _worst_case_silence_seconds(_handler(max_time=6000)) > default
        assert _worst_case_silence_seconds(_handler(max_retries=1)) < default


class TestDockerfile:
    def test_builds_on_the_base_image_argument(self) -> None:
        assert _instruction("FROM") == ["${BASE_IMAGE}"]

    def test_installs_this_package(self) -> None:
        assert _instruction("WORKDIR") == ["/airbyte/integration_code"]
        copied = " ".join(_instruction("COPY")).split()
        assert "setup.py" in copied
        assert PACKAGE in copied or f"{PACKAGE}/" in copied
        assert any(re.fullmatch(r"pip install (--no-cache-dir )?\.", run) for run in _instruction("RUN"))

    def test_entrypoint_is_the_console_script_of_setup_py(self) -> None:
        script = _console_script()
        assert _instruction("ENTRYPOINT") == [f'["{script}"]']
        assert f'AIRBYTE_ENTRYPOINT="{script}"' in _instruction("ENV")

    def test_labels_match_the_metadata(self) -> None:
        data = _metadata()["data"]
        labels = dict(label.split("=", 1) for label in _instruction("LABEL"))
        assert labels["io.airbyte.name"] == data["dockerRepository"]
        assert labels["io.airbyte.version"] == data["dockerImageTag"]

    def test_console_script_runs_the_connector(self) -> None:
        """The script the image starts is the one installed here, and it answers `spec`."""
        script = Path(sys.executable).parent / _console_script()
        assert script.exists(), f"{script} is not installed: pip install -e ."
        result = subprocess.run([str(script), "spec"], capture_output=True, text=True, timeout=120, check=True)
        assert '"type":"SPEC"' in result.stdout.replace(" ", "")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """A wheel built from a copy of what the Dockerfile copies, so the repository is not touched."""
    source = tmp_path_factory.mktemp("source")
    (source / "setup.py").write_text((ROOT / "setup.py").read_text())
    shutil.copytree(ROOT / PACKAGE, source / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("*.whl")
    return zipfile.ZipFile(built)


class TestInstalledPackage:
    def test_wheel_holds_the_manifest(self, wheel: zipfile.ZipFile) -> None:
        assert f"{PACKAGE}/manifest.yaml" in wheel.namelist()

    def test_wheel_holds_every_schema(self, wheel: zipfile.ZipFile) -> None:
        schemas = {path.name for path in (ROOT / PACKAGE / "schemas").glob("*.json")}
        assert schemas
        packaged = {Path(name).name for name in wheel.namelist() if name.startswith(f"{PACKAGE}/schemas/")}
        assert schemas <= packaged

    def test_wheel_declares_the_console_script(self, wheel: zipfile.ZipFile) -> None:
        (entry_points,) = [name for name in wheel.namelist() if name.endswith(".dist-info/entry_points.txt")]
        text = wheel.read(entry_points).decode()
        assert f"{_console_script()} = {PACKAGE}.run:run" in text

    def test_every_schema_the_manifest_names_is_packaged(self, wheel: zipfile.ZipFile) -> None:
        manifest_text = (ROOT / PACKAGE / "manifest.yaml").read_text()
        named = set(re.findall(rf"\./{PACKAGE}/(schemas/[\w.-]+\.json)", manifest_text))
        assert named
        assert {f"{PACKAGE}/{path}" for path in named} <= set(wheel.namelist())


def test_the_manifest_reads_the_same_with_libyaml_and_pure_python():
    """load_manifest takes PyYAML's libyaml loader for speed; it must build what safe_load builds."""
    import pkgutil

    import yaml

    from source_linkedin_learning.source import load_manifest

    assert load_manifest() == yaml.safe_load(pkgutil.get_data("source_linkedin_learning", "manifest.yaml"))
    assert hasattr(yaml, "CSafeLoader")  # the wheels of every platform the image runs on carry libyaml
