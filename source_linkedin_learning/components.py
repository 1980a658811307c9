"""Components for what the manifest cannot say about the LinkedIn Learning reports API.

Each class subclasses one CDK component and exists for one fact about the service; its
docstring names that fact.
"""

import hashlib
import random
import threading
from dataclasses import InitVar, dataclass, field
from typing import Any, ClassVar, Dict, Iterable, List, Mapping, MutableMapping, Optional, Tuple, Union

import orjson
import requests

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.auth.oauth import DeclarativeOauth2Authenticator
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.offset_increment import OffsetIncrement
from airbyte_cdk.sources.declarative.transformations import RecordTransformation
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy, ErrorHandler
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ErrorResolution, ResponseAction
from airbyte_cdk.sources.types import Config, Record, StreamSlice, StreamState
from airbyte_cdk.utils.datetime_helpers import AirbyteDateTime, ab_datetime_now
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_learning.config import ConfigError

# Where a parsed page waits between the error handler, the extractor and the paginator, so
# that each response body is decoded once (the CDK keeps its record count on the response too).
_BODY = "_linkedin_learning_body"
_TOTAL = "_linkedin_learning_total"

URN_FIELDS = ("accountUrn", "groupUrn", "learnerUrn", "contentUrn")


def _decoded(response: requests.Response) -> Mapping[str, Any]:
    body = getattr(response, _BODY, None)
    if body is None:
        body = orjson.loads(response.content)
        setattr(response, _BODY, body)
    return body  # type: ignore[no-any-return]


@dataclass
class ReportElementExtractor(RecordExtractor):
    """The records are the `elements` of a page; `paging.total` is kept for the paginator."""

    config: Config
    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        body = _decoded(response)
        paging = body.get("paging") or {}
        total = paging.get("total")
        setattr(response, _TOTAL, total if isinstance(total, int) else None)
        return body.get("elements") or []


@dataclass
class PagingTotalIncrement(OffsetIncrement):
    """Stops at `paging.total` when the service gives it, else at a short page: every request
    counts against the daily quota, so none is made for a page that cannot hold data. The
    contract's own example has a `next` link past its total, so `next` links are not followed."""

    def next_page_token(
        self,
        response: requests.Response,
        last_page_size: int,
        last_record: Optional[Record],
        last_page_token_value: Optional[Any] = None,
        page_size_override: Optional[int] = None,
        stream_slice: Optional[StreamSlice] = None,
    ) -> Optional[Any]:
        offset = (last_page_token_value or 0) + last_page_size
        total = getattr(response, _TOTAL, None)
        if total is not None and offset >= total:
            return None
        page_size = page_size_override or self.get_page_size()
        if last_page_size == 0 or (page_size and last_page_size < page_size):
            return None
        return offset


@dataclass
class AddWindowAndUrns(RecordTransformation):
    """Adds the window (`startedAt`, `endedAt`, epoch ms, end exclusive) and lifts the entity
    URNs to the top level. The contract puts URNs in `learnerDetails.entity`; real elements
    carry `contentDetails.contentUrn`, and the live service may send `profileUrn` for a learner."""

    def transform(
        self,
        record: Dict[str, Any],
        config: Optional[Config] = None,
        stream_state: Optional[StreamState] = None,
        stream_slice: Optional[StreamSlice] = None,
    ) -> None:
        if stream_slice is not None:
            record["startedAt"] = int(stream_slice["start_time"])
            record["endedAt"] = int(stream_slice["end_time"]) + 1
        entity = (record.get("learnerDetails") or {}).get("entity") or {}
        content = record.get("contentDetails") or {}
        record["accountUrn"] = entity.get("accountUrn")
        record["groupUrn"] = entity.get("groupUrn")
        record["learnerUrn"] = entity.get("learnerUrn") or entity.get("profileUrn")
        record["contentUrn"] = entity.get("contentUrn") or content.get("contentUrn")


@dataclass
class JitteredExponentialBackoff(BackoffStrategy):
    """LinkedIn does not say whether it sends `Retry-After`: honour it when present, else wait
    exponentially with jitter so that concurrent workers do not retry in step."""

    base_seconds: float = 2.0
    cap_seconds: float = 60.0
    max_retry_after_seconds: float = 300.0

    def backoff_time(
        self,
        response_or_exception: Optional[Union[requests.Response, requests.RequestException]],
        attempt_count: int,
    ) -> Optional[float]:
        if isinstance(response_or_exception, requests.Response):
            retry_after = response_or_exception.headers.get("Retry-After")
            if retry_after is not None:
                try:
                    # The CDK adds one second to every wait; a 0 must still count as "given".
                    return min(max(float(retry_after), 0.001), self.max_retry_after_seconds)
                except ValueError:
                    pass
        wait = min(self.cap_seconds, self.base_seconds * 2 ** max(attempt_count - 1, 0))
        return wait * random.uniform(0.5, 1.0)


def _service_message(response: requests.Response) -> str:
    try:
        body = _decoded(response)
    except (orjson.JSONDecodeError, ValueError):
        return f"HTTP {response.status_code}"
    if not isinstance(body, Mapping):
        return f"HTTP {response.status_code}"
    code, message = body.get("code"), body.get("message")
    return f"{response.status_code} {code}: {message}" if code else f"{response.status_code}: {message}"


RATE_LIMIT_MESSAGE = (
    "LinkedIn Learning kept answering 429 Too Many Requests: the application's daily quota or a "
    "protective rate limit is reached. Quotas reset at midnight UTC; the next sync resumes from "
    "the last finished window. Lower 'num_workers', raise 'page_size' or sync fewer streams to "
    "use fewer requests a day."
)


@dataclass
class LinkedInLearningErrorHandler(ErrorHandler):
    """What each answer of the reports API means and what the user must do about it."""

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    max_retries: Optional[int] = 6  # type: ignore[assignment]
    max_time: Optional[int] = 600  # type: ignore[assignment]
    backoff_strategies: List[BackoffStrategy] = field(default_factory=lambda: [JitteredExponentialBackoff()])
    _refreshed_requests: "Dict[int, bool]" = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def interpret_response(
        self, response_or_exception: Optional[Union[requests.Response, Exception]] = None
    ) -> ErrorResolution:
        if not isinstance(response_or_exception, requests.Response):
            return ErrorResolution(
                ResponseAction.RETRY,
                FailureType.transient_error,
                f"Could not reach LinkedIn Learning ({type(response_or_exception).__name__}); retrying.",
            )
        response = response_or_exception
        status = response.status_code
        if status == 200:
            try:
                _decoded(response)
            except (orjson.JSONDecodeError, ValueError):
                return ErrorResolution(
                    ResponseAction.RETRY, FailureType.transient_error, "LinkedIn Learning sent an incomplete page; retrying."
                )
            return ErrorResolution(ResponseAction.SUCCESS)
        message = _service_message(response)
        if status == 401:
            return self._unauthorized(response, message)
        if status == 403:
            return ErrorResolution(
                ResponseAction.FAIL,
                FailureType.config_error,
                f"LinkedIn Learning refused access ({message}). This account has no access to the "
                "Learning reports API: it needs a LinkedIn Learning site licence or Partner Program "
                "membership, and the API application must be allowed to read reports. Ask a "
                "LinkedIn Learning admin (Admin > Settings > Access content and reports via API).",
            )
        if status == 400:
            return ErrorResolution(
                ResponseAction.FAIL,
                FailureType.config_error,
                f"LinkedIn Learning rejected the report request ({message}). Check the report "
                "settings: aggregation, content_source, asset_type, locale_language and page_size "
                "(the API contract allows at most 100 rows a page).",
            )
        if status == 404:
            return ErrorResolution(
                ResponseAction.FAIL,
                FailureType.config_error,
                f"No reports API at this address ({message}): check 'api_url' (default https://api.linkedin.com).",
            )
        if status == 429:
            return ErrorResolution(ResponseAction.RATE_LIMITED, FailureType.transient_error, RATE_LIMIT_MESSAGE)
        if status >= 500:
            return ErrorResolution(
                ResponseAction.RETRY,
                FailureType.transient_error,
                f"LinkedIn Learning answered {message}; retrying. If it persists with time_granularity "
                "MONTH, use WEEK or DAY: the live service is reported to fail on windows over 14 days.",
            )
        return ErrorResolution(ResponseAction.FAIL, FailureType.system_error, f"LinkedIn Learning answered {message}.")

    def _unauthorized(self, response: requests.Response, message: str) -> ErrorResolution:
        credentials = self.config.get("credentials") or {}
        if credentials.get("auth_method") == "access_token":
            return ErrorResolution(
                ResponseAction.FAIL,
                FailureType.config_error,
                f"LinkedIn Learning rejected 'credentials.access_token' ({message}): it has expired or "
                "was revoked. Paste a new token, or use client credentials so that the connector "
                "renews tokens itself.",
            )
        # The first 401 of a request renews the token (it may have expired mid-sync); a second
        # one means LinkedIn rejects even a fresh token for these credentials.
        key = id(response.request)
        with self._lock:
            already_refreshed = self._refreshed_requests.pop(key, False)
            if not already_refreshed:
                self._refreshed_requests[key] = True
        if already_refreshed:
            return ErrorResolution(
                ResponseAction.FAIL,
                FailureType.config_error,
                f"LinkedIn Learning rejected a freshly issued access token ({message}). Check that "
                "'credentials.client_id' and 'credentials.client_secret' belong to a LinkedIn "
                "Learning API application that may read activity reports.",
            )
        return ErrorResolution(ResponseAction.REFRESH_TOKEN_THEN_RETRY, FailureType.transient_error, message)


@dataclass
class _Token:
    value: str
    expires_at: AirbyteDateTime


@dataclass
class LinkedInLearningOAuthAuthenticator(DeclarativeOauth2Authenticator):
    """LinkedIn issues tokens per application: one token serves every stream and is renewed
    once per lifetime, a margin before it expires, instead of once per stream."""

    expiry_margin_seconds: int = 60
    _tokens: ClassVar[Dict[Tuple[str, ...], _Token]] = {}

    def _token_key(self) -> Tuple[str, ...]:
        secret = f"{self.get_client_secret()}\0{self.get_refresh_token() or ''}".encode()
        return (
            str(self.get_token_refresh_endpoint()),
            str(self.get_client_id()),
            str(self.get_grant_type()),
            hashlib.sha256(secret).hexdigest(),
        )

    def _is_fresh(self, token: Optional[_Token]) -> bool:
        return token is not None and ab_datetime_now().timestamp() < token.expires_at.timestamp() - self.expiry_margin_seconds

    def token_has_expired(self) -> bool:
        return not self._is_fresh(self._tokens.get(self._token_key()))

    def get_access_token(self) -> str:
        key = self._token_key()
        token = self._tokens.get(key)
        if not self._is_fresh(token):
            with self._token_refresh_lock:
                token = self._tokens.get(key)
                if not self._is_fresh(token):
                    token = self._issue(key)
        assert token is not None
        return token.value

    def refresh_and_set_access_token(self) -> None:
        """Called by the CDK after a 401: renew unless another worker already did."""
        key = self._token_key()
        with self._token_refresh_lock:
            token = self._tokens.get(key)
            if token is None or token.value == self._current_access_token_or_none():
                self._issue(key)
            else:
                self.access_token = token.value

    def _issue(self, key: Tuple[str, ...]) -> _Token:
        value, expires_at = self.refresh_access_token()
        token = _Token(value, expires_at)
        self._tokens[key] = token
        self.access_token = value
        self.set_token_expiry_date(expires_at)
        return token

    def refresh_access_token(self) -> Tuple[str, AirbyteDateTime]:
        try:
            return super().refresh_access_token()
        except requests.HTTPError as error:
            status = error.response.status_code if error.response is not None else "?"
            fields = "'credentials.client_id' and 'credentials.client_secret'"
            if str(self.get_grant_type()) == "refresh_token":
                fields += " and 'credentials.refresh_token'"
            raise ConfigError(
                f"LinkedIn refused to issue an access token (HTTP {status} from 'token_url'): check {fields}. "
                "A LinkedIn Learning admin finds them under Admin > Settings > Access content and reports via API."
            ) from None
        except AirbyteTracedException as error:
            if error.failure_type == FailureType.transient_error:
                raise AirbyteTracedException(
                    message=f"Could not reach the token endpoint at 'token_url' ({self.get_token_refresh_endpoint()}): "
                    "check the URL and the network, then retry.",
                    internal_message=error.internal_message,
                    failure_type=FailureType.transient_error,
                ) from None
            raise
