"""A wrong config is refused before any request, with a message that names the field."""

import datetime

import pytest

from source_linkedin_learning.config import ConfigError, parse_config
from source_linkedin_learning.source import SourceLinkedinLearning

from .config import CLIENT_ID, CLIENT_SECRET, ConfigBuilder
from .utils import config_errors, connection_status, read_streams, requests_made, run_check

FUTURE = (datetime.date.today() + datetime.timedelta(days=400)).isoformat()

# (case id, changes to a valid config, the field the message must name)
WRONG = [
    ("page_size_wrong_type", {"page_size": "abc"}, "page_size"),
    ("page_size_zero", {"page_size": 0}, "page_size"),
    ("page_size_too_big", {"page_size": 1001}, "page_size"),
    ("num_workers_too_big", {"num_workers": 17}, "num_workers"),
    ("num_workers_wrong_type", {"num_workers": "4"}, "num_workers"),
    ("lookback_days_negative", {"lookback_days": -1}, "lookback_days"),
    ("lookback_days_too_big", {"lookback_days": 31}, "lookback_days"),
    ("lookback_days_fraction", {"lookback_days": 1.5}, "lookback_days"),
    ("lookback_days_boolean", {"lookback_days": True}, "lookback_days"),
    ("start_date_malformed", {"start_date": "2024/01/01"}, "start_date"),
    ("start_date_impossible", {"start_date": "2024-02-30"}, "start_date"),
    ("start_date_missing", {"start_date": None}, "start_date"),
    ("start_date_in_future", {"start_date": FUTURE, "end_date": FUTURE}, "start_date"),
    ("end_date_malformed", {"end_date": "yesterday"}, "end_date"),
    ("end_date_impossible", {"end_date": "2023-02-29"}, "end_date"),
    ("start_after_end", {"start_date": "2024-02-01", "end_date": "2024-01-01"}, "start_date"),
    ("time_granularity_unknown", {"time_granularity": "YEAR"}, "time_granularity"),
    ("content_source_unknown", {"content_source": "EVERYTHING"}, "content_source"),
    ("locale_language_upper_case", {"locale_language": "EN"}, "locale_language"),
    ("auth_method_unknown", {"credentials": {"auth_method": "basic"}}, "credentials.auth_method"),
    ("client_secret_missing", {"credentials": {"auth_method": "client_credentials", "client_id": CLIENT_ID}}, "credentials.client_secret"),
    ("access_token_empty", {"credentials": {"auth_method": "access_token", "access_token": ""}}, "credentials.access_token"),
    # A credential of a character or two is refused: the CDK would mask those letters in every message.
    ("client_id_one_character", {"credentials": {"auth_method": "client_credentials", "client_id": "a", "client_secret": CLIENT_SECRET}}, "credentials.client_id"),
    ("client_secret_too_short", {"credentials": {"auth_method": "client_credentials", "client_id": CLIENT_ID, "client_secret": "se"}}, "credentials.client_secret"),
    ("refresh_token_too_short", {"credentials": {"auth_method": "oauth2_refresh_token", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": "r"}}, "credentials.refresh_token"),
    ("access_token_too_short", {"credentials": {"auth_method": "access_token", "access_token": "tok  "}}, "credentials.access_token"),
    ("referer_wrong_type", {"referer": 5}, "referer"),
    ("custom_report_name_not_snake_case", {"custom_reports": [{"name": "Bad Name", "primary_aggregation": "ACCOUNT"}]}, "name"),
    ("custom_report_aggregation_unknown", {"custom_reports": [{"name": "ok", "primary_aggregation": "COUNTRY"}]}, "primary_aggregation"),
    (
        "custom_report_secondary_same_as_primary",
        {"custom_reports": [{"name": "ok", "primary_aggregation": "GROUP", "secondary_aggregation": "GROUP"}]},
        "secondary_aggregation",
    ),
    ("catalog_locales_a_string", {"catalog_locales": "en_US"}, "'catalog_locales'"),
    ("catalog_locales_empty", {"catalog_locales": []}, "'catalog_locales'"),
    ("catalog_locales_language_only", {"catalog_locales": ["en_US", "de"]}, "'catalog_locales[1]'"),
    ("catalog_locales_with_a_hyphen", {"catalog_locales": ["en-US"]}, "'catalog_locales[0]'"),
    ("catalog_asset_types_unknown", {"catalog_asset_types": ["COURSE", "BOOK"]}, "'catalog_asset_types[1]'"),
    ("catalog_asset_types_a_string", {"catalog_asset_types": "COURSE"}, "'catalog_asset_types'"),
    ("include_retired_a_string", {"include_retired": "yes"}, "'include_retired'"),
]
IDS = [case[0] for case in WRONG]


def _config(changes):
    config = ConfigBuilder().build()
    for key, value in changes.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    return config


@pytest.mark.parametrize("case,changes,field", WRONG, ids=IDS)
def test_parse_config_names_the_wrong_field(case, changes, field):
    with pytest.raises(ConfigError) as error:
        parse_config(_config(changes))
    assert field in error.value.message


@pytest.mark.parametrize("case,changes,field", WRONG, ids=IDS)
def test_check_fails_with_a_message_naming_the_field(case, changes, field, http_mocker):
    status = connection_status(run_check(_config(changes)))

    assert status.status.name == "FAILED"
    assert field in status.message
    assert requests_made(http_mocker) == []


@pytest.mark.parametrize("case,changes,field", WRONG, ids=IDS)
def test_read_with_a_wrong_config_emits_a_config_error_and_sends_nothing(case, changes, field, http_mocker):
    output = read_streams(_config(changes), "account_activity", expecting_exception=True)

    assert output.records == []
    assert config_errors(output), output.get_formatted_error_message()
    assert requests_made(http_mocker) == []


# One root cause; a few cases are enough to show it in `read`.
READ_NAMING = [case for case in WRONG if case[0] in ("page_size_too_big", "time_granularity_unknown", "start_after_end", "locale_language_upper_case")]


@pytest.mark.parametrize("case,changes,field", READ_NAMING, ids=[case[0] for case in READ_NAMING])
def test_read_config_error_names_the_field(case, changes, field, http_mocker):
    output = read_streams(_config(changes), "account_activity", expecting_exception=True)

    assert any(field in message for message in config_errors(output)), config_errors(output)


def test_defaults_fill_in_what_the_user_left_out():
    settings = parse_config(ConfigBuilder().without("api_url").build())

    assert (settings.time_granularity, settings.lookback_days, settings.content_source, settings.page_size, settings.num_workers) == (
        "DAY",
        1,
        "ALL_SOURCES",
        100,
        4,
    )
    assert settings.api_url == "https://api.linkedin.com"
    assert settings.token_url == "https://www.linkedin.com/oauth/v2/accessToken"


def test_the_catalog_defaults_are_english_courses_and_learning_paths_retired_ones_included():
    settings = parse_config(ConfigBuilder().build())

    assert (settings.catalog_locales, settings.catalog_asset_types, settings.include_retired) == (("en_US",), ("COURSE", "LEARNING_PATH"), True)


def test_a_catalog_locale_or_asset_type_listed_twice_is_read_once():
    config = ConfigBuilder().with_field("catalog_locales", ["en_US", "de_DE", "en_US"]).with_field("catalog_asset_types", ["VIDEO", "VIDEO"]).build()

    settings = parse_config(config)

    assert (settings.catalog_locales, settings.catalog_asset_types) == (("en_US", "de_DE"), ("VIDEO",))


def test_an_end_date_in_the_future_is_cut_to_today():
    settings = parse_config(ConfigBuilder().with_end_date(FUTURE).build())

    assert settings.end_date == datetime.datetime.now(datetime.timezone.utc).date()


def test_custom_report_names_must_be_unique():
    with pytest.raises(ConfigError) as error:
        parse_config(ConfigBuilder().with_custom_report("dup", "ACCOUNT").with_custom_report("dup", "GROUP").build())
    assert "custom_reports[1]" in error.value.message


def test_credentials_of_eight_characters_are_accepted():
    settings = parse_config(ConfigBuilder().with_client_credentials(client_id="8chars-i", client_secret="8chars-s").build())

    assert settings.auth_method == "client_credentials"


def test_a_too_short_credential_is_named_without_its_value():
    with pytest.raises(ConfigError) as error:
        parse_config(ConfigBuilder().with_client_credentials(client_id="ab7").build())

    assert error.value.message == (
        "Config field 'credentials.client_id' is too short to be a real credential (fewer than 8 characters): "
        "paste the whole value as LinkedIn issued it."
    )


def test_the_spec_offers_linkedins_content_sources_and_still_accepts_custom_content():
    properties = SourceLinkedinLearning().spec(None).connectionSpecification["properties"]  # type: ignore[arg-type]
    report_properties = properties["custom_reports"]["items"]["properties"]

    for enum in (properties["content_source"]["enum"], report_properties["content_source"]["enum"]):
        assert enum == ["ALL_SOURCES", "LINKEDIN_LEARNING", "ORGANIZATION", "THIRD_PARTY", "CUSTOM_CONTENT"]
    assert "CUSTOM_CONTENT" in properties["content_source"]["description"] and "ORGANIZATION" in properties["content_source"]["description"]


@pytest.mark.parametrize("where", ["top_level", "custom_report"])
def test_an_unknown_content_source_lists_linkedins_values(where):
    config = ConfigBuilder().with_content_source("EVERYTHING") if where == "top_level" else ConfigBuilder().with_custom_report("r", "GROUP", content_source="EVERYTHING")
    with pytest.raises(ConfigError) as error:
        parse_config(config.build())

    assert "content_source' must be one of ALL_SOURCES, LINKEDIN_LEARNING, ORGANIZATION, THIRD_PARTY; got 'EVERYTHING'." in error.value.message
