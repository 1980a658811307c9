"""learning_classifications: libraries, subjects, topics and skills of each catalog locale, whole on every sync."""

import jsonschema

from airbyte_cdk.models import SyncMode

from .config import ConfigBuilder
from .request_builder import CatalogRequestBuilder
from .response_builder import DATA_ENGINEERING, DATA_SCIENCE, TECHNOLOGY, CatalogPageBuilder, classification, error_response
from .utils import config_errors, mock_token, read_streams, requests_made, run_discover

STREAM = "learning_classifications"
TYPES = ("LIBRARY", "SUBJECT", "TOPIC", "SKILL")
AIRFLOW = classification("urn:li:skill:52011", "SKILL", "Apache Airflow")
BY_TYPE = {"LIBRARY": TECHNOLOGY, "SUBJECT": DATA_SCIENCE, "TOPIC": DATA_ENGINEERING, "SKILL": AIRFLOW}


def _serve_locale(http_mocker, locale="en_US"):
    for kind in TYPES:
        http_mocker.get(
            CatalogRequestBuilder.classifications(kind, locale).build(),
            CatalogPageBuilder().with_element(classification(BY_TYPE[kind]["urn"], kind, f"{kind.title()} in {locale}", locale)).build(),
        )


def _schema() -> dict:
    catalog = run_discover(ConfigBuilder().build()).catalog.catalog
    return next(s.json_schema for s in catalog.streams if s.name == STREAM)


def test_each_locale_and_type_is_one_request_series_of_the_locale_and_type_finder(http_mocker):
    mock_token(http_mocker)
    _serve_locale(http_mocker, "en_US")
    _serve_locale(http_mocker, "fr_FR")

    output = read_streams(ConfigBuilder().with_catalog_locales("en_US", "fr_FR").build(), STREAM, sync_mode=SyncMode.full_refresh)

    keys = sorted((r.record.data["classificationUrn"], r.record.data["locale"]) for r in output.records)
    assert keys == sorted((c["urn"], locale) for c in BY_TYPE.values() for locale in ("en_US", "fr_FR"))
    assert len([c for c in requests_made(http_mocker) if c.method == "GET"]) == 8


def test_a_record_is_the_classification_as_sent_with_its_urn_locale_and_name_as_a_string(http_mocker):
    mock_token(http_mocker)
    _serve_locale(http_mocker)

    output = read_streams(ConfigBuilder().build(), STREAM, sync_mode=SyncMode.full_refresh)

    topic = next(r.record.data for r in output.records if r.record.data["type"] == "TOPIC")
    sent = classification(DATA_ENGINEERING["urn"], "TOPIC", "Topic in en_US")
    assert topic == {**sent, "classificationUrn": DATA_ENGINEERING["urn"], "locale": "en_US", "name": "Topic in en_US", "nameLocalized": sent["name"]}
    jsonschema.validate(topic, _schema())


def test_the_stream_offers_full_refresh_only():
    stream = next(s for s in run_discover(ConfigBuilder().build()).catalog.catalog.streams if s.name == STREAM)

    assert [mode.value for mode in stream.supported_sync_modes] == ["full_refresh"]
    assert stream.source_defined_primary_key == [["classificationUrn"], ["locale"]]


def test_a_403_is_the_config_error_naming_the_content_access(http_mocker):
    mock_token(http_mocker)
    http_mocker.get(
        CatalogRequestBuilder.classifications("LIBRARY").build(),
        error_response(403, "Not enough permissions to access: learningClassifications.GET.NO_VERSION", "ACCESS_DENIED"),
    )

    output = read_streams(ConfigBuilder().with_num_workers(1).build(), STREAM, sync_mode=SyncMode.full_refresh, expecting_exception=True)

    assert output.records == []
    assert config_errors(output)[0].startswith("LinkedIn Learning refused access to the course catalog (403 ACCESS_DENIED")
