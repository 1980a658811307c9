"""The connector's configuration: checked field by field before any request is made.

The CDK validates a config against the spec's JSON schema, but its messages do not name the
field, and it cannot say "start_date is after end_date". Every problem found here ends in one
Airbyte config error whose message names the field and what to do.
"""

import datetime
import ipaddress
import re
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Tuple
from urllib.parse import urlsplit

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

AUTH_METHODS = ("client_credentials", "oauth2_refresh_token", "access_token")
AUTH_FIELDS = {
    "client_credentials": ("client_id", "client_secret"),
    "oauth2_refresh_token": ("client_id", "client_secret", "refresh_token"),
    "access_token": ("access_token",),
}
GRANULARITIES = ("DAY", "WEEK", "MONTH")
# LinkedIn's learningActivityReports reference (REAL_SERVICE_NOTES.md); ORGANIZATION is content
# an admin created. The contract's CUSTOM_CONTENT is not in that reference: it is accepted for
# existing configs and sent under its live name.
CONTENT_SOURCES = ("ALL_SOURCES", "LINKEDIN_LEARNING", "ORGANIZATION", "THIRD_PARTY")
CONTENT_SOURCE_ALIASES = {"CUSTOM_CONTENT": "ORGANIZATION"}
AGGREGATIONS = ("ACCOUNT", "GROUP", "INDIVIDUAL", "CONTENT")
ASSET_TYPES = (
    "VIDEO",
    "ARTICLE",
    "AUDIO",
    "BOOK",
    "LEARNING_COLLECTION",
    "COURSE",
    "DOCUMENT",
    "EVENT",
    "LEARNING_PATH",
)
# The learningAssets types of the catalog's localeAndType finder (LEARNING_CATALOG_NOTES.md §1).
# VIDEO is left out by default: every course's videos are assets too, a catalog many times larger.
CATALOG_ASSET_TYPES = ("COURSE", "LEARNING_PATH", "VIDEO")
DEFAULT_CATALOG_ASSET_TYPES = ("COURSE", "LEARNING_PATH")
DEFAULT_CATALOG_LOCALES = ("en_US",)
DEFAULT_API_URL = "https://api.linkedin.com"
DEFAULT_TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"
PAGE_SIZE_RANGE = (1, 1000)
NUM_WORKERS_RANGE = (1, 16)
LOOKBACK_RANGE = (0, 30)
# The CDK masks every credential wherever it appears in the output: a value of a character or
# two would mask those letters in every message. Real client IDs, secrets and tokens are longer.
MIN_CREDENTIAL_LENGTH = 8
DEFAULT_NUM_WORKERS = 4
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_LOCALE = re.compile(r"^[a-z]{2}_[A-Z]{2}$")


class ConfigError(AirbyteTracedException):
    """A problem with the configuration that the user must fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, internal_message=message, failure_type=FailureType.config_error)


@dataclass(frozen=True)
class CustomReport:
    name: str
    primary: str
    secondary: Optional[str]
    content_source: str
    asset_type: Optional[str]
    locale_language: Optional[str]
    time_granularity: str

    @property
    def stream_name(self) -> str:
        return f"custom_{self.name}"


@dataclass(frozen=True)
class Settings:
    """A validated config, with the defaults filled in."""

    auth_method: str
    start_date: datetime.date
    end_date: datetime.date
    end_date_given: bool
    time_granularity: str
    lookback_days: int
    content_source: str
    locale_language: Optional[str]
    page_size: int
    num_workers: int
    api_url: str
    token_url: str
    custom_reports: Tuple[CustomReport, ...]
    catalog_locales: Tuple[str, ...]
    catalog_asset_types: Tuple[str, ...]
    include_retired: bool


def today_utc() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def _fail(message: str) -> None:
    raise ConfigError(message)


def _date(config: Mapping[str, Any], key: str) -> Optional[datetime.date]:
    value = config.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        _fail(f"Config field '{key}' must be a date written YYYY-MM-DD (UTC), for example 2024-01-31; got {value!r}.")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        _fail(f"Config field '{key}' is not a real calendar date: {value!r}. Use YYYY-MM-DD, for example 2024-01-31.")
    raise AssertionError("unreachable")


def _integer(config: Mapping[str, Any], key: str, default: int, bounds: Tuple[int, int]) -> int:
    value = config.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(f"Config field '{key}' must be a whole number from {bounds[0]} to {bounds[1]}; got {value!r}.")
    if not bounds[0] <= value <= bounds[1]:
        _fail(f"Config field '{key}' must be from {bounds[0]} to {bounds[1]}; got {value}.")
    return value


def _choice(config: Mapping[str, Any], key: str, choices: Tuple[str, ...], default: Optional[str], where: str = "") -> Optional[str]:
    value = config.get(key, default)
    if value is None:
        return default
    if value not in choices:
        _fail(f"Config field '{where}{key}' must be one of {', '.join(choices)}; got {value!r}.")
    return value


def _language(config: Mapping[str, Any], key: str, where: str = "") -> Optional[str]:
    value = config.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _LANGUAGE.match(value):
        _fail(f"Config field '{where}{key}' must be a lower-case ISO 639 language code such as 'en' or 'de'; got {value!r}.")
    return value


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url(config: Mapping[str, Any], key: str, default: str) -> str:
    value = config.get(key) or default
    if not isinstance(value, str):
        _fail(f"Config field '{key}' must be a URL such as {default}; got {value!r}.")
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        _fail(f"Config field '{key}' must be a full https URL such as {default}; got {value!r}.")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        _fail(
            f"Config field '{key}' must use https (credentials would travel in clear text); "
            f"plain http is only allowed to a loopback host such as 127.0.0.1 or localhost. Got {value!r}."
        )
    return value.rstrip("/")


def _credentials(config: Mapping[str, Any]) -> str:
    credentials = config.get("credentials")
    if not isinstance(credentials, Mapping):
        _fail("Config field 'credentials' is required: choose an authentication method and fill in its fields.")
    method = credentials.get("auth_method")
    if method not in AUTH_METHODS:
        _fail(f"Config field 'credentials.auth_method' must be one of {', '.join(AUTH_METHODS)}; got {method!r}.")
    for field_name in AUTH_FIELDS[method]:
        value = credentials.get(field_name)
        if not isinstance(value, str) or not value.strip():
            _fail(f"Config field 'credentials.{field_name}' is required for auth_method '{method}' and must be a non-empty string.")
        if len(value.strip()) < MIN_CREDENTIAL_LENGTH:
            _fail(
                f"Config field 'credentials.{field_name}' is too short to be a real credential (fewer than "
                f"{MIN_CREDENTIAL_LENGTH} characters): paste the whole value as LinkedIn issued it."
            )
    return method


def _content_source(config: Mapping[str, Any], default: str, where: str = "") -> str:
    """The value sent as `contentSource`: one of LinkedIn's, with the contract's older name mapped."""
    value = config.get("content_source")
    if isinstance(value, str) and value in CONTENT_SOURCE_ALIASES:
        return CONTENT_SOURCE_ALIASES[value]
    return _choice(config, "content_source", CONTENT_SOURCES, default, where)  # type: ignore[return-value]


def _custom_reports(config: Mapping[str, Any], fixed_stream_names: Tuple[str, ...], defaults: Mapping[str, Any]) -> Tuple[CustomReport, ...]:
    reports = config.get("custom_reports") or []
    if not isinstance(reports, list):
        _fail("Config field 'custom_reports' must be a list of report definitions.")
    seen: set = set()
    parsed: List[CustomReport] = []
    for index, report in enumerate(reports):
        label = f"custom_reports[{index}]"
        if not isinstance(report, Mapping):
            _fail(f"Config field '{label}' must be an object with at least 'name' and 'primary_aggregation'.")
        name = report.get("name")
        if isinstance(name, str) and name:
            label = f"custom_reports[{index}] ({name!r})"
        where = f"{label}."
        if not isinstance(name, str) or not _SNAKE_CASE.match(name):
            _fail(f"Config field '{where}name' must be snake_case (lower-case letters, digits and single underscores, starting with a letter); got {name!r}.")
        if name in seen:
            _fail(f"Config field '{where}name' repeats the name of another custom report; each name must be unique.")
        if name in fixed_stream_names:
            _fail(f"Config field '{where}name' repeats a built-in stream's name; choose another name.")
        seen.add(name)
        primary = report.get("primary_aggregation")
        if primary not in AGGREGATIONS:
            _fail(f"Config field '{where}primary_aggregation' must be one of {', '.join(AGGREGATIONS)}; got {primary!r}.")
        secondary = _choice(report, "secondary_aggregation", AGGREGATIONS, None, where)
        if secondary == primary:
            _fail(f"Config field '{where}secondary_aggregation' must differ from primary_aggregation ({primary}).")
        parsed.append(
            CustomReport(
                name=name,
                primary=primary,
                secondary=secondary,
                content_source=_content_source(report, defaults["content_source"], where),
                asset_type=_choice(report, "asset_type", ASSET_TYPES, None, where),
                locale_language=_language(report, "locale_language", where) or defaults["locale_language"],
                time_granularity=_choice(report, "time_granularity", GRANULARITIES, defaults["time_granularity"], where),  # type: ignore[arg-type]
            )
        )
    return tuple(parsed)


def _non_empty_list(config: Mapping[str, Any], key: str, example: str) -> Optional[List[Any]]:
    values = config.get(key)
    if values is not None and (not isinstance(values, list) or not values):
        _fail(f"Config field '{key}' must be a non-empty list such as {example}; got {values!r}.")
    return values


def _catalog_locales(config: Mapping[str, Any]) -> Tuple[str, ...]:
    values = _non_empty_list(config, "catalog_locales", '["en_US", "de_DE"]')
    if values is None:
        return DEFAULT_CATALOG_LOCALES
    for index, value in enumerate(values):
        if not isinstance(value, str) or not _LOCALE.match(value):
            _fail(
                f"Config field 'catalog_locales[{index}]' must be a locale written language_COUNTRY, such as 'en_US' "
                f"or 'de_DE'; got {value!r}."
            )
    return tuple(dict.fromkeys(values))  # a locale listed twice is read once


def _catalog_asset_types(config: Mapping[str, Any]) -> Tuple[str, ...]:
    values = _non_empty_list(config, "catalog_asset_types", '["COURSE", "LEARNING_PATH"]')
    if values is None:
        return DEFAULT_CATALOG_ASSET_TYPES
    for index, value in enumerate(values):
        if value not in CATALOG_ASSET_TYPES:
            _fail(f"Config field 'catalog_asset_types[{index}]' must be one of {', '.join(CATALOG_ASSET_TYPES)}; got {value!r}.")
    return tuple(dict.fromkeys(values))


def _boolean(config: Mapping[str, Any], key: str, default: bool) -> bool:
    value = config.get(key, default)
    if not isinstance(value, bool):
        _fail(f"Config field '{key}' must be true or false; got {value!r}.")
    return value


def _no_nulls(config: Mapping[str, Any], where: str = "") -> None:
    """An explicit null is refused by the spec's schema; say which field holds it."""
    for key, value in config.items():
        if value is None:
            _fail(f"Config field '{where}{key}' is null: give a value, or leave the field out if it is optional.")


def parse_config(config: Mapping[str, Any], fixed_stream_names: Tuple[str, ...] = ()) -> Settings:
    """Checks every field; raises ConfigError naming the first field that is wrong."""
    if not isinstance(config, Mapping):
        _fail("The config must be a JSON object.")
    _no_nulls(config)
    if isinstance(config.get("credentials"), Mapping):
        _no_nulls(config["credentials"], "credentials.")
    for index, report in enumerate(config.get("custom_reports") or []):
        if isinstance(report, Mapping):
            _no_nulls(report, f"custom_reports[{index}].")
    auth_method = _credentials(config)
    start_date = _date(config, "start_date")
    if start_date is None:
        _fail("Config field 'start_date' is required: the first day to sync, YYYY-MM-DD (UTC).")
    assert start_date is not None
    today = today_utc()
    if start_date > today:
        _fail(f"Config field 'start_date' ({start_date}) is in the future; it must be today ({today}) or earlier.")
    end_date = _date(config, "end_date")
    if end_date is not None and end_date < start_date:
        _fail(f"Config field 'start_date' ({start_date}) is after 'end_date' ({end_date}); swap them or clear end_date.")
    referer = config.get("referer")
    if referer is not None and not isinstance(referer, str):
        _fail(f"Config field 'referer' must be a string such as 'urn:li:partner:123'; got {referer!r}.")
    time_granularity = _choice(config, "time_granularity", GRANULARITIES, "DAY")
    content_source = _content_source(config, "ALL_SOURCES")
    locale_language = _language(config, "locale_language")
    defaults = {"time_granularity": time_granularity, "content_source": content_source, "locale_language": locale_language}
    return Settings(
        auth_method=auth_method,
        start_date=start_date,
        end_date=min(end_date, today) if end_date else today,
        end_date_given=end_date is not None,
        time_granularity=time_granularity,  # type: ignore[arg-type]
        lookback_days=_integer(config, "lookback_days", 1, LOOKBACK_RANGE),
        content_source=content_source,
        locale_language=locale_language,
        page_size=_integer(config, "page_size", 100, PAGE_SIZE_RANGE),
        num_workers=_integer(config, "num_workers", DEFAULT_NUM_WORKERS, NUM_WORKERS_RANGE),
        api_url=_url(config, "api_url", DEFAULT_API_URL),
        token_url=_url(config, "token_url", DEFAULT_TOKEN_URL),
        custom_reports=_custom_reports(config, fixed_stream_names, defaults),
        catalog_locales=_catalog_locales(config),
        catalog_asset_types=_catalog_asset_types(config),
        include_retired=_boolean(config, "include_retired", True),
    )
