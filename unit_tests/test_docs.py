"""Every message the connector can show a user is explained in the troubleshooting table of
docs/linkedin-learning.md.

Each message is produced the way a user meets it (a bad config, a fake answer of the service, an
unreadable file), and the phrase the docs quote must be part of it. A scan of the sources then
checks that no message was added without a row here.
"""

import ast
import time
import datetime
import io
import json
import re
import threading
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple
from unittest import mock

import pytest
import requests
import requests_mock

from airbyte_cdk.models import AirbyteStateBlob, AirbyteStateMessage, AirbyteStateType, AirbyteStreamState, FailureType
from airbyte_cdk.models import StreamDescriptor, SyncMode
from airbyte_cdk.sources.declarative.auth.oauth import DeclarativeOauth2Authenticator
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_learning import run
from source_linkedin_learning.auth import LinkedInLearningOAuthAuthenticator
from source_linkedin_learning.config import ConfigError, parse_config
from source_linkedin_learning.errors import LinkedInLearningErrorHandler
from source_linkedin_learning.source import SourceLinkedinLearning

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "source_linkedin_learning"
MESSAGE_MODULES = ("config.py", "errors.py", "auth.py", "source.py", "run.py", "streams.py", "components.py")

YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
TOMORROW = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
CREDENTIALS = {"auth_method": "client_credentials", "client_id": "test-client-id", "client_secret": "test-client-secret"}
VALID = {"credentials": CREDENTIALS, "start_date": "2024-01-01"}
FIXED_STREAMS = ("account_activity", "group_activity")


def _troubleshooting() -> str:
    text = (ROOT / "docs" / "linkedin-learning.md").read_text()
    section = text.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def _config_message(config: Any) -> str:
    with pytest.raises(ConfigError) as raised:
        parse_config(config, FIXED_STREAMS)
    return raised.value.message  # type: ignore[return-value]


def _with(**fields: Any) -> Dict[str, Any]:
    return {**VALID, **fields}


def _report(**fields: Any) -> Dict[str, Any]:
    return _with(custom_reports=[{"name": "by_group", "primary_aggregation": "GROUP", **fields}])


def _response(status: int, body: bytes = b'{"code": "X", "message": "m"}') -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.request = requests.Request("GET", "https://api.linkedin.com/v2/learningActivityReports").prepare()
    return response


def _handler_message(answer: Any, credentials: Optional[Mapping[str, str]] = None, times: int = 1, api: str = "reports") -> str:
    handler = LinkedInLearningErrorHandler(config={"credentials": credentials or CREDENTIALS}, parameters={}, api=api)
    for _ in range(times):
        resolution = handler.interpret_response(answer)
    return resolution.error_message  # type: ignore[return-value]


def _401_for_issued_token(issued_ago: float, lifetime: float, renews_a_rejected_token: bool) -> str:
    """A 401 for a token the connector was issued `issued_ago` seconds ago."""
    from source_linkedin_learning.auth import LinkedInLearningOAuthAuthenticator, _Token

    now = time.time()
    token = _Token("issued-token", now - issued_ago, now - issued_ago + lifetime, renews_a_rejected_token)
    LinkedInLearningOAuthAuthenticator._keep(("application",), token)
    response = _response(401)
    response.request.headers["Authorization"] = "Bearer issued-token"
    handler = LinkedInLearningErrorHandler(config={"credentials": CREDENTIALS}, parameters={})
    return handler.interpret_response(response).error_message  # type: ignore[return-value]


def _token_message(failure: Exception) -> str:
    authenticator = LinkedInLearningOAuthAuthenticator(
        config={},
        parameters={},
        token_refresh_endpoint="https://www.linkedin.com/oauth/v2/accessToken",
        client_id="test-client-id",
        client_secret="test-client-secret",
        grant_type="client_credentials",
    )
    with mock.patch.object(DeclarativeOauth2Authenticator, "refresh_access_token", side_effect=failure):
        with pytest.raises(AirbyteTracedException) as raised:
            authenticator.refresh_access_token()
    return raised.value.message  # type: ignore[return-value]


def _refused_token() -> str:
    return _token_message(requests.HTTPError(response=_response(401)))


def _unreachable_token_endpoint() -> str:
    return _token_message(AirbyteTracedException(message="x", failure_type=FailureType.transient_error))


def _bad_saved_state() -> str:
    state = AirbyteStateMessage(
        type=AirbyteStateType.STREAM,
        stream=AirbyteStreamState(
            stream_descriptor=StreamDescriptor(name="account_activity"),
            stream_state=AirbyteStateBlob(latestDataAt="yesterday"),
        ),
    )
    with pytest.raises(ConfigError) as raised:
        SourceLinkedinLearning(config=VALID, state=[state]).settings
    return raised.value.message  # type: ignore[return-value]


def _bad_catalog_state() -> str:
    state = AirbyteStateMessage(
        type=AirbyteStateType.STREAM,
        stream=AirbyteStreamState(
            stream_descriptor=StreamDescriptor(name="learning_assets"),
            stream_state=AirbyteStateBlob(lastUpdatedAt="last week"),
        ),
    )
    with pytest.raises(ConfigError) as raised:
        SourceLinkedinLearning(config=VALID, state=[state]).settings
    return raised.value.message  # type: ignore[return-value]


def _check_with_catalog(**answer: Any) -> str:
    """What `check` says when reports answer and the catalog's first page gets `answer` (a
    requests-mock response spec)."""
    config = {**VALID, "end_date": "2024-01-10"}
    with requests_mock.Mocker() as service:
        service.post(requests_mock.ANY, json={"access_token": "t", "expires_in": 7775999})
        service.get(re.compile(r".*/v2/learningActivityReports"), json={"elements": [], "paging": {"total": 0}})
        service.get(re.compile(r".*/v2/learningClassifications"), **answer)
        return SourceLinkedinLearning(config=config).check(mock.Mock(), config).message  # type: ignore[return-value]


def _unknown_stream() -> str:
    catalog = CatalogBuilder().with_stream("no_such_stream", SyncMode.incremental).build()
    with pytest.raises(ConfigError) as raised:
        next(SourceLinkedinLearning(catalog=catalog, config=VALID).read(mock.Mock(), VALID, catalog))
    return raised.value.message  # type: ignore[return-value]


def _future_state_warning() -> str:
    state = [
        AirbyteStateMessage(
            type=AirbyteStateType.STREAM,
            stream=AirbyteStreamState(
                stream_descriptor=StreamDescriptor(name="account_activity"),
                stream_state=AirbyteStateBlob(latestDataAt=4102444800000),  # 2100-01-01
            ),
        )
    ]
    catalog = CatalogBuilder().with_stream("account_activity", SyncMode.incremental).build()
    logger = mock.Mock()
    with requests_mock.Mocker():  # nothing is asked for
        list(SourceLinkedinLearning(catalog=catalog, config=VALID, state=state).read(logger, VALID, catalog, state))
    return logger.warning.call_args.args[0]  # type: ignore[no-any-return]


def _no_config() -> str:
    with pytest.raises(ConfigError) as raised:
        SourceLinkedinLearning().settings
    return raised.value.message  # type: ignore[return-value]


def _unreadable_config_file() -> str:
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert run._source(["check", "--config", "/nonexistent/config.json"]) is None
    return json.loads(printed.getvalue())["trace"]["error"]["message"]  # type: ignore[no-any-return]


def _silent_check() -> str:
    """`check` against a token endpoint that does not answer within the check's time.

    The endpoint answers once check has given up, and the test waits for check's thread to end
    while the mock is still in place: a thread left running would go on to the real network,
    and beside pytest's own parsing it can trip CPython 3.11's AST recursion check."""
    config = {**VALID, "start_date": YESTERDAY, "end_date": YESTERDAY}
    answer = threading.Event()
    with requests_mock.Mocker() as service, mock.patch("source_linkedin_learning.source.CHECK_SECONDS", 0.2):
        service.post(requests_mock.ANY, status_code=401, json={"error": "invalid_client"},
                     additional_matcher=lambda request: answer.wait(30))
        before = set(threading.enumerate())
        message = SourceLinkedinLearning(config=config).check(mock.Mock(), config).message
        answer.set()
        for thread in set(threading.enumerate()) - before:
            thread.join(30)
            assert not thread.is_alive()
    return message  # type: ignore[return-value]


def _permanent_429() -> List[str]:
    """What a sync shows when every retry of a request gets 429 (waits skipped)."""
    config = {**VALID, "credentials": {"auth_method": "access_token", "access_token": "test-access-token"}}
    config.update(start_date=YESTERDAY, end_date=YESTERDAY)
    catalog = CatalogBuilder().with_stream("account_activity", SyncMode.incremental).build()
    with requests_mock.Mocker() as service, mock.patch("time.sleep"):
        service.get(requests_mock.ANY, status_code=429, json={"message": "Too many requests"})
        output = read(SourceLinkedinLearning(catalog=catalog, config=config, state=None), config, catalog)
    return [error.trace.error.message for error in output.errors]


def _sync_against(**answer: Any) -> str:
    """The error a sync of three days shows when every report request gets `answer` (a
    requests-mock response spec), the backoff waits skipped; the CDK's closing summary aside."""
    config = {**VALID, "start_date": "2024-01-01", "end_date": "2024-01-03"}
    catalog = CatalogBuilder().with_stream("account_activity", SyncMode.incremental).build()
    with requests_mock.Mocker() as service, mock.patch("time.sleep"):
        service.post(requests_mock.ANY, json={"access_token": "t", "expires_in": 7775999})
        service.get(requests_mock.ANY, **answer)
        output = read(SourceLinkedinLearning(catalog=catalog, config=config), config, catalog)
    messages = [error.trace.error.message for error in output.errors if "did not sync successfully" not in error.trace.error.message]
    assert len(messages) == 1, messages
    return messages[0]


# (how the user meets it, the phrase the troubleshooting table quotes)
TRIGGERS: List[Tuple[str, Callable[[], Any], str]] = [
    ("config not an object", lambda: _config_message([]), "The config must be a JSON object."),
    ("no credentials", lambda: _config_message({"start_date": "2024-01-01"}), "Config field 'credentials' is required"),
    ("unknown auth method", lambda: _config_message(_with(credentials={"auth_method": "password"})), "Config field 'credentials.auth_method' must be one of"),
    ("empty client secret", lambda: _config_message(_with(credentials={**CREDENTIALS, "client_secret": " "})), "is required for auth_method"),
    ("credential too short", lambda: _config_message(_with(credentials={**CREDENTIALS, "client_id": "a"})), "is too short to be a real credential"),
    ("no start date", lambda: _config_message({"credentials": CREDENTIALS}), "Config field 'start_date' is required"),
    ("date in another format", lambda: _config_message(_with(start_date="01/02/2024")), "must be a date written YYYY-MM-DD (UTC)"),
    ("date that does not exist", lambda: _config_message(_with(start_date="2024-02-30")), "is not a real calendar date"),
    ("start date in the future", lambda: _config_message(_with(start_date=TOMORROW)), "is in the future; it must be today"),
    ("start after end", lambda: _config_message(_with(end_date="2023-12-31")), "swap them or clear end_date"),
    ("referer not a string", lambda: _config_message(_with(referer=123)), "Config field 'referer' must be a string"),
    ("a field set to null", lambda: _config_message(_with(end_date=None)), "is null: give a value, or leave the field out if it is optional."),
    ("no answer during check", lambda: _silent_check(), "No answer from LinkedIn within"),
    ("unknown report window", lambda: _config_message(_with(time_granularity="YEAR")), "must be one of"),
    ("language not ISO 639", lambda: _config_message(_with(locale_language="English")), "must be a lower-case ISO 639 language code"),
    ("page size not a number", lambda: _config_message(_with(page_size="100")), "must be a whole number from"),
    ("page size out of range", lambda: _config_message(_with(page_size=5000)), "must be from"),
    ("url not a string", lambda: _config_message(_with(api_url=["https://api.linkedin.com"])), "must be a URL such as"),
    ("url without scheme", lambda: _config_message(_with(api_url="api.linkedin.com")), "must be a full https URL such as"),
    ("plain http to a remote host", lambda: _config_message(_with(token_url="http://example.com/token")), "must use https (credentials would travel in clear text)"),
    ("custom reports not a list", lambda: _config_message(_with(custom_reports={"name": "x"})), "Config field 'custom_reports' must be a list of report definitions."),
    ("custom report not an object", lambda: _config_message(_with(custom_reports=["x"])), "must be an object with at least 'name' and 'primary_aggregation'"),
    ("custom report name not snake_case", lambda: _config_message(_report(name="By Group")), "must be snake_case"),
    ("custom report names repeated", lambda: _config_message(_with(custom_reports=[{"name": "a", "primary_aggregation": "GROUP"}] * 2)), "repeats the name of another custom report"),
    ("custom report named like a built-in stream", lambda: _config_message(_report(name="account_activity")), "repeats a built-in stream's name"),
    ("custom report without aggregation", lambda: _config_message(_report(primary_aggregation="TEAM")), "must be one of"),
    ("custom report levels equal", lambda: _config_message(_report(secondary_aggregation="GROUP")), "must differ from primary_aggregation"),
    ("saved state not epoch ms", _bad_saved_state, "The saved state of stream"),
    ("catalog state not epoch ms", _bad_catalog_state, "is not understood: 'lastUpdatedAt' must be epoch milliseconds"),
    ("catalog locales not a list", lambda: _config_message(_with(catalog_locales="en_US")), "must be a non-empty list such as"),
    ("catalog locale without country", lambda: _config_message(_with(catalog_locales=["en"])), "must be a locale written language_COUNTRY, such as 'en_US' or 'de_DE'"),
    ("catalog asset type unknown", lambda: _config_message(_with(catalog_asset_types=["BOOK"])), "must be one of"),
    ("include_retired not a boolean", lambda: _config_message(_with(include_retired="yes")), "must be true or false"),
    ("check with content access", lambda: _check_with_catalog(json={"elements": [], "paging": {"total": 0}}), "Connected: these credentials can read the activity reports and the course catalog."),
    ("check without content access", lambda: _check_with_catalog(status_code=403, json={"message": "m", "code": "ACCESS_DENIED"}), "Connected: these credentials can read the activity reports but not the course catalog."),
    ("check with a catalog that fails otherwise", lambda: _check_with_catalog(status_code=400, json={"message": "m", "code": "X"}), "whether they can read the course catalog could not be checked"),
    ("no content access", lambda: _handler_message(_response(403), api="catalog"), 'has no "Content" access'),
    ("bad catalog request", lambda: _handler_message(_response(400), api="catalog"), "LinkedIn Learning rejected the catalog request ("),
    ("no catalog at api_url", lambda: _handler_message(_response(404), api="catalog"), "No catalog API at this address ("),
    ("catalog server error", lambda: _handler_message(_response(503), api="catalog"), "LinkedIn Learning's catalog answered"),
    ("catalog 200 of another shape", lambda: _handler_message(_response(200, b'{"elements": null}'), api="catalog"), "LinkedIn Learning answered 200 with a body that is not a page of the"),
    ("saved state in the future", _future_state_warning, "is in the future ("),
    ("catalog names an unknown stream", _unknown_stream, "The catalog asks for streams this source does not have"),
    ("no config file", _no_config, "No config was given: pass --config"),
    ("config file missing", _unreadable_config_file, "could not be read"),
    ("token endpoint refuses the credentials", _refused_token, "LinkedIn refused to issue an access token"),
    ("token endpoint unreachable", _unreachable_token_endpoint, "Could not reach the token endpoint at 'token_url'"),
    ("network error", lambda: _handler_message(requests.ConnectionError()), "Could not reach LinkedIn Learning ("),
    ("truncated page", lambda: _handler_message(_response(200, b'{"elements": [')), "LinkedIn Learning sent a body that is not a page ("),
    ("200 of another shape", lambda: _handler_message(_response(200, b'{"elements": null}')), "LinkedIn Learning answered 200 with a body that is not a page of the reports API"),
    ("row not an object", lambda: _sync_against(json={"elements": [{"learnerDetails": "x"}]}), "LinkedIn Learning sent a row whose '"),
    ("not a page through every retry", lambda: _sync_against(text="<html></html>"), "a body that is not a page, through every retry"),
    ("server error through every retry", lambda: _sync_against(status_code=503, json={}), "LinkedIn Learning kept answering HTTP"),
    ("network error through every retry", lambda: _sync_against(exc=requests.ConnectionError("refused")), "Could not reach LinkedIn Learning at"),
    ("pasted token expired", lambda: _handler_message(_response(401), {"auth_method": "access_token", "access_token": "t"}), "LinkedIn Learning rejected 'credentials.access_token'"),
    ("fresh token rejected", lambda: _401_for_issued_token(0, 3600, renews_a_rejected_token=True), "LinkedIn Learning rejected a freshly issued access token"),
    ("token expired in flight", lambda: _401_for_issued_token(3600, 3599, renews_a_rejected_token=False), "The access token ran out while a request was in flight"),
    ("no reports licence", lambda: _handler_message(_response(403)), "LinkedIn Learning refused access ("),
    ("bad report request", lambda: _handler_message(_response(400)), "LinkedIn Learning rejected the report request ("),
    ("wrong api_url", lambda: _handler_message(_response(404)), "No reports API at this address ("),
    ("server error", lambda: _handler_message(_response(503)), "If this persists with time_granularity MONTH, use WEEK or DAY"),
    ("unexpected answer", lambda: _handler_message(_response(418)), "LinkedIn Learning answered"),
    ("rate limited", lambda: _handler_message(_response(429)), "LinkedIn Learning kept answering 429 Too Many Requests"),
]


@pytest.mark.parametrize("trigger, phrase", [(produce, phrase) for _, produce, phrase in TRIGGERS], ids=[name for name, _, _ in TRIGGERS])
def test_message_is_explained_in_troubleshooting(trigger: Callable[[], str], phrase: str) -> None:
    message = trigger()
    assert phrase in message, f"the connector now says {message!r}"
    assert phrase in _troubleshooting(), f"docs/linkedin-learning.md does not explain {message!r}"


def test_a_permanent_rate_limit_is_explained() -> None:
    """The stream's failure names the rate limit and the quota, not the CDK's generic words."""
    messages = _permanent_429()
    assert messages[0].startswith("LinkedIn Learning kept answering 429 Too Many Requests")
    assert "API rate limit exceeded." not in messages


def _literal_text(node: ast.AST, constants: Mapping[str, str]) -> str:
    """The fixed text of a message expression; the parts that vary become a blank."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal_text(value, constants) if isinstance(value, ast.Constant) else " " for value in node.values)
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left, constants) + _literal_text(node.right, constants)
    if isinstance(node, ast.Name):
        return constants.get(node.id, "")
    return ""


def _messages_in_source() -> List[Tuple[str, str]]:
    """(file, fixed text) of every message the modules raise or resolve to."""
    found = []
    for name in MESSAGE_MODULES:
        tree = ast.parse((PACKAGE / name).read_text())
        constants = {
            target.id: _literal_text(node.value, {})
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            callee = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if callee in ("_fail", "ConfigError", "_config_error_message"):
                candidates = node.args[:1]
            elif callee == "ErrorResolution":
                candidates = node.args[2:3]
            elif callee == "AirbyteTracedException":
                candidates = [keyword.value for keyword in node.keywords if keyword.arg == "message"]
            else:
                continue
            for candidate in candidates:
                text = _literal_text(candidate, constants).strip()
                if text:
                    found.append((name, text))
    return found


def test_every_message_in_the_sources_has_a_trigger_here() -> None:
    phrases = [phrase for _, _, phrase in TRIGGERS]
    messages = _messages_in_source()
    assert len(messages) >= 35
    missing = [(name, text) for name, text in messages if not any(phrase in text for phrase in phrases)]
    assert not missing, f"messages without a row in the docs' troubleshooting table and a trigger here: {missing}"
