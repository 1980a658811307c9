"""discover: the catalog the user picks streams from."""

import pytest

from airbyte_cdk.models import SyncMode

from .config import ConfigBuilder
from .utils import CATALOG_STREAMS, FIXED_STREAMS, run_discover

PRIMARY_KEYS = {
    "account_activity": [["accountUrn"], ["startedAt"]],
    "group_activity": [["groupUrn"], ["startedAt"]],
    "individual_activity": [["learnerUrn"], ["startedAt"]],
    "content_activity": [["contentUrn"], ["startedAt"]],
    "individual_content_activity": [["learnerUrn"], ["contentUrn"], ["startedAt"]],
}


def _streams(config):
    return {stream.name: stream for stream in run_discover(config).catalog.catalog.streams}


def test_discover_offers_the_five_report_streams_and_the_two_catalog_streams():
    assert sorted(_streams(ConfigBuilder().build())) == sorted(FIXED_STREAMS + CATALOG_STREAMS)


@pytest.mark.parametrize("stream_name", FIXED_STREAMS)
def test_each_stream_is_keyed_by_its_aggregation_urns_and_the_window_start(stream_name):
    assert _streams(ConfigBuilder().build())[stream_name].source_defined_primary_key == PRIMARY_KEYS[stream_name]


@pytest.mark.parametrize("stream_name", FIXED_STREAMS)
def test_each_stream_is_incremental_on_the_source_defined_cursor_latest_data_at(stream_name):
    stream = _streams(ConfigBuilder().build())[stream_name]
    assert SyncMode.incremental in stream.supported_sync_modes
    assert stream.source_defined_cursor is True
    assert stream.default_cursor_field == ["latestDataAt"]


def test_each_report_stream_schema_declares_the_window_and_the_lifted_urns():
    for stream in _streams(ConfigBuilder().build()).values():
        if stream.name in CATALOG_STREAMS:
            continue
        properties = stream.json_schema["properties"]
        for field in ("startedAt", "endedAt", "accountUrn", "groupUrn", "learnerUrn", "contentUrn", "latestDataAt"):
            assert field in properties, (stream.name, field)


def test_custom_reports_become_custom_streams_keyed_by_their_own_aggregations():
    config = (
        ConfigBuilder()
        .with_custom_report("completions_by_group", "GROUP", "CONTENT")
        .with_custom_report("account_totals", "ACCOUNT")
        .build()
    )

    streams = _streams(config)

    assert set(streams) == set(FIXED_STREAMS + CATALOG_STREAMS) | {"custom_completions_by_group", "custom_account_totals"}
    assert streams["custom_completions_by_group"].source_defined_primary_key == [["groupUrn"], ["contentUrn"], ["startedAt"]]
    assert streams["custom_account_totals"].source_defined_primary_key == [["accountUrn"], ["startedAt"]]
    assert streams["custom_account_totals"].default_cursor_field == ["latestDataAt"]


def test_learning_assets_is_keyed_by_asset_and_locale_and_incremental_on_last_updated_at():
    stream = _streams(ConfigBuilder().build())["learning_assets"]

    assert stream.source_defined_primary_key == [["assetUrn"], ["locale"]]
    assert SyncMode.incremental in stream.supported_sync_modes
    assert stream.default_cursor_field == ["lastUpdatedAt"]
    for field in ("assetUrn", "locale", "title", "level", "durationSeconds", "publishedAt", "lastUpdatedAt", "retiredAt", "availability"):
        assert field in stream.json_schema["properties"], field
