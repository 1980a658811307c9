"""Pages of the reports API and its error bodies, shaped like the contract's examples."""

import json
from typing import Any, Dict, List, Optional

from airbyte_cdk.test.mock_http import HttpResponse

from .config import ACCESS_TOKEN

LATEST_DATA_AT = 1704326400000  # 2024-01-04T00:00:00Z, later than the windows asked for, as on the live service
ACCOUNT_URN = "urn:li:enterpriseAccount:999"
GROUP_URN = "urn:li:learnerGroup:456"
LEARNER_URN = "urn:li:learner:789"
PROFILE_URN = "urn:li:person:abc"
CONTENT_URN = "urn:li:learningCourse:123"


def activity(engagement_type: str = "VIEWS", value: int = 12, qualifier: str = "TOTAL", asset_type: Optional[str] = "COURSE") -> Dict[str, Any]:
    item: Dict[str, Any] = {
        "engagementType": engagement_type,
        "engagementValue": value,
        "engagementMetricQualifier": qualifier,
        "firstEngagedAt": 1704067200000,
        "lastEngagedAt": 1704070800000,
    }
    if asset_type:
        item["assetType"] = asset_type
    return item


def element(
    latest_data_at: Optional[int] = LATEST_DATA_AT,
    entity: Optional[Dict[str, Any]] = None,
    content_urn: Optional[str] = None,
    activities: Optional[List[Dict[str, Any]]] = None,
    **learner_details: Any,
) -> Dict[str, Any]:
    """One element: `entity` goes to learnerDetails.entity, `content_urn` to contentDetails."""
    item: Dict[str, Any] = {"activities": activities if activities is not None else [activity("LOGINS", 88, "UNIQUE", None), activity()]}
    if latest_data_at is not None:
        item["latestDataAt"] = latest_data_at
    if entity is not None or learner_details:
        item["learnerDetails"] = {**learner_details, **({"entity": entity} if entity is not None else {})}
    if content_urn is not None:
        item["contentDetails"] = {
            "name": "Python Essential Training",
            "contentProviderName": "LinkedIn",
            "contentUrn": content_urn,
            "locale": {"language": "en", "country": "US"},
        }
    return item


def account_element(**kwargs: Any) -> Dict[str, Any]:
    return element(entity={"accountUrn": ACCOUNT_URN}, **kwargs)


class ReportResponseBuilder:
    def __init__(self) -> None:
        self._elements: List[Dict[str, Any]] = []
        self._paging: Optional[Dict[str, Any]] = {"start": 0, "count": 100}
        self._total: Optional[int] = None
        self._total_set = False

    def with_element(self, item: Dict[str, Any]) -> "ReportResponseBuilder":
        self._elements.append(item)
        return self

    def with_elements(self, items: List[Dict[str, Any]]) -> "ReportResponseBuilder":
        self._elements.extend(items)
        return self

    def with_paging(self, start: int = 0, count: int = 100) -> "ReportResponseBuilder":
        self._paging = {"start": start, "count": count}
        return self

    def with_total(self, total: Optional[int]) -> "ReportResponseBuilder":
        """paging.total; None leaves it out."""
        self._total, self._total_set = total, True
        return self

    def without_paging(self) -> "ReportResponseBuilder":
        self._paging = None
        return self

    def build(self) -> HttpResponse:
        body: Dict[str, Any] = {"elements": self._elements}
        if self._paging is not None:
            paging = dict(self._paging)
            total = self._total if self._total_set else len(self._elements)
            if total is not None:
                paging["total"] = total
            body["paging"] = paging
        return HttpResponse(json.dumps(body), 200)


def empty_page() -> HttpResponse:
    return ReportResponseBuilder().with_total(0).build()


def error_response(status: int, message: str, code: str) -> HttpResponse:
    """The contract's ErrorResponse: {status, message, code}."""
    return HttpResponse(json.dumps({"status": status, "message": message, "code": code}), status)


def token_response(access_token: str = ACCESS_TOKEN, expires_in: int = 7775999) -> HttpResponse:
    """The token endpoint's answer as documented: access_token and expires_in only."""
    return HttpResponse(json.dumps({"access_token": access_token, "expires_in": expires_in}), 200)


COURSE_URN = "urn:li:lyndaCourse:3104552"
PUBLISHED_AT = 1688169600000  # 2023-07-01
UPDATED_AT = 1712016000000  # 2024-04-02


def localized(value: str, locale: str = "en_US") -> Dict[str, Any]:
    """A `{value, locale}` string of the catalog."""
    language, country = locale.split("_")
    return {"value": value, "locale": {"language": language, "country": country}}


def classification(urn: str, kind: str, name: str, locale: str = "en_US") -> Dict[str, Any]:
    """A learningClassifications element (also an asset's `associatedClassification` and `path` items)."""
    return {"urn": urn, "type": kind, "name": localized(name, locale), "owner": {"urn": "urn:li:organization:1337", "name": localized("LinkedIn", locale)}}


TECHNOLOGY = classification("urn:li:lyndaCategory:7164", "LIBRARY", "Technology")
DATA_SCIENCE = classification("urn:li:lyndaCategory:8120", "SUBJECT", "Data Science")
DATA_ENGINEERING = classification("urn:li:lyndaCategory:9310", "TOPIC", "Data Engineering")


def asset(
    urn: str = COURSE_URN,
    kind: str = "COURSE",
    title: str = "Data Pipelines with Apache Airflow",
    locale: str = "en_US",
    last_updated_at: int = UPDATED_AT,
    retired_at: Optional[int] = None,
    time_to_complete: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """A learningAssets element shaped like LEARNING_CATALOG_NOTES.md §2's example."""
    details: Dict[str, Any] = {
        "level": "INTERMEDIATE",
        "availability": "AVAILABLE" if retired_at is None else "RETIRED",
        "publishedAt": PUBLISHED_AT,
        "lastUpdatedAt": last_updated_at,
        "timeToComplete": time_to_complete or {"duration": 6120, "unit": "SECOND"},
        "availableLocales": [localized(title, locale)["locale"]],
        "classifications": [{"associatedClassification": DATA_ENGINEERING, "path": [DATA_SCIENCE, TECHNOLOGY]}],
        "relationships": [],
    }
    if retired_at is not None:
        details["retiredAt"] = retired_at
    return {"urn": urn, "type": kind, "title": localized(title, locale), "details": details, "contents": []}


class CatalogPageBuilder(ReportResponseBuilder):
    """A page of the catalog: the reports' page shape (`elements`, `paging`) plus `metadata`."""

    def build(self) -> HttpResponse:
        response = super().build()
        body = json.loads(response.body)
        body["metadata"] = {}
        return HttpResponse(json.dumps(body), 200)
