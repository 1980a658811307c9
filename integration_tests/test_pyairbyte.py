"""End to end through PyAirbyte into DuckDB, as a data team runs the connector from Python."""

import datetime
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")  # no registry look-ups, no telemetry
os.environ.setdefault("DO_NOT_TRACK", "1")
ab = pytest.importorskip("airbyte", reason="PyAirbyte is a test dependency: pip install '.[tests]'")

from linkedin_learning_simulator import Simulator, SimulatorSettings  # noqa: E402

from demo.__main__ import docs_sql  # noqa: E402  (the docs' SQL blocks, as the demo runs them)
from integration_tests.harness import STREAMS  # noqa: E402

EXECUTABLE = Path(sys.executable).parent / "source-linkedin-learning"
CUSTOM_REPORT = {"name": "course_completions_by_group", "primary_aggregation": "GROUP", "secondary_aggregation": "CONTENT", "asset_type": "COURSE"}
CATALOG_STREAMS = ["learning_assets", "learning_classifications"]
ALL_STREAMS = [*STREAMS, "custom_course_completions_by_group", *CATALOG_STREAMS]
KEYS = {
    "account_activity": ["accountUrn", "startedAt"],
    "group_activity": ["groupUrn", "startedAt"],
    "individual_activity": ["learnerUrn", "startedAt"],
    "content_activity": ["contentUrn", "startedAt"],
    "individual_content_activity": ["learnerUrn", "contentUrn", "startedAt"],
    "custom_course_completions_by_group": ["groupUrn", "contentUrn", "startedAt"],
    "learning_assets": ["assetUrn", "locale"],
    "learning_classifications": ["classificationUrn", "locale"],
}


@pytest.fixture
def live_clock_simulator():
    """The simulator's clock at today noon, so the connector's own 'today' ends the range."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    noon = datetime.datetime(today.year, today.month, today.day, 12, tzinfo=datetime.timezone.utc)
    with Simulator(SimulatorSettings(now=noon.isoformat(), learners=30, courses=10)) as simulator:
        yield simulator


def _source(simulator, start_date):
    config = {
        "credentials": {
            "auth_method": "client_credentials",
            "client_id": simulator.settings.client_id,
            "client_secret": simulator.settings.client_secret,
        },
        "start_date": start_date,
        "api_url": simulator.base_url,
        "token_url": simulator.token_url,
        "custom_reports": [CUSTOM_REPORT],
        "catalog_asset_types": ["COURSE", "LEARNING_PATH", "VIDEO"],  # a reported video joins to its asset
    }
    source = ab.get_source("source-linkedin-learning", config=config, local_executable=EXECUTABLE)
    source.select_streams(ALL_STREAMS)
    return source


def _table(cache, stream):
    """A stream's rows without the columns that record when they were read."""
    frame = cache[stream].to_pandas()
    columns = sorted(c for c in frame.columns if not c.startswith("_airbyte") and c.lower() != "latestdataat")
    keys = [k.lower() for k in KEYS[stream]]
    frame = frame[columns].sort_values(keys).reset_index(drop=True)
    return frame.astype(str)


def test_full_then_incremental_sync_into_duckdb_equals_a_fresh_full_refresh(live_clock_simulator, tmp_path):
    simulator = live_clock_simulator
    start = (datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=4)).isoformat()
    source = _source(simulator, start)
    source.check()
    cache = ab.new_local_cache("incremental", cache_dir=tmp_path / "incremental")

    first = source.read(cache=cache)
    first_counts = {stream: len(first[stream].to_pandas()) for stream in ALL_STREAMS}
    assert all(count > 0 for count in first_counts.values()), first_counts

    simulator.advance(days=1)
    simulator.clear_requests()
    source.read(cache=cache)
    windows = {int(r["params"]["startedAt"]) for r in simulator.requests if "startedAt" in r["params"]}
    assert len(windows) <= 3, "the incremental sync read only the windows from the watermark on"

    fresh = ab.new_local_cache("fresh", cache_dir=tmp_path / "fresh")
    _source(simulator, start).read(cache=fresh, force_full_refresh=True)
    for stream in ALL_STREAMS:
        incremental, refreshed = _table(cache, stream), _table(fresh, stream)
        assert len(incremental) >= first_counts[stream]
        assert incremental.equals(refreshed), stream


# Completions of every content_activity row that joins to an en_US asset: each asset has one subject.
JOINED_COMPLETIONS = """
    select sum(activity.engagementValue)
    from (
        select contenturn, unnest(from_json(activities, '[{"engagementType": "VARCHAR", "engagementValue": "BIGINT",
                                                           "engagementMetricQualifier": "VARCHAR"}]')) as activity
        from content_activity
    )
    where activity.engagementType = 'COMPLETIONS' and activity.engagementMetricQualifier = 'TOTAL'
      and contenturn in (select asseturn from learning_assets where locale = 'en_US')
"""


def test_the_docs_sql_joins_the_synced_activity_to_the_catalog(live_clock_simulator, tmp_path):
    start = (datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=4)).isoformat()
    cache = ab.new_local_cache("catalog", cache_dir=tmp_path / "catalog")
    _source(live_clock_simulator, start).read(cache=cache, force_full_refresh=True)
    sql = docs_sql()
    assert list(sql) == ["Categories of each asset", "Activity with catalog titles", "Top courses by hours viewed", "Completions by subject"]

    with cache.get_sql_engine().connect() as connection:
        run = lambda title: connection.exec_driver_sql(sql[title]).fetchall()  # noqa: E731
        connection.exec_driver_sql(sql["Categories of each asset"])
        categories = connection.exec_driver_sql(
            "select type, count(*), count(distinct asseturn) from learning_asset_categories where locale = 'en_US' group by 1"
        ).fetchall()
        assets = connection.exec_driver_sql("select count(*) from learning_assets where locale = 'en_US'").fetchone()[0]
        activity = run("Activity with catalog titles")
        top = run("Top courses by hours viewed")
        subjects = run("Completions by subject")
        joined_completions = connection.exec_driver_sql(JOINED_COMPLETIONS).fetchone()[0]

    assert {row[0]: row[1:] for row in categories} == {kind: (assets, assets) for kind in ("TOPIC", "SUBJECT", "LIBRARY")}
    assert activity and all((provider == "LinkedIn") == (level is not None) for _, title, level, _, provider in activity)
    assert all(title for _, title, *_ in activity), "every row has a title, from the catalog or from the report"
    assert top and all(title and level and hours is not None and viewed > 0 for title, level, hours, viewed in top)
    assert subjects and sum(count for _, count in subjects) == joined_completions
