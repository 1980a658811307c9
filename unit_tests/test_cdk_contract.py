"""What the connector relies on in airbyte-cdk beyond what it documents for connectors.

`source_linkedin_learning/cdk_seam.py` holds each such reliance; the README lists them under
"Where the connector leans on the CDK". If a CDK upgrade changes one, a test here fails with
the reason, before a sync goes wrong. Beside them, the public classes the connector builds its
streams from, whose signatures a CDK release could still change.
"""

import inspect
import re
from pathlib import Path

import pytest
import requests

from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor, FinalStateCursor
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_learning import SourceLinkedinLearning, cdk_seam
from source_linkedin_learning.catalog import AssetCursor
from source_linkedin_learning.cursor import WatermarkCursor

from unit_tests.mock_server.config import ConfigBuilder
from unit_tests.mock_server.request_builder import ReportRequestBuilder, epoch_ms
from unit_tests.mock_server.response_builder import ReportResponseBuilder, account_element
from unit_tests.mock_server.utils import mock_token, read_streams, state_values

STREAM = "account_activity"
PACKAGE = Path(__file__).resolve().parents[1] / "source_linkedin_learning"


def test_the_watermark_cursor_checkpoints_through_the_repository_the_read_drains(http_mocker):
    """The WatermarkCursor's STATE messages go to `cdk_seam.message_repository`: it must be the
    repository that the read drains after each record, or checkpoints would be lost."""
    assert isinstance(cdk_seam.message_repository(SourceLinkedinLearning(config=ConfigBuilder().build())), MessageRepository)
    latest = epoch_ms("2024-01-06")
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder.for_stream(STREAM).with_started_at("2024-01-05").build(),
        ReportResponseBuilder().with_element(account_element(latest_data_at=latest)).build(),
    )
    output = read_streams(ConfigBuilder().with_start_date("2024-01-05").with_end_date("2024-01-05").build(), STREAM)
    assert len(output.records) == 1
    assert int(state_values(output, STREAM)[-1]["latestDataAt"]) == latest


def _raised_by_exhausted_retries(response) -> AirbyteTracedException:
    """The error the CDK's HttpClient raises when a request's retries run out, as it raises it:
    inside the handler of the backoff exception that carries the request and the last response."""
    request = requests.Request("GET", "https://api.linkedin.com/v2/learningActivityReports").prepare()
    try:
        try:
            raise requests.HTTPError("retries exhausted", request=request, response=response)
        except requests.HTTPError as backoff:
            raise AirbyteTracedException(message="Exhausted available request attempts.", exception=backoff)
    except AirbyteTracedException as traced:
        return traced


def test_the_last_try_of_an_exhausted_request_is_found_from_the_error():
    response = requests.Response()
    response.status_code = 429
    last = cdk_seam.exhausted_request(_raised_by_exhausted_retries(response))
    assert last is not None and last.response is response and last.request.url.endswith("/learningActivityReports")
    network = cdk_seam.exhausted_request(_raised_by_exhausted_retries(None))
    assert network is not None and network.response is None
    assert cdk_seam.exhausted_request(AirbyteTracedException(message="other")) is None


def test_the_cdk_still_raises_its_final_error_from_the_backoff_exception():
    """Where cdk_seam.exhausted_request looks: the CDK's `_send_with_retry` raises the final
    error inside `except BaseBackoffException as e`, an HTTPError with the request and the last
    response (None after a network error). The behaviour itself is proven end to end by
    unit_tests/mock_server/test_odd_service.py (a permanent 429, 5xx, unreachable host)."""
    from airbyte_cdk.sources.streams.http.exceptions import BaseBackoffException
    from airbyte_cdk.sources.streams.http.http_client import HttpClient

    assert issubclass(BaseBackoffException, requests.HTTPError)
    source = inspect.getsource(HttpClient)
    assert re.search(r"except BaseBackoffException as e:.*?raise AirbyteTracedException", source, re.S)


def test_default_stream_still_takes_a_cursor_and_a_partition_generator():
    """streams.py builds a DefaultStream around the declarative stream's partitions."""
    parameters = inspect.signature(DefaultStream.__init__).parameters
    assert {"partition_generator", "name", "json_schema", "primary_key", "cursor_field", "logger", "cursor"} <= set(parameters)
    assert not [name for name in Cursor.__abstractmethods__ for cursor in (WatermarkCursor, AssetCursor) if not hasattr(cursor, name)]


def test_every_report_stream_the_source_builds_uses_the_watermark_cursor_and_the_catalog_its_own():
    config = ConfigBuilder().build()
    streams = {stream.name: stream for stream in SourceLinkedinLearning(config=config).streams(config)}
    assert isinstance(streams.pop("learning_assets").cursor, AssetCursor)
    assert isinstance(streams.pop("learning_classifications").cursor, FinalStateCursor)
    assert streams and all(isinstance(stream.cursor, WatermarkCursor) for stream in streams.values())


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda path: path.name)
def test_only_the_seam_touches_a_private_name_of_another_package(path):
    """No `obj._name` of the CDK or another library, no class swap, outside cdk_seam.py: the
    connector's own private names are reached only through `self`, `cls` or its own modules."""
    if path.name == "cdk_seam.py":
        return
    own = {"self", "cls", "components", "page", "token", "slot", "window"}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        assert "__class__ =" not in line, f"{path.name}:{number}: a class swap"
        for owner in re.findall(r"(\w+)\._[a-z]", line):
            assert owner in own, f"{path.name}:{number}: {owner}._... reaches a private name"
