"""Incremental syncs: where a sync resumes from the saved `latestDataAt`, and what it saves."""

import pytest

from airbyte_cdk.test.state_builder import StateBuilder

from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder, epoch_ms
from .response_builder import ReportResponseBuilder, account_element
from .utils import config_errors, mock_token, read_streams, requests_made, state_values

STREAM = "account_activity"
SAVED = epoch_ms("2024-01-05") + 12 * 3_600_000  # 2024-01-05T12:00Z


def _state(value):
    return StateBuilder().with_stream_state(STREAM, {"latestDataAt": value}).build()


def _mock_days(http_mocker, days, unit="DAY", latest=None):
    for day in days:
        http_mocker.get(
            ReportRequestBuilder.for_stream(STREAM).with_time_unit(unit).with_started_at(day).build(),
            ReportResponseBuilder().with_element(account_element(latest_data_at=latest or SAVED)).build(),
        )


def _started_at(http_mocker):
    return sorted(int(c.qs["startedat"][0]) for c in requests_made(http_mocker) if c.method == "GET")


@pytest.mark.parametrize("saved", [SAVED, str(SAVED)], ids=["integer", "string_of_digits"])
def test_sync_resumes_at_the_window_holding_the_state_moved_back_by_one_lookback_day(saved, http_mocker):
    mock_token(http_mocker)
    _mock_days(http_mocker, ["2024-01-04", "2024-01-05", "2024-01-06"])

    output = read_streams(ConfigBuilder().with_end_date("2024-01-06").build(), STREAM, state=_state(saved))

    assert _started_at(http_mocker) == [epoch_ms("2024-01-04"), epoch_ms("2024-01-05"), epoch_ms("2024-01-06")]
    assert len(output.records) == 3


@pytest.mark.parametrize("lookback,first_day", [(0, "2024-01-05"), (3, "2024-01-02")])
def test_lookback_days_moves_the_resume_point_back(lookback, first_day, http_mocker):
    days = [d for d in ("2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06") if d >= first_day]
    mock_token(http_mocker)
    _mock_days(http_mocker, days)

    read_streams(ConfigBuilder().with_end_date("2024-01-06").with_lookback_days(lookback).build(), STREAM, state=_state(SAVED))

    assert _started_at(http_mocker) == [epoch_ms(day) for day in days]


def test_week_sync_resumes_at_the_monday_before_the_looked_back_day(http_mocker):
    saved = epoch_ms("2024-01-08") + 6 * 3_600_000  # Monday 06:00; one day back is Sunday 2024-01-07
    mock_token(http_mocker)
    _mock_days(http_mocker, ["2024-01-01", "2024-01-08"], unit="WEEK")

    config = ConfigBuilder().with_time_granularity("WEEK").with_end_date("2024-01-10").build()
    read_streams(config, STREAM, state=_state(saved))

    assert _started_at(http_mocker) == [epoch_ms("2024-01-01"), epoch_ms("2024-01-08")]


def test_a_state_before_start_date_does_not_read_before_start_date(http_mocker):
    mock_token(http_mocker)
    _mock_days(http_mocker, ["2024-01-01", "2024-01-02"])

    read_streams(ConfigBuilder().with_end_date("2024-01-02").build(), STREAM, state=_state(epoch_ms("2023-06-01")))

    assert _started_at(http_mocker) == [epoch_ms("2024-01-01"), epoch_ms("2024-01-02")]


def test_a_state_past_end_date_reads_nothing_and_keeps_the_state(http_mocker):
    future = epoch_ms("2030-01-01")

    output = read_streams(ConfigBuilder().with_end_date("2024-01-06").build(), STREAM, state=_state(future))

    assert output.records == []
    assert requests_made(http_mocker) == []
    assert state_values(output, STREAM) == [{"latestDataAt": future}]


@pytest.mark.parametrize("saved", ["yesterday", "12ab", True, 1.5, None], ids=["word", "mixed", "boolean", "fraction", "null"])
def test_a_malformed_state_is_a_config_error_and_sends_nothing(saved, http_mocker):
    output = read_streams(ConfigBuilder().build(), STREAM, state=_state(saved), expecting_exception=True)

    assert any("latestDataAt" in message and STREAM in message for message in config_errors(output)), output.get_formatted_error_message()
    assert requests_made(http_mocker) == []


def test_the_saved_state_is_the_watermark_when_it_lies_inside_the_windows_read(http_mocker):
    watermark = epoch_ms("2024-01-02") + 3_600_000
    mock_token(http_mocker)
    _mock_days(http_mocker, ["2024-01-01", "2024-01-02", "2024-01-03"], latest=watermark)

    output = read_streams(ConfigBuilder().with_end_date("2024-01-03").build(), STREAM)

    assert state_values(output, STREAM)[-1] == {"latestDataAt": watermark}


def test_the_saved_state_never_claims_more_than_the_end_of_the_windows_read(http_mocker):
    mock_token(http_mocker)
    _mock_days(http_mocker, ["2024-01-01", "2024-01-02"], latest=epoch_ms("2024-03-01"))

    output = read_streams(ConfigBuilder().with_end_date("2024-01-02").build(), STREAM)

    assert state_values(output, STREAM)[-1] == {"latestDataAt": epoch_ms("2024-01-03")}


def test_windows_finished_after_an_unfinished_one_are_listed_in_the_state():
    """With several workers, windows finish out of order: each STATE names the windows finished
    after the first unfinished one whose data the watermark covers, so that a resumed sync skips
    them; the first unfinished window keeps `latestDataAt` where it was."""
    from airbyte_cdk.sources.message import InMemoryMessageRepository
    from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition

    from source_linkedin_learning.cursor import SavedState, SyncWatermark, WatermarkCursor

    class Window(Partition):
        def __init__(self, day):
            self.start = epoch_ms(day)

        def read(self):
            return iter(())

        def to_slice(self):
            return {"start_time": str(self.start), "end_time": str(self.start + 86_400_000 - 1)}

        def stream_name(self):
            return STREAM

        def __hash__(self):
            return self.start

    days = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]
    watermark = SyncWatermark()
    watermark.update(epoch_ms("2024-01-04"))  # the data of the first three days is complete
    cursor = WatermarkCursor(STREAM, SavedState(epoch_ms(days[0])), InMemoryMessageRepository(), watermark)
    windows = [Window(day) for day in days]
    assert all(cursor.register(window) for window in windows)

    cursor.close_partition(windows[1])
    cursor.close_partition(windows[3])
    assert cursor.state == {"latestDataAt": epoch_ms(days[0]), "finishedWindows": [epoch_ms(days[1])]}  # day 4 ends after the watermark
    cursor.close_partition(windows[0])
    assert cursor.state == {"latestDataAt": epoch_ms(days[2])}

    resumed = WatermarkCursor(STREAM, SavedState(epoch_ms(days[0]), frozenset({epoch_ms(days[1])})), InMemoryMessageRepository(), SyncWatermark())
    assert [resumed.register(window) for window in windows] == [True, False, True, True]
