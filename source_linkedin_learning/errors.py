"""What each answer of the LinkedIn Learning reports API means, and how long to wait."""

import random
from dataclasses import InitVar, dataclass, field
from typing import Any, List, Mapping, Optional, Union

import requests

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy, ErrorHandler
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ErrorResolution, ResponseAction
from airbyte_cdk.sources.types import Config

from source_linkedin_learning.auth import LinkedInLearningOAuthAuthenticator
from source_linkedin_learning.components import decoded, decoded_page


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
            if response_or_exception.status_code == 401:
                return 0.001  # not a sign of load: the retry carries a renewed token
            retry_after = response_or_exception.headers.get("Retry-After")
            if retry_after is not None:
                try:
                    # The CDK adds one second to every wait; a 0 must still count as "given".
                    return min(max(float(retry_after), 0.001), self.max_retry_after_seconds)
                except ValueError:
                    pass
        wait = min(self.cap_seconds, self.base_seconds * 2 ** max(attempt_count - 1, 0))
        return wait * random.uniform(0.5, 1.0)


def arrived(response: requests.Response) -> str:
    """What a response holds, for a message about an answer that is not what the API sends."""
    content = response.content or b""
    return (
        f"HTTP {response.status_code}, Content-Type {response.headers.get('Content-Type')!r}, "
        f"{len(content)} bytes" + (f", starting {content[:80]!r}" if content else "")
    )


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(type(value), type(value).__name__)


def page_shape_problem(body: Any) -> Optional[str]:
    """What makes a decoded 200 body something other than a page of the contract's shape
    (`elements`, a list of objects, and `paging`, an object); None for a page."""
    if not isinstance(body, Mapping):
        return f"the body is {_kind(body)}, not an object with 'elements'"
    elements = body.get("elements")
    if not isinstance(elements, list):
        missing = "elements" not in body
        return "it has no 'elements'" if missing else f"'elements' is {_kind(elements)}, not a list"
    for index, element in enumerate(elements):
        if not isinstance(element, Mapping):
            return f"'elements[{index}]' is {_kind(element)}, not an object"
    paging = body.get("paging")
    if paging is not None and not isinstance(paging, Mapping):
        return f"'paging' is {_kind(paging)}, not an object"
    return None


def _service_message(response: requests.Response) -> str:
    try:
        body = decoded(response)
    except ValueError:
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


# The start of the message for a 403 from the catalog; `check` tells by it that the credentials
# lack content access, as opposed to a catalog that failed otherwise.
CATALOG_FORBIDDEN = "LinkedIn Learning refused access to the course catalog"


@dataclass
class LinkedInLearningErrorHandler(ErrorHandler):
    """What each answer of the reports API, or of the catalog (`api: catalog` in the manifest),
    means and what the user must do about it. An API application holds two keys, Report and
    Content (LEARNING_CATALOG_NOTES.md §4): a 403 says which one is missing."""

    config: Config
    parameters: InitVar[Mapping[str, Any]]
    api: str = "reports"
    max_retries: Optional[int] = 6  # type: ignore[assignment]
    max_time: Optional[int] = 600  # type: ignore[assignment]
    backoff_strategies: List[BackoffStrategy] = field(default_factory=lambda: [JitteredExponentialBackoff()])

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
                body = decoded_page(response)
            except ValueError:
                return ErrorResolution(
                    ResponseAction.RETRY,
                    FailureType.transient_error,
                    f"LinkedIn Learning sent a body that is not a page ({arrived(response)}); retrying.",
                )
            problem = page_shape_problem(body)
            if problem is not None:
                return ErrorResolution(
                    ResponseAction.FAIL,
                    FailureType.system_error,
                    f"LinkedIn Learning answered 200 with a body that is not a page of the {self.api} API: {problem}. "
                    "No record of it was written and the state did not move past it; if it persists, report it "
                    "to LinkedIn with this message.",
                )
            return ErrorResolution(ResponseAction.SUCCESS)
        message = _service_message(response)
        if status == 401:
            return self._unauthorized(response, message)
        if self.api == "catalog" and status in (400, 403, 404):
            return self._catalog_refusal(status, message)
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
        if status >= 500 and self.api == "catalog":
            return ErrorResolution(ResponseAction.RETRY, FailureType.transient_error, f"LinkedIn Learning's catalog answered {message}; retrying.")
        if status >= 500:
            return ErrorResolution(
                ResponseAction.RETRY,
                FailureType.transient_error,
                f"LinkedIn Learning answered {message}. If this persists with time_granularity MONTH, "
                "use WEEK or DAY: the live service is reported to fail on windows over 14 days.",
            )
        return ErrorResolution(ResponseAction.FAIL, FailureType.system_error, f"LinkedIn Learning answered {message}.")

    @staticmethod
    def _catalog_refusal(status: int, message: str) -> ErrorResolution:
        if status == 403:
            text = (
                f"{CATALOG_FORBIDDEN} ({message}): the LinkedIn Learning API application has no \"Content\" access. "
                "A LinkedIn Learning admin can give it under Admin > Settings > Access content and reports via API "
                "(the application's Content key). To sync the reports without the catalog, deselect the streams "
                "learning_assets and learning_classifications."
            )
        elif status == 400:
            text = (
                f"LinkedIn Learning rejected the catalog request ({message}). Check 'catalog_locales' (locales "
                "LinkedIn Learning publishes in, such as en_US or de_DE) and 'catalog_asset_types'."
            )
        else:
            text = f"No catalog API at this address ({message}): check 'api_url' (default https://api.linkedin.com)."
        return ErrorResolution(ResponseAction.FAIL, FailureType.config_error, text)

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
        # A 401 for a token that ran out in flight (expired, near expiry or replaced) is retried
        # with the current token: the CDK's refresh-then-retry fails a request rejected twice, and
        # with several workers a retry can meet a token another worker renewed a lifetime ago.
        # A 401 for a current token renews it; one for the token that renewal issued moments ago
        # means LinkedIn rejects these credentials.
        token = (response.request.headers.get("Authorization") or "").removeprefix("Bearer ")
        if LinkedInLearningOAuthAuthenticator.ran_out(token):
            return ErrorResolution(
                ResponseAction.RETRY,
                FailureType.transient_error,
                f"The access token ran out while a request was in flight ({message}); retrying with a renewed token.",
            )
        if LinkedInLearningOAuthAuthenticator.is_fresh_renewal(token):
            return ErrorResolution(
                ResponseAction.FAIL,
                FailureType.config_error,
                f"LinkedIn Learning rejected a freshly issued access token ({message}). Check that "
                "'credentials.client_id' and 'credentials.client_secret' belong to a LinkedIn "
                "Learning API application that may read activity reports.",
            )
        return ErrorResolution(ResponseAction.REFRESH_TOKEN_THEN_RETRY, FailureType.transient_error, message)
