"""Options the user sets that change the request: referer, language, content source, custom filters."""

import pytest

from .utils import FIXED_STREAMS
from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder
from .response_builder import ReportResponseBuilder, account_element
from .utils import mock_token, read_streams, requests_made

DAY = "2024-01-01"


def _ok():
    return ReportResponseBuilder().with_element(account_element()).build()


def test_no_referer_header_is_sent_when_none_is_configured(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(ReportRequestBuilder.for_stream("account_activity").with_started_at(DAY).build(), _ok())

    read_streams(ConfigBuilder().build(), "account_activity")

    (report_call,) = [c for c in requests_made(http_mocker) if c.method == "GET"]
    assert "referer" not in {name.lower() for name in report_call.headers}


def test_partners_send_their_urn_in_the_referer_header(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder.for_stream("account_activity").with_started_at(DAY).with_referer("urn:li:partner:12345").build(), _ok()
    )

    output = read_streams(ConfigBuilder().with_referer("urn:li:partner:12345").build(), "account_activity")

    assert len(output.records) == 1


def test_locale_language_and_content_source_filter_the_report(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder.for_stream("account_activity")
        .with_started_at(DAY)
        .with_locale_language("de")
        .with_content_source("ORGANIZATION")
        .build(),
        _ok(),
    )

    config = ConfigBuilder().with_locale_language("de").with_content_source("ORGANIZATION").build()
    output = read_streams(config, "account_activity")

    assert len(output.records) == 1


def test_page_size_is_sent_as_count(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(ReportRequestBuilder.for_stream("account_activity").with_started_at(DAY).with_count(1000).build(), _ok())

    output = read_streams(ConfigBuilder().with_page_size(1000).build(), "account_activity")

    assert len(output.records) == 1


def test_a_custom_report_sends_its_own_aggregations_and_filters(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder("ACCOUNT", "CONTENT")
        .with_started_at(DAY)
        .with_content_source("LINKEDIN_LEARNING")
        .with_asset_type("COURSE")
        .with_locale_language("fr")
        .build(),
        _ok(),
    )

    config = (
        ConfigBuilder()
        .with_locale_language("en")
        .with_custom_report("courses_by_account", "ACCOUNT", "CONTENT", content_source="LINKEDIN_LEARNING", asset_type="COURSE", locale_language="fr")
        .build()
    )
    output = read_streams(config, "custom_courses_by_account")

    assert len(output.records) == 1


def test_a_custom_report_inherits_the_top_level_content_source_and_language(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder("GROUP").with_started_at(DAY).with_content_source("THIRD_PARTY").with_locale_language("en").build(),
        _ok(),
    )

    config = ConfigBuilder().with_content_source("THIRD_PARTY").with_locale_language("en").with_custom_report("by_group", "GROUP").build()
    output = read_streams(config, "custom_by_group")

    assert len(output.records) == 1


@pytest.mark.parametrize("content_source", ["ALL_SOURCES", "LINKEDIN_LEARNING", "ORGANIZATION", "THIRD_PARTY"])
def test_each_content_source_of_linkedins_reference_is_sent_as_configured(content_source, http_mocker):
    mock_token(http_mocker)
    http_mocker.get(ReportRequestBuilder.for_stream("account_activity").with_started_at(DAY).with_content_source(content_source).build(), _ok())

    output = read_streams(ConfigBuilder().with_content_source(content_source).build(), "account_activity")

    assert len(output.records) == 1


def test_the_contracts_custom_content_is_sent_as_organization_by_every_stream(http_mocker):
    """LinkedIn's reference knows admin-created content as ORGANIZATION only; configs written
    with the contract's CUSTOM_CONTENT keep working."""
    mock_token(http_mocker)
    for stream in FIXED_STREAMS:
        http_mocker.get(ReportRequestBuilder.for_stream(stream).with_started_at(DAY).with_content_source("ORGANIZATION").build(), _ok())

    output = read_streams(ConfigBuilder().with_content_source("CUSTOM_CONTENT").build(), *FIXED_STREAMS)

    assert len(output.records) == len(FIXED_STREAMS)


@pytest.mark.parametrize(
    "top_level,report_level",
    [("CUSTOM_CONTENT", None), ("LINKEDIN_LEARNING", "CUSTOM_CONTENT")],
    ids=["inherited_from_the_top_level", "set_on_the_report"],
)
def test_a_custom_reports_custom_content_is_sent_as_organization(top_level, report_level, http_mocker):
    mock_token(http_mocker)
    http_mocker.get(ReportRequestBuilder("GROUP").with_started_at(DAY).with_content_source("ORGANIZATION").build(), _ok())

    options = {"content_source": report_level} if report_level else {}
    config = ConfigBuilder().with_content_source(top_level).with_custom_report("by_group", "GROUP", **options).build()
    output = read_streams(config, "custom_by_group")

    assert len(output.records) == 1
