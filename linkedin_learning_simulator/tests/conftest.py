"""Shared helpers: the contract's schemas, a small API client and window arithmetic."""
from __future__ import annotations

import os

import jsonschema
import pytest
import requests
import yaml
from referencing import Registry, Resource

from linkedin_learning_simulator.pytest_plugin import simulator  # noqa: F401  (the fixture)
from linkedin_learning_simulator.settings import DAY_MS

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The API contract, kept in the package beside the simulator that follows it.
SPEC_PATH = os.path.join(REPO_ROOT, "linkedin_learning_simulator", "contract", "linkedin-learning-activity-reports.openapi.yaml")
REPORTS = "/v2/learningActivityReports"


def load_spec() -> dict:
    with open(SPEC_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


SPEC = load_spec()
_REGISTRY = Registry().with_resource("spec", Resource.opaque(SPEC))


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": f"spec#/components/schemas/{name}"}, registry=_REGISTRY)


PAGE_SCHEMA = validator("LearningActivityReportResponse")
ERROR_SCHEMA = validator("ErrorResponse")


def assert_valid_page(body: dict) -> None:
    PAGE_SCHEMA.validate(body)


def assert_valid_error(body: dict, status: int, code: str | None = None) -> None:
    ERROR_SCHEMA.validate(body)
    assert body["status"] == status
    if code:
        assert body["code"] == code


class Client:
    """Just enough of an API client for the tests."""

    def __init__(self, sim):
        self.sim = sim
        self.session = requests.Session()
        self.token = None

    def get_token(self) -> str:
        s = self.sim.settings
        r = self.session.post(self.sim.token_url, data={"grant_type": "client_credentials",
                                                        "client_id": s.client_id, "client_secret": s.client_secret})
        assert r.status_code == 200, r.text
        self.token = r.json()["access_token"]
        return self.token

    def get(self, params: dict, token: str | None = "auto", path: str = REPORTS, **kw) -> requests.Response:
        if token == "auto":
            token = self.token or self.get_token()
        headers = kw.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        kw.setdefault("timeout", 10)
        return self.session.get(self.sim.base_url + path, params=params, headers=headers, **kw)

    def all_pages(self, params: dict, path: str = REPORTS) -> list:
        """Follows next links; returns all elements."""
        elements, r = [], self.get(dict(params), path=path)
        while True:
            assert r.status_code == 200, r.text
            body = r.json()
            elements += body["elements"]
            nxt = [link for link in body["paging"]["links"] if link["rel"] == "next"]
            if not nxt:
                return elements
            r = self.session.get(self.sim.base_url + nxt[0]["href"],
                                 headers={"Authorization": f"Bearer {self.token}"}, timeout=10)


@pytest.fixture
def client(simulator):  # noqa: F811
    return Client(simulator)


def window_params(start_ms: int, days: int = 7, primary: str = "ACCOUNT", secondary: str | None = None, **extra):
    params = {"q": "criteria", "startedAt": str(start_ms), "timeOffset.unit": "DAY",
              "timeOffset.duration": str(days), "aggregationCriteria.primary": primary}
    if secondary:
        params["aggregationCriteria.secondary"] = secondary
    params.update({k: str(v) for k, v in extra.items()})
    return params


def recent_start(sim, days_back: int = 7) -> int:
    """Start of a UTC day `days_back` days before the watermark's day (inside the data)."""
    return (sim.watermark_ms // DAY_MS - days_back) * DAY_MS
