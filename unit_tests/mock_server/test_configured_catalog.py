"""The configured catalog: a stream the source does not have stops the sync before it starts."""

from .config import ConfigBuilder
from .request_builder import ReportRequestBuilder
from .response_builder import GROUP_URN, ReportResponseBuilder, element
from .utils import config_errors, mock_token, read_streams, requests_made

DAY = "2024-01-01"


def test_a_stream_the_source_does_not_have_is_a_config_error_that_names_it_and_sends_nothing(http_mocker):
    output = read_streams(ConfigBuilder().build(), "account_activity", "no_such_stream", expecting_exception=True)

    assert config_errors(output) == [
        "The catalog asks for streams this source does not have: no_such_stream. Refresh the source's schema "
        "(in Airbyte, 'Refresh source schema' on the connection's Schema tab; from a shell, run discover) and select "
        "the streams again: a custom_<name> stream exists only while 'custom_reports' defines <name>."
    ]
    assert output.records == []
    assert requests_made(http_mocker) == []


def test_the_stream_of_a_removed_custom_report_is_named_with_every_other_unknown_stream(http_mocker):
    config = ConfigBuilder().with_custom_report("bar", "GROUP").build()  # custom_foo was removed from the config

    output = read_streams(config, "custom_foo", "custom_bar", "old_stream", expecting_exception=True)

    (message,) = config_errors(output)
    assert "does not have: custom_foo, old_stream." in message
    assert "Refresh the source's schema" in message
    assert requests_made(http_mocker) == []


def test_the_stream_of_a_defined_custom_report_is_read(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        ReportRequestBuilder("GROUP").with_started_at(DAY).build(),
        ReportResponseBuilder().with_element(element(entity={"groupUrn": GROUP_URN})).build(),
    )

    output = read_streams(ConfigBuilder().with_custom_report("foo", "GROUP").build(), "custom_foo")

    assert len(output.records) == 1


def test_a_wrong_config_is_the_error_shown_even_when_the_catalog_names_its_custom_stream(http_mocker):
    config = ConfigBuilder().with_custom_report("foo", "GROUP", asset_type="PODCAST").build()

    output = read_streams(config, "custom_foo", expecting_exception=True)

    (message,) = config_errors(output)
    assert "asset_type" in message and "does not have" not in message
    assert requests_made(http_mocker) == []
