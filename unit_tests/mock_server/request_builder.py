"""The requests the connector is expected to send, as `HttpRequest`s that match exactly."""

import datetime
from typing import Dict, Optional, Union
from urllib.parse import urlencode

from airbyte_cdk.test.mock_http import HttpRequest

from .config import ACCESS_TOKEN, API_URL, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TOKEN_URL

REPORTS_PATH = "/v2/learningActivityReports"

# aggregationCriteria.primary / .secondary of each fixed stream
STREAM_AGGREGATIONS = {
    "account_activity": ("ACCOUNT", None),
    "group_activity": ("GROUP", None),
    "individual_activity": ("INDIVIDUAL", None),
    "content_activity": ("CONTENT", None),
    "individual_content_activity": ("INDIVIDUAL", "CONTENT"),
}


def epoch_ms(day: Union[str, datetime.date]) -> int:
    """Epoch milliseconds of the start (00:00 UTC) of a day given as YYYY-MM-DD or a date."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc).timestamp() * 1000)


def token_request(
    grant_type: str = "client_credentials",
    client_id: str = CLIENT_ID,
    client_secret: str = CLIENT_SECRET,
    refresh_token: Optional[str] = None,
    token_url: str = TOKEN_URL,
) -> HttpRequest:
    """The token POST: a form body (grant_type, client_id, client_secret[, refresh_token])."""
    form = {"grant_type": grant_type, "client_id": client_id, "client_secret": client_secret}
    if grant_type == "refresh_token":
        form["refresh_token"] = refresh_token or REFRESH_TOKEN
    return HttpRequest(
        url=token_url,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=urlencode(form),
    )


class ReportRequestBuilder:
    """GET /v2/learningActivityReports with the exact query parameters of one page of one window."""

    def __init__(self, primary: str, secondary: Optional[str] = None, api_url: str = API_URL) -> None:
        self._api_url = api_url
        self._params: Dict[str, str] = {
            "q": "criteria",
            "aggregationCriteria.primary": primary,
            "timeOffset.unit": "DAY",
            "timeOffset.duration": "1",
            "contentSource": "ALL_SOURCES",
            "count": "100",
        }
        if secondary:
            self._params["aggregationCriteria.secondary"] = secondary
        self._headers: Dict[str, str] = {"Authorization": f"Bearer {ACCESS_TOKEN}"}

    @classmethod
    def for_stream(cls, stream_name: str, api_url: str = API_URL) -> "ReportRequestBuilder":
        primary, secondary = STREAM_AGGREGATIONS[stream_name]
        return cls(primary, secondary, api_url)

    def with_started_at(self, day: Union[str, datetime.date, int]) -> "ReportRequestBuilder":
        self._params["startedAt"] = str(day if isinstance(day, int) else epoch_ms(day))
        return self

    def with_time_unit(self, unit: str) -> "ReportRequestBuilder":
        self._params["timeOffset.unit"] = unit
        return self

    def with_content_source(self, content_source: str) -> "ReportRequestBuilder":
        self._params["contentSource"] = content_source
        return self

    def with_count(self, count: int) -> "ReportRequestBuilder":
        self._params["count"] = str(count)
        return self

    def with_start(self, start: int) -> "ReportRequestBuilder":
        self._params["start"] = str(start)
        return self

    def with_locale_language(self, language: str) -> "ReportRequestBuilder":
        self._params["locale.language"] = language
        return self

    def with_asset_type(self, asset_type: str) -> "ReportRequestBuilder":
        self._params["assetType"] = asset_type
        return self

    def with_access_token(self, token: str) -> "ReportRequestBuilder":
        self._headers["Authorization"] = f"Bearer {token}"
        return self

    def with_referer(self, referer: str) -> "ReportRequestBuilder":
        self._headers["referer"] = referer
        return self

    def build(self) -> HttpRequest:
        return HttpRequest(url=f"{self._api_url}{REPORTS_PATH}", query_params=dict(self._params), headers=dict(self._headers))


ASSETS_PATH = "/v2/learningAssets"
CLASSIFICATIONS_PATH = "/v2/learningClassifications"


class CatalogRequestBuilder:
    """GET /v2/learningAssets or /v2/learningClassifications with the `localeAndType` finder: one
    page of one locale and type, 100 rows a page whatever the reports' page_size."""

    def __init__(self, path: str, type_parameter: str, kind: str, locale: str, api_url: str = API_URL) -> None:
        language, country = locale.split("_")
        self._url = f"{api_url}{path}"
        self._params: Dict[str, str] = {
            "q": "localeAndType",
            type_parameter: kind,
            "sourceLocale.language": language,
            "sourceLocale.country": country,
            "count": "100",
        }
        self._headers: Dict[str, str] = {"Authorization": f"Bearer {ACCESS_TOKEN}"}

    @classmethod
    def assets(cls, asset_type: str = "COURSE", locale: str = "en_US", include_retired: bool = True) -> "CatalogRequestBuilder":
        builder = cls(ASSETS_PATH, "assetType", asset_type, locale)
        builder._params.update({"expandDepth": "1", "includeRetired": "true" if include_retired else "false"})
        return builder

    @classmethod
    def classifications(cls, classification_type: str = "LIBRARY", locale: str = "en_US") -> "CatalogRequestBuilder":
        return cls(CLASSIFICATIONS_PATH, "type", classification_type, locale)

    def with_start(self, start: int) -> "CatalogRequestBuilder":
        self._params["start"] = str(start)
        return self

    def build(self) -> HttpRequest:
        return HttpRequest(url=self._url, query_params=dict(self._params), headers=dict(self._headers))
