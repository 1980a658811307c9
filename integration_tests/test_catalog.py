"""The course catalog against the simulator: every asset and classification once per locale, the
activity that joins to it, exactly the changed assets on an incremental sync, and an application
without content access."""

import logging
import math
from collections import Counter

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.state_builder import StateBuilder

from integration_tests.harness import STREAMS, config_for, run_read, state_messages_for
from source_linkedin_learning.catalog import changed_at
from source_linkedin_learning.source import SourceLinkedinLearning

ASSETS, CLASSIFICATIONS = "learning_assets", "learning_classifications"
ASSET_TYPES = ("COURSE", "LEARNING_PATH", "VIDEO")
CLASSIFICATION_TYPES = ("LIBRARY", "SUBJECT", "TOPIC", "SKILL")
LOCALES = ("en_US", "de_DE")
DAY_MS = 86_400_000
CUSTOM_CONTENT = "urn:li:learningCustomContent:"


def _config(simulator, **overrides):
    return config_for(simulator, catalog_locales=list(LOCALES), catalog_asset_types=list(ASSET_TYPES), **overrides)


def _served_assets(simulator, locales=LOCALES, asset_types=ASSET_TYPES):
    """(urn, locale) of every asset the simulator's localeAndType finder serves, retired ones included."""
    return [
        (element["urn"], locale)
        for locale in locales
        for asset_type in asset_types
        for element in simulator.learning_assets(asset_type, *locale.split("_"), include_retired=True)
    ]


def _keys(output, stream, urn_field):
    return [(m.record.data[urn_field], m.record.data["locale"]) for m in output.records if m.record.stream == stream]


def test_a_full_sync_of_every_stream_gives_the_whole_catalog_once_per_locale_and_every_linkedin_content_urn_joins(simulator):
    output = run_read(_config(simulator), [*STREAMS, ASSETS, CLASSIFICATIONS], mode=SyncMode.full_refresh)

    assets = _keys(output, ASSETS, "assetUrn")
    assert sorted(assets) == sorted(_served_assets(simulator))  # each exactly once: no key twice
    retired = [m.record.data for m in output.records if m.record.stream == ASSETS and m.record.data.get("retiredAt")]
    assert retired and all(record["availability"] == "RETIRED" for record in retired)
    classifications = _keys(output, CLASSIFICATIONS, "classificationUrn")
    served = [(c["urn"], locale) for locale in LOCALES for kind in CLASSIFICATION_TYPES for c in simulator.learning_classifications(kind, *locale.split("_"))]
    assert sorted(classifications) == sorted(served)

    catalog_urns = {urn for urn, _ in assets}
    provided = Counter()
    for message in output.records:
        data = message.record.data
        if message.record.stream not in STREAMS or "contentUrn" not in data:
            continue
        provider = data["contentDetails"]["contentProviderName"]
        provided[provider == "LinkedIn"] += 1
        if provider == "LinkedIn":
            assert data["contentUrn"] in catalog_urns, (message.record.stream, data["contentUrn"])
        else:  # custom and third-party content: no catalog entry, a left join
            assert data["contentUrn"].startswith(CUSTOM_CONTENT) and data["contentUrn"] not in catalog_urns
    assert provided[True] and provided[False], provided


def test_the_catalog_costs_exactly_the_pages_that_hold_it(simulator):
    simulator.configure(courses=60)  # more than 100 videos in en_US: several pages
    simulator.clear_requests()

    run_read(_config(simulator), [ASSETS, CLASSIFICATIONS], mode=SyncMode.full_refresh)

    sizes = {
        (asset_type, locale): len(simulator.learning_assets(asset_type, *locale.split("_"), include_retired=True))
        for asset_type in ASSET_TYPES
        for locale in LOCALES
    }
    sizes.update(
        {(kind, locale): len(simulator.learning_classifications(kind, *locale.split("_"))) for kind in CLASSIFICATION_TYPES for locale in LOCALES}
    )
    assert max(sizes.values()) > 100
    catalog_requests = [r for r in simulator.requests if r["path"] in ("/v2/learningAssets", "/v2/learningClassifications")]
    assert {r["params"]["count"] for r in catalog_requests} == {"100"}
    assert len(catalog_requests) == sum(max(1, math.ceil(size / 100)) for size in sizes.values())


def test_a_second_incremental_sync_writes_exactly_the_changed_assets_whatever_the_criteria_finder_would_say(simulator):
    # The criteria finder's reported quirks: a capped total, and stale rows for a filter over 24 h back.
    simulator.configure(catalog_modified_total=500, catalog_stale_after_hours=24)
    config = _config(simulator)
    first = run_read(config, [ASSETS])
    state = state_messages_for(first, ASSETS)[-1]
    saved = state.stream.stream_state.lastUpdatedAt
    data = [message.record.data for message in first.records]
    looked_back = {(record["assetUrn"], record["locale"]) for record in data if changed_at(record) >= saved - DAY_MS}

    simulator.advance(days=2)
    touched = simulator.touch_assets(3)
    retired = simulator.touch_assets(1, retire=True, asset_type="COURSE")  # a course retires with its videos
    changed = {
        (element["urn"], locale)
        for locale in LOCALES
        for asset_type in ASSET_TYPES
        for element in simulator.learning_assets(asset_type, *locale.split("_"), include_retired=True)
        if element["details"]["lastUpdatedAt"] == simulator.now_ms
    }
    assert {urn for urn, _ in changed} >= set(touched + retired)

    second = run_read(config, [ASSETS], state=[state])

    written = _keys(second, ASSETS, "assetUrn")
    assert sorted(written) == sorted(changed | looked_back)
    records = [m.record.data for m in second.records]
    retirements = [record for record in records if record["assetUrn"] in retired]
    assert retirements and all(record["availability"] == "RETIRED" and record["retiredAt"] == simulator.now_ms for record in retirements)
    assert state_messages_for(second, ASSETS)[-1].stream.stream_state.lastUpdatedAt == simulator.now_ms


def test_a_full_refresh_writes_every_asset_whatever_the_saved_state(simulator):
    state = StateBuilder().with_stream_state(ASSETS, {"lastUpdatedAt": simulator.now_ms}).build()

    output = run_read(_config(simulator), [ASSETS], state=state, mode=SyncMode.full_refresh)

    assert sorted(_keys(output, ASSETS, "assetUrn")) == sorted(_served_assets(simulator))


def test_without_content_access_check_succeeds_saying_so_and_a_catalog_sync_stops_naming_the_streams_to_deselect(simulator):
    simulator.configure(catalog_access=False)
    config = _config(simulator)

    status = SourceLinkedinLearning(config=config).check(logging.getLogger("airbyte"), config)
    reports = run_read(config, ["account_activity"])
    catalog = run_read(config, [ASSETS, CLASSIFICATIONS], expect_failure=True)

    assert status.status.name == "SUCCEEDED"
    assert "can read the activity reports but not the course catalog" in status.message
    assert reports.records
    messages = {m.trace.error.message for m in catalog.errors if "did not sync successfully" not in m.trace.error.message}
    assert len(messages) == 1 and catalog.records == []
    (message,) = messages
    assert message.startswith("LinkedIn Learning refused access to the course catalog (403 ACCESS_DENIED")
    assert "deselect the streams learning_assets and learning_classifications" in message
