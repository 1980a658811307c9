"""learning_assets: the catalog, one request series per locale and asset type, written whole or
only what changed since the saved state."""

import time

import jsonschema
import pytest

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.state_builder import StateBuilder

from .config import ConfigBuilder
from .request_builder import CatalogRequestBuilder
from .response_builder import COURSE_URN, PUBLISHED_AT, UPDATED_AT, CatalogPageBuilder, asset, error_response, localized
from .utils import config_errors, mock_token, read_streams, requests_made, run_discover, state_values

STREAM = "learning_assets"
DAY_MS = 86_400_000
PATH_URN = "urn:li:lyndaLearningPath:2009"


def _serve(http_mocker, asset_type="COURSE", locale="en_US", elements=(), include_retired=True):
    request = CatalogRequestBuilder.assets(asset_type, locale, include_retired).build()
    http_mocker.get(request, CatalogPageBuilder().with_elements(list(elements)).build())
    return request


def _schema() -> dict:
    catalog = run_discover(ConfigBuilder().build()).catalog.catalog
    return next(s.json_schema for s in catalog.streams if s.name == STREAM)


def _keys(output):
    return sorted((r.record.data["assetUrn"], r.record.data["locale"]) for r in output.records)


def _state(saved):
    return StateBuilder().with_stream_state(STREAM, {"lastUpdatedAt": saved}).build()


def test_each_locale_and_asset_type_is_one_request_series_of_the_locale_and_type_finder(http_mocker):
    mock_token(http_mocker)
    for locale in ("en_US", "de_DE"):
        _serve(http_mocker, "COURSE", locale, [asset(locale=locale)])
        _serve(http_mocker, "LEARNING_PATH", locale, [asset(PATH_URN, "LEARNING_PATH", locale=locale)])

    output = read_streams(ConfigBuilder().with_catalog_locales("en_US", "de_DE").build(), STREAM)

    assert _keys(output) == sorted((urn, locale) for urn in (COURSE_URN, PATH_URN) for locale in ("en_US", "de_DE"))
    assert len([c for c in requests_made(http_mocker) if c.method == "GET"]) == 4


def test_a_record_is_the_asset_as_sent_with_the_fields_for_joins_and_filters_at_the_top_level(http_mocker):
    sent = asset()
    mock_token(http_mocker)
    _serve(http_mocker, "COURSE", elements=[sent])
    _serve(http_mocker, "LEARNING_PATH")

    record = read_streams(ConfigBuilder().build(), STREAM).records[0].record.data

    assert record == {
        **sent,
        "assetUrn": COURSE_URN,
        "locale": "en_US",
        "title": "Data Pipelines with Apache Airflow",
        "titleLocalized": localized("Data Pipelines with Apache Airflow"),
        "level": "INTERMEDIATE",
        "availability": "AVAILABLE",
        "durationSeconds": 6120,
        "publishedAt": PUBLISHED_AT,
        "lastUpdatedAt": UPDATED_AT,
    }
    jsonschema.validate(record, _schema())


@pytest.mark.parametrize("duration,unit,seconds", [(6120, "SECOND", 6120), (102, "MINUTE", 6120), (2, "HOUR", 7200), (1.5, "HOUR", 5400)])
def test_time_to_complete_becomes_seconds_whatever_its_unit(duration, unit, seconds, http_mocker):
    mock_token(http_mocker)
    _serve(http_mocker, "COURSE", elements=[asset(time_to_complete={"duration": duration, "unit": unit})])
    _serve(http_mocker, "LEARNING_PATH")

    output = read_streams(ConfigBuilder().build(), STREAM)

    assert output.records[0].record.data["durationSeconds"] == seconds


def test_a_retired_asset_is_written_with_its_retirement_and_availability(http_mocker):
    retired_at = UPDATED_AT + DAY_MS
    mock_token(http_mocker)
    _serve(http_mocker, "COURSE", elements=[asset(last_updated_at=retired_at, retired_at=retired_at)])
    _serve(http_mocker, "LEARNING_PATH")

    record = read_streams(ConfigBuilder().build(), STREAM).records[0].record.data

    assert (record["availability"], record["retiredAt"]) == ("RETIRED", retired_at)
    jsonschema.validate(record, _schema())


def test_include_retired_false_asks_for_active_assets_only(http_mocker):
    mock_token(http_mocker)
    _serve(http_mocker, "VIDEO", include_retired=False)

    read_streams(ConfigBuilder().with_catalog_asset_types("VIDEO").with_include_retired(False).build(), STREAM)

    (call,) = [c for c in requests_made(http_mocker) if c.method == "GET"]
    assert call.qs["includeretired"] == ["false"]


def test_pages_hold_100_assets_whatever_page_size_and_no_request_goes_past_paging_total(http_mocker):
    mock_token(http_mocker)
    first = CatalogRequestBuilder.assets("VIDEO").build()
    second = CatalogRequestBuilder.assets("VIDEO").with_start(100).build()
    videos = [asset(f"urn:li:lyndaVideo:(urn:li:lyndaCourse:1,{n})", "VIDEO") for n in range(150)]
    http_mocker.get(first, CatalogPageBuilder().with_elements(videos[:100]).with_total(150).build())
    http_mocker.get(second, CatalogPageBuilder().with_elements(videos[100:]).with_paging(100, 100).with_total(150).build())

    output = read_streams(ConfigBuilder().with_page_size(1000).with_catalog_asset_types("VIDEO").build(), STREAM)

    assert len(output.records) == 150
    http_mocker.assert_number_of_calls(first, 1)
    http_mocker.assert_number_of_calls(second, 1)


def test_an_empty_locale_and_type_costs_one_request(http_mocker):
    mock_token(http_mocker)
    empty = _serve(http_mocker, "LEARNING_PATH", "ja_JP")

    output = read_streams(ConfigBuilder().with_catalog_locales("ja_JP").with_catalog_asset_types("LEARNING_PATH").build(), STREAM)

    assert output.records == []
    http_mocker.assert_number_of_calls(empty, 1)


def test_an_incremental_sync_writes_only_the_assets_changed_since_the_saved_state_less_a_day(http_mocker):
    saved = UPDATED_AT
    unchanged = asset("urn:li:lyndaCourse:1", last_updated_at=saved - DAY_MS - 1)
    looked_back = asset("urn:li:lyndaCourse:2", last_updated_at=saved - DAY_MS)
    updated = asset("urn:li:lyndaCourse:3", last_updated_at=saved + 5)
    retired = asset("urn:li:lyndaCourse:4", last_updated_at=saved - 30 * DAY_MS, retired_at=saved + 7)  # a retirement is a change
    mock_token(http_mocker)
    _serve(http_mocker, "COURSE", elements=[unchanged, looked_back, updated, retired])
    _serve(http_mocker, "LEARNING_PATH", elements=[asset(PATH_URN, "LEARNING_PATH", last_updated_at=saved - 3 * DAY_MS)])

    output = read_streams(ConfigBuilder().build(), STREAM, state=_state(saved))

    assert [key for key, _ in _keys(output)] == ["urn:li:lyndaCourse:2", "urn:li:lyndaCourse:3", "urn:li:lyndaCourse:4"]
    assert state_values(output, STREAM)[-1] == {"lastUpdatedAt": saved + 7}


def test_a_full_refresh_writes_every_asset_whatever_the_saved_state(http_mocker):
    mock_token(http_mocker)
    _serve(http_mocker, "COURSE", elements=[asset(last_updated_at=UPDATED_AT - 30 * DAY_MS)])
    _serve(http_mocker, "LEARNING_PATH")

    output = read_streams(ConfigBuilder().build(), STREAM, state=_state(UPDATED_AT), sync_mode=SyncMode.full_refresh)

    assert _keys(output) == [(COURSE_URN, "en_US")]


def test_the_state_moves_to_the_latest_change_only_once_every_locale_and_type_is_read(http_mocker):
    saved = UPDATED_AT - 10 * DAY_MS
    mock_token(http_mocker)
    _serve(http_mocker, "COURSE", elements=[asset(last_updated_at=UPDATED_AT)])
    _serve(http_mocker, "LEARNING_PATH", elements=[asset(PATH_URN, "LEARNING_PATH", last_updated_at=UPDATED_AT - DAY_MS)])

    output = read_streams(ConfigBuilder().with_num_workers(1).build(), STREAM, state=_state(saved))

    states = [value["lastUpdatedAt"] for value in state_values(output, STREAM)]
    assert states == [saved, saved, UPDATED_AT]  # one after each locale and type, then the end of the stream


def test_a_sync_stopped_in_one_locale_and_type_keeps_the_saved_state(http_mocker):
    saved = UPDATED_AT - 10 * DAY_MS
    mock_token(http_mocker)
    _serve(http_mocker, "COURSE", elements=[asset(last_updated_at=UPDATED_AT)])
    http_mocker.get(
        CatalogRequestBuilder.assets("LEARNING_PATH").build(),
        error_response(400, "Invalid query parameters passed to request", "INVALID_PARAMS"),
    )

    output = read_streams(ConfigBuilder().with_num_workers(1).build(), STREAM, state=_state(saved), expecting_exception=True)

    assert [key for key, _ in _keys(output)] == [COURSE_URN]
    assert {value["lastUpdatedAt"] for value in state_values(output, STREAM)} == {saved}


def test_a_first_sync_stopped_midway_saves_no_state_so_the_next_reads_everything(http_mocker):
    mock_token(http_mocker)
    _serve(http_mocker, "COURSE", elements=[asset()])
    http_mocker.get(CatalogRequestBuilder.assets("LEARNING_PATH").build(), error_response(400, "Invalid query", "INVALID_PARAMS"))

    output = read_streams(ConfigBuilder().with_num_workers(1).build(), STREAM, expecting_exception=True)

    assert all(value == {} for value in state_values(output, STREAM))


@pytest.mark.parametrize(
    "state",
    [{"lastUpdatedAt": "last week"}, {"lastUpdatedAt": -5}, {"latestDataAt": 1712016000000}],
    ids=["word", "negative", "a_report_state"],
)
def test_a_saved_state_that_is_not_understood_is_a_config_error_naming_the_stream(state, http_mocker):
    output = read_streams(ConfigBuilder().build(), STREAM, state=StateBuilder().with_stream_state(STREAM, state).build(), expecting_exception=True)

    assert any(f"The saved state of stream '{STREAM}' is not understood: 'lastUpdatedAt'" in m for m in config_errors(output)), config_errors(output)
    assert requests_made(http_mocker) == []


def test_a_403_is_a_config_error_naming_the_content_access_and_the_streams_to_deselect(http_mocker):
    mock_token(http_mocker)
    forbidden = CatalogRequestBuilder.assets("COURSE").build()
    http_mocker.get(forbidden, error_response(403, "Not enough permissions to access: learningAssets.GET.NO_VERSION", "ACCESS_DENIED"))

    output = read_streams(ConfigBuilder().with_num_workers(1).build(), STREAM, expecting_exception=True)

    message = config_errors(output)[0]
    assert message.startswith("LinkedIn Learning refused access to the course catalog (403 ACCESS_DENIED: Not enough permissions")
    assert '"Content" access' in message and "Admin > Settings > Access content and reports via API" in message
    assert "deselect the streams learning_assets and learning_classifications" in message
    http_mocker.assert_number_of_calls(forbidden, 1)  # not retried, and no other type is asked for


def test_a_400_names_the_catalog_settings(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(CatalogRequestBuilder.assets("COURSE", "xx_XX").build(), error_response(400, "Unsupported locale", "INVALID_PARAMS"))

    config = ConfigBuilder().with_catalog_locales("xx_XX").with_catalog_asset_types("COURSE").build()
    output = read_streams(config, STREAM, expecting_exception=True)

    assert [m for m in config_errors(output) if "did not sync successfully" not in m] == [
        "LinkedIn Learning rejected the catalog request (400 INVALID_PARAMS: Unsupported locale). Check 'catalog_locales' "
        "(locales LinkedIn Learning publishes in, such as en_US or de_DE) and 'catalog_asset_types'."
    ]


def test_a_page_of_another_shape_names_the_stream_the_locale_and_the_type(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(CatalogRequestBuilder.assets("COURSE").build(), CatalogPageBuilder().without_paging().build())
    http_mocker.get(CatalogRequestBuilder.assets("COURSE", "de_DE").build(), error_response(200, "x", "X"))

    config = ConfigBuilder().with_catalog_locales("en_US", "de_DE").with_catalog_asset_types("COURSE").with_num_workers(1).build()
    output = read_streams(config, STREAM, expecting_exception=True)

    messages = [m.trace.error.message for m in output.errors if "did not sync successfully" not in m.trace.error.message]
    assert messages == [
        "stream 'learning_assets', locale de_DE, type COURSE: LinkedIn Learning answered 200 with a body that is not a "
        "page of the catalog API: it has no 'elements'. No record of it was written and the state did not move past it; "
        "if it persists, report it to LinkedIn with this message."
    ]


def test_a_total_contradicted_by_the_assets_served_is_read_past_with_a_warning_naming_the_catalog_part(http_mocker):
    mock_token(http_mocker)
    videos = [asset(f"urn:li:lyndaVideo:(urn:li:lyndaCourse:1,{n})", "VIDEO") for n in range(130)]
    http_mocker.get(CatalogRequestBuilder.assets("VIDEO").build(), CatalogPageBuilder().with_elements(videos[:100]).with_total(50).build())
    http_mocker.get(
        CatalogRequestBuilder.assets("VIDEO").with_start(100).build(),
        CatalogPageBuilder().with_elements(videos[100:]).with_paging(100, 100).with_total(50).build(),
    )

    output = read_streams(ConfigBuilder().with_catalog_asset_types("VIDEO").build(), STREAM)

    assert len(output.records) == 130
    warnings = [m.log.message for m in output.logs if m.log.level.value == "WARN" and "paging.total 50" in m.log.message]
    assert len(warnings) == 1 and warnings[0].startswith("LinkedIn Learning said paging.total 50 for learningAssets (assetType=VIDEO,"), warnings


def test_a_change_dated_after_the_sync_does_not_move_the_state_past_the_sync(http_mocker):
    announced = 4_102_444_800_000  # a retirement announced for 2100-01-01
    mock_token(http_mocker)
    _serve(http_mocker, "COURSE", elements=[asset(last_updated_at=UPDATED_AT, retired_at=announced)])
    _serve(http_mocker, "LEARNING_PATH")

    before = int(time.time() * 1000)
    output = read_streams(ConfigBuilder().build(), STREAM, state=_state(UPDATED_AT))

    assert len(output.records) == 1
    assert before <= state_values(output, STREAM)[-1]["lastUpdatedAt"] <= int(time.time() * 1000)
