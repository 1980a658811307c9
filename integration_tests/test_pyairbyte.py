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

from integration_tests.harness import STREAMS  # noqa: E402

EXECUTABLE = Path(sys.executable).parent / "source-linkedin-learning"
CUSTOM_REPORT = {"name": "course_completions_by_group", "primary_aggregation": "GROUP", "secondary_aggregation": "CONTENT", "asset_type": "COURSE"}
ALL_STREAMS = [*STREAMS, "custom_course_completions_by_group"]
KEYS = {
    "account_activity": ["accountUrn", "startedAt"],
    "group_activity": ["groupUrn", "startedAt"],
    "individual_activity": ["learnerUrn", "startedAt"],
    "content_activity": ["contentUrn", "startedAt"],
    "individual_content_activity": ["learnerUrn", "contentUrn", "startedAt"],
    "custom_course_completions_by_group": ["groupUrn", "contentUrn", "startedAt"],
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
