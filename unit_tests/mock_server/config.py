"""A valid connector config, built fluently; every test states only what it changes."""

import copy
from typing import Any, Dict, Optional

API_URL = "https://api.linkedin.com"
TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"
CLIENT_ID = "test-client-id"
CLIENT_SECRET = "test-client-secret"
REFRESH_TOKEN = "test-refresh-token"
ACCESS_TOKEN = "test-access-token"
START_DATE = "2024-01-01"


class ConfigBuilder:
    def __init__(self) -> None:
        self._config: Dict[str, Any] = {
            "credentials": {"auth_method": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
            "start_date": START_DATE,
            "end_date": START_DATE,
            "api_url": API_URL,
        }

    def with_start_date(self, start_date: str) -> "ConfigBuilder":
        self._config["start_date"] = start_date
        return self

    def with_end_date(self, end_date: str) -> "ConfigBuilder":
        self._config["end_date"] = end_date
        return self

    def with_auth(self, credentials: Dict[str, Any]) -> "ConfigBuilder":
        self._config["credentials"] = dict(credentials)
        return self

    def with_client_credentials(self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET) -> "ConfigBuilder":
        return self.with_auth({"auth_method": "client_credentials", "client_id": client_id, "client_secret": client_secret})

    def with_refresh_token(
        self, refresh_token: str = REFRESH_TOKEN, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET
    ) -> "ConfigBuilder":
        return self.with_auth(
            {"auth_method": "oauth2_refresh_token", "client_id": client_id, "client_secret": client_secret, "refresh_token": refresh_token}
        )

    def with_access_token(self, access_token: str = ACCESS_TOKEN) -> "ConfigBuilder":
        return self.with_auth({"auth_method": "access_token", "access_token": access_token})

    def with_page_size(self, page_size: Any) -> "ConfigBuilder":
        return self.with_field("page_size", page_size)

    def with_time_granularity(self, granularity: str) -> "ConfigBuilder":
        return self.with_field("time_granularity", granularity)

    def with_lookback_days(self, days: Any) -> "ConfigBuilder":
        return self.with_field("lookback_days", days)

    def with_content_source(self, content_source: str) -> "ConfigBuilder":
        return self.with_field("content_source", content_source)

    def with_locale_language(self, language: str) -> "ConfigBuilder":
        return self.with_field("locale_language", language)

    def with_referer(self, referer: str) -> "ConfigBuilder":
        return self.with_field("referer", referer)

    def with_num_workers(self, num_workers: Any) -> "ConfigBuilder":
        return self.with_field("num_workers", num_workers)

    def with_api_url(self, api_url: str) -> "ConfigBuilder":
        return self.with_field("api_url", api_url)

    def with_token_url(self, token_url: str) -> "ConfigBuilder":
        return self.with_field("token_url", token_url)

    def with_custom_report(
        self, name: str, primary: str, secondary: Optional[str] = None, **options: Any
    ) -> "ConfigBuilder":
        report: Dict[str, Any] = {"name": name, "primary_aggregation": primary, **options}
        if secondary:
            report["secondary_aggregation"] = secondary
        self._config.setdefault("custom_reports", []).append(report)
        return self

    def with_catalog_locales(self, *locales: str) -> "ConfigBuilder":
        return self.with_field("catalog_locales", list(locales))

    def with_catalog_asset_types(self, *asset_types: str) -> "ConfigBuilder":
        return self.with_field("catalog_asset_types", list(asset_types))

    def with_include_retired(self, include_retired: bool) -> "ConfigBuilder":
        return self.with_field("include_retired", include_retired)

    def with_field(self, key: str, value: Any) -> "ConfigBuilder":
        self._config[key] = value
        return self

    def without(self, key: str) -> "ConfigBuilder":
        self._config.pop(key, None)
        return self

    def build(self) -> Dict[str, Any]:
        return copy.deepcopy(self._config)
