"""Pages of one window: every request counts against LinkedIn's daily quota."""

from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder
from .response_builder import ReportResponseBuilder, account_element
from .utils import mock_token, read_streams, requests_made

DAY = "2024-01-01"


def _page(count, start=None):
    builder = ReportRequestBuilder.for_stream("account_activity").with_started_at(DAY).with_count(count)
    if start is not None:
        builder = builder.with_start(start)
    return builder.build()


def _elements(n):
    return [account_element() for _ in range(n)]


def test_second_page_is_requested_only_when_paging_total_says_there_is_more(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(_page(2), ReportResponseBuilder().with_elements(_elements(2)).with_total(5).build())
    http_mocker.get(_page(2, start=2), ReportResponseBuilder().with_elements(_elements(2)).with_paging(2, 2).with_total(5).build())
    http_mocker.get(_page(2, start=4), ReportResponseBuilder().with_elements(_elements(1)).with_paging(4, 2).with_total(5).build())

    output = read_streams(ConfigBuilder().with_page_size(2).build(), "account_activity")

    assert len(output.records) == 5
    assert len([c for c in requests_made(http_mocker) if c.method == "GET"]) == 3


def test_no_request_follows_a_full_last_page_when_paging_total_is_reached(http_mocker):
    mock_token(http_mocker)
    first, second = _page(2), _page(2, start=2)
    http_mocker.get(first, ReportResponseBuilder().with_elements(_elements(2)).with_total(4).build())
    http_mocker.get(second, ReportResponseBuilder().with_elements(_elements(2)).with_paging(2, 2).with_total(4).build())

    output = read_streams(ConfigBuilder().with_page_size(2).build(), "account_activity")

    assert len(output.records) == 4
    http_mocker.assert_number_of_calls(first, 1)
    http_mocker.assert_number_of_calls(second, 1)
    assert len([c for c in requests_made(http_mocker) if c.method == "GET"]) == 2


def test_first_page_is_sent_without_start(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(_page(100), ReportResponseBuilder().with_elements(_elements(1)).build())

    read_streams(ConfigBuilder().build(), "account_activity")

    (report_call,) = [c for c in requests_made(http_mocker) if c.method == "GET"]
    assert "start" not in report_call.qs


def test_a_short_page_ends_the_window_when_paging_total_is_missing(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(_page(2), ReportResponseBuilder().with_elements(_elements(2)).with_total(None).build())
    http_mocker.get(_page(2, start=2), ReportResponseBuilder().with_elements(_elements(1)).with_paging(2, 2).with_total(None).build())

    output = read_streams(ConfigBuilder().with_page_size(2).build(), "account_activity")

    assert len(output.records) == 3
    assert len([c for c in requests_made(http_mocker) if c.method == "GET"]) == 2


def test_an_empty_page_ends_the_window_when_paging_total_is_missing(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(_page(2), ReportResponseBuilder().with_elements(_elements(2)).with_total(None).build())
    http_mocker.get(_page(2, start=2), ReportResponseBuilder().with_paging(2, 2).with_total(None).build())

    output = read_streams(ConfigBuilder().with_page_size(2).build(), "account_activity")

    assert len(output.records) == 2
    assert len([c for c in requests_made(http_mocker) if c.method == "GET"]) == 2


def test_an_empty_window_costs_one_request(http_mocker):
    mock_token(http_mocker)
    empty = _page(100)
    http_mocker.get(empty, ReportResponseBuilder().with_total(0).build())

    output = read_streams(ConfigBuilder().build(), "account_activity")

    assert output.records == []
    http_mocker.assert_number_of_calls(empty, 1)


def test_a_window_without_paging_at_all_costs_one_request(http_mocker):
    mock_token(http_mocker)
    empty = _page(100)
    http_mocker.get(empty, ReportResponseBuilder().without_paging().build())

    output = read_streams(ConfigBuilder().build(), "account_activity")

    assert output.records == []
    http_mocker.assert_number_of_calls(empty, 1)


def test_the_next_link_past_paging_total_is_not_followed(http_mocker):
    """The contract's own example has a `next` link although total is reached."""
    import json

    from airbyte_cdk.test.mock_http import HttpResponse

    mock_token(http_mocker)
    page = _page(1)
    body = {
        "elements": [account_element()],
        "paging": {"total": 1, "count": 1, "start": 0, "links": [{"rel": "next", "href": "/v2/learningActivityReports?start=1", "type": "application/json"}]},
    }
    http_mocker.get(page, HttpResponse(json.dumps(body), 200))

    output = read_streams(ConfigBuilder().with_page_size(1).build(), "account_activity")

    assert len(output.records) == 1
    http_mocker.assert_number_of_calls(page, 1)
