"""WEEK and MONTH windows: aligned to Monday and to the first of the month."""

from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder, epoch_ms
from .response_builder import ReportResponseBuilder, account_element
from .utils import mock_token, read_streams


def _mock_window(http_mocker, unit, day):
    http_mocker.get(
        ReportRequestBuilder.for_stream("account_activity").with_time_unit(unit).with_started_at(day).build(),
        ReportResponseBuilder().with_element(account_element()).build(),
    )


def _windows(output):
    return sorted((r.record.data["startedAt"], r.record.data["endedAt"]) for r in output.records)


def test_week_windows_start_on_the_monday_of_the_start_date_and_cover_the_end_date(http_mocker):
    mock_token(http_mocker)
    _mock_window(http_mocker, "WEEK", "2024-01-01")  # Monday before Wednesday 2024-01-03
    _mock_window(http_mocker, "WEEK", "2024-01-08")

    config = ConfigBuilder().with_time_granularity("WEEK").with_start_date("2024-01-03").with_end_date("2024-01-10").build()
    output = read_streams(config, "account_activity")

    assert _windows(output) == [
        (epoch_ms("2024-01-01"), epoch_ms("2024-01-08")),
        (epoch_ms("2024-01-08"), epoch_ms("2024-01-15")),
    ]


def test_month_windows_start_on_the_first_and_end_at_the_next_first(http_mocker):
    mock_token(http_mocker)
    _mock_window(http_mocker, "MONTH", "2024-01-01")
    _mock_window(http_mocker, "MONTH", "2024-02-01")

    config = ConfigBuilder().with_time_granularity("MONTH").with_start_date("2024-01-15").with_end_date("2024-02-10").build()
    output = read_streams(config, "account_activity")

    assert _windows(output) == [
        (epoch_ms("2024-01-01"), epoch_ms("2024-02-01")),
        (epoch_ms("2024-02-01"), epoch_ms("2024-03-01")),
    ]


def test_a_custom_report_keeps_its_own_granularity(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder("GROUP", "CONTENT").with_time_unit("WEEK").with_started_at("2024-01-01").build(),
        ReportResponseBuilder().with_element(account_element()).build(),
    )

    config = ConfigBuilder().with_custom_report("weekly_by_group", "GROUP", "CONTENT", time_granularity="WEEK").with_end_date("2024-01-03").build()
    output = read_streams(config, "custom_weekly_by_group")

    assert _windows(output) == [(epoch_ms("2024-01-01"), epoch_ms("2024-01-08"))]
