"""check: one token, one page of account_activity for a recent day, then one page of the catalog:
it fails only when reports are refused, and says whether the catalog can be read too."""

from .config import ConfigBuilder
from .request_builder import CatalogRequestBuilder, ReportRequestBuilder
from .response_builder import CatalogPageBuilder, ReportResponseBuilder, TECHNOLOGY, account_element, error_response
from .utils import connection_status, mock_token, run_check

PROBE_DAY = "2024-01-08"  # two days before the end date
CONTENT_PROBE = CatalogRequestBuilder.classifications("LIBRARY", "en_US")


def _config():
    return ConfigBuilder().with_end_date("2024-01-10").build()


def _reports_answer(http_mocker, response=None):
    probe = ReportRequestBuilder.for_stream("account_activity").with_started_at(PROBE_DAY).build()
    http_mocker.get(probe, response or ReportResponseBuilder().with_element(account_element()).build())
    return probe


def test_check_succeeds_after_one_page_of_reports_and_one_of_the_catalog(http_mocker):
    mock_token(http_mocker)
    reports = _reports_answer(http_mocker)
    content = CONTENT_PROBE.build()
    http_mocker.get(content, CatalogPageBuilder().with_element(TECHNOLOGY).build())

    status = connection_status(run_check(_config()))

    assert status.status.name == "SUCCEEDED"
    assert status.message == "Connected: these credentials can read the activity reports and the course catalog."
    http_mocker.assert_number_of_calls(reports, 1)
    http_mocker.assert_number_of_calls(content, 1)


def test_check_succeeds_on_a_day_without_activity(http_mocker):
    mock_token(http_mocker)
    _reports_answer(http_mocker, ReportResponseBuilder().with_total(0).build())
    http_mocker.get(CONTENT_PROBE.build(), CatalogPageBuilder().with_element(TECHNOLOGY).build())

    status = connection_status(run_check(_config()))

    assert status.status.name == "SUCCEEDED"


def test_check_asks_the_catalog_in_the_first_configured_locale(http_mocker):
    mock_token(http_mocker)
    _reports_answer(http_mocker)
    http_mocker.get(CatalogRequestBuilder.classifications("LIBRARY", "de_DE").build(), CatalogPageBuilder().with_element(TECHNOLOGY).build())

    status = connection_status(run_check(ConfigBuilder().with_end_date("2024-01-10").with_catalog_locales("de_DE", "en_US").build()))

    assert status.status.name == "SUCCEEDED"


def test_check_succeeds_without_content_access_and_says_what_is_missing(http_mocker):
    mock_token(http_mocker)
    _reports_answer(http_mocker)
    http_mocker.get(CONTENT_PROBE.build(), error_response(403, "Not enough permissions to access: learningClassifications.GET.NO_VERSION", "ACCESS_DENIED"))

    status = connection_status(run_check(_config()))

    assert status.status.name == "SUCCEEDED"
    assert status.message.startswith(
        "Connected: these credentials can read the activity reports but not the course catalog. "
        "LinkedIn Learning refused access to the course catalog (403 ACCESS_DENIED"
    )
    assert '"Content" access' in status.message and "deselect the streams learning_assets and learning_classifications" in status.message


def test_check_succeeds_when_the_catalog_fails_otherwise_and_says_it_could_not_tell(http_mocker):
    mock_token(http_mocker)
    _reports_answer(http_mocker)
    http_mocker.get(CONTENT_PROBE.build(), error_response(400, "Invalid query parameters passed to request", "INVALID_PARAMS"))

    status = connection_status(run_check(_config()))

    assert status.status.name == "SUCCEEDED"
    assert status.message.startswith(
        "Connected: these credentials can read the activity reports; whether they can read the course catalog could not "
        "be checked (LinkedIn Learning rejected the catalog request (400 INVALID_PARAMS"
    )


def test_check_fails_with_the_api_access_message_on_403(http_mocker):
    mock_token(http_mocker)
    _reports_answer(http_mocker, error_response(403, "Access to LinkedIn Learning APIs requires Partner Program membership", "FORBIDDEN"))

    status = connection_status(run_check(_config()))

    assert status.status.name == "FAILED"
    assert "Learning reports API" in status.message
