"""Read timeouts, refused connections and broken connections are retried, and the window is
read in full once the service answers."""

import json
from unittest import mock

import pytest
import requests
import requests_mock

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read

from source_linkedin_learning import SourceLinkedinLearning

from .config import ConfigBuilder
from .response_builder import account_element

DAY = "2024-01-01"
PAGE = {"elements": [account_element()], "paging": {"start": 0, "count": 1, "total": 1}}


@pytest.mark.parametrize(
    "fault",
    [requests.exceptions.ReadTimeout, requests.exceptions.ConnectTimeout, requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError],
)
def test_a_network_fault_is_retried_until_the_page_arrives(fault):
    config = ConfigBuilder().with_start_date(DAY).with_end_date(DAY).build()
    catalog = CatalogBuilder().with_stream("account_activity", SyncMode.full_refresh).build()
    with requests_mock.Mocker() as service, mock.patch("time.sleep"):
        service.post(requests_mock.ANY, json={"access_token": "t", "expires_in": 7775999})
        reports = service.get(requests_mock.ANY, [{"exc": fault}, {"exc": fault}, {"text": json.dumps(PAGE)}])
        output = read(SourceLinkedinLearning(catalog=catalog, config=config), config, catalog)

    assert not output.errors
    assert [m.record.data["accountUrn"] for m in output.records] == [PAGE["elements"][0]["learnerDetails"]["entity"]["accountUrn"]]
    assert reports.call_count == 3
