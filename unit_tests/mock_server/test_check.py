"""check: one token and one page of account_activity for a recent day."""

from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder
from .response_builder import ReportResponseBuilder, account_element, error_response
from .utils import connection_status, mock_token, run_check

PROBE_DAY = "2024-01-08"  # two days before the end date


def test_check_succeeds_after_reading_one_page_two_days_before_the_end_date(http_mocker):
    mock_token(http_mocker)
    probe = ReportRequestBuilder.for_stream("account_activity").with_started_at(PROBE_DAY).build()
    http_mocker.get(probe, ReportResponseBuilder().with_element(account_element()).build())

    status = connection_status(run_check(ConfigBuilder().with_end_date("2024-01-10").build()))

    assert status.status.name == "SUCCEEDED"
    http_mocker.assert_number_of_calls(probe, 1)


def test_check_succeeds_on_a_day_without_activity(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder.for_stream("account_activity").with_started_at(PROBE_DAY).build(),
        ReportResponseBuilder().with_total(0).build(),
    )

    status = connection_status(run_check(ConfigBuilder().with_end_date("2024-01-10").build()))

    assert status.status.name == "SUCCEEDED"


def test_check_fails_with_the_api_access_message_on_403(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder.for_stream("account_activity").with_started_at(PROBE_DAY).build(),
        error_response(403, "Access to LinkedIn Learning APIs requires Partner Program membership", "FORBIDDEN"),
    )

    status = connection_status(run_check(ConfigBuilder().with_end_date("2024-01-10").build()))

    assert status.status.name == "FAILED"
    assert "Learning reports API" in status.message
