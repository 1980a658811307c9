"""Runs the connector's main job end to end against the simulator, into a local DuckDB.

`make demo` (or `python -m demo` in the project's environment): check, discover, a full sync of
every stream and one custom report, then an incremental sync after the simulator's clock moves
a day (and LinkedIn's catalog changes a few courses), then two tables that join the activity to
the course catalog, with the SQL of the docs. PyAirbyte runs the installed
`source-linkedin-learning` script, offline.
"""

import argparse
import datetime
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")  # no registry look-ups, no telemetry
os.environ.setdefault("DO_NOT_TRACK", "1")

import airbyte as ab  # noqa: E402

from linkedin_learning_simulator import Simulator, SimulatorSettings  # noqa: E402

EXECUTABLE = Path(sys.executable).parent / "source-linkedin-learning"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "linkedin-learning.md"
CUSTOM_REPORT = {
    "name": "course_completions_by_group",
    "primary_aggregation": "GROUP",
    "secondary_aggregation": "CONTENT",
    "asset_type": "COURSE",
}
TOTALS = """
    with engagement as (
        select {entity} as entity,
               unnest(from_json(activities, '[{{"engagementType": "VARCHAR", "engagementValue": "BIGINT",
                                               "engagementMetricQualifier": "VARCHAR"}}]')) as activity
        from {table}
    )
    select entity as "{label}", sum(activity.engagementValue) as "{metric}"
    from engagement
    where activity.engagementType = '{engagement}' and activity.engagementMetricQualifier = 'TOTAL'
    group by 1 order by 2 desc, 1 limit 5
"""


def _say(text: str = "") -> None:
    print(text, flush=True)


def docs_sql() -> dict:
    """The SQL blocks of the docs' "SQL over the catalog", by their first line's comment."""
    section = DOCS.read_text().split("### SQL over the catalog", 1)[1].split("\n## ", 1)[0]
    return {title: f"-- {title}\n{body}" for title, body in re.findall(r"```sql\n-- (.*?)\n(.*?)```", section, re.S)}


def _state(cache) -> dict:
    """The saved cursor of each incremental stream: `latestDataAt` of the reports, `lastUpdatedAt` of the catalog."""
    provider = cache.get_state_provider("source-linkedin-learning")
    saved = {s.stream_descriptor.name: getattr(s.stream_state, "latestDataAt", None) or getattr(s.stream_state, "lastUpdatedAt", None) for s in provider.stream_state_artifacts}
    return {name: value for name, value in saved.items() if value is not None}


def _as_time(ms: int) -> str:
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _sql_table(cache, title: str, **query) -> None:
    _say(f"\n{title}")
    with cache.get_sql_engine().connect() as connection:
        rows = connection.exec_driver_sql(TOTALS.format(**query)).fetchall()
    width = max([len(str(row[0])) for row in rows] + [len(query["label"])])
    _say(f"  {query['label']:<{width}}  {query['metric']:>12}")
    for entity, value in rows:
        _say(f"  {str(entity):<{width}}  {value:>12}")


def _query_table(connection, title: str, sql: str) -> None:
    _say(f"\n{title}")
    result = connection.exec_driver_sql(sql)
    columns, rows = list(result.keys()), result.fetchall()
    widths = [max(len(str(value)) for value in [column, *(row[i] for row in rows)]) for i, column in enumerate(columns)]
    for row in [columns, *rows]:
        _say("  " + "  ".join(f"{str(value):<{width}}" for value, width in zip(row, widths)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--days", type=int, default=14, help="days of history to sync")
    parser.add_argument("--cache-dir", default=".demo", help="where the DuckDB file is written")
    args = parser.parse_args()

    today = datetime.datetime.now(datetime.timezone.utc).date()
    noon_yesterday = datetime.datetime(today.year, today.month, today.day, 12, tzinfo=datetime.timezone.utc) - datetime.timedelta(days=1)
    settings = SimulatorSettings(now=noon_yesterday.isoformat(), learners=args.learners, groups=8, courses=40, days=args.days + 16)
    with Simulator(settings) as simulator:
        _say(f"LinkedIn Learning simulator at {simulator.base_url} (clock {_as_time(simulator.now_ms)})")
        config = {
            "credentials": {
                "auth_method": "client_credentials",
                "client_id": settings.client_id,
                "client_secret": settings.client_secret,
            },
            "start_date": (today - datetime.timedelta(days=args.days)).isoformat(),
            "page_size": 100,
            "api_url": simulator.base_url,
            "token_url": simulator.token_url,
            "custom_reports": [CUSTOM_REPORT],
        }
        source = ab.get_source("source-linkedin-learning", config=config, local_executable=EXECUTABLE)

        _say("\n== check")
        source.check()
        _say("connection succeeded")

        _say("\n== discover")
        for stream in source.discovered_catalog.streams:
            key = ", ".join(part[0] for part in stream.source_defined_primary_key)
            cursor = stream.default_cursor_field[0] if stream.default_cursor_field else "none (full refresh)"
            _say(f"  {stream.name:<40} key: {key:<36} cursor: {cursor}")
        source.select_all_streams()

        cache = ab.new_local_cache("linkedin_learning_demo", cache_dir=args.cache_dir)
        _say(f"\n== full sync of every stream into {cache.get_sql_engine().url}")
        started = time.monotonic()
        result = source.read(cache=cache, force_full_refresh=True)
        requests = len([r for r in simulator.requests if r["path"].startswith("/v2/")])
        _say(f"{sum(len(result[s].to_pandas()) for s in result.streams)} records, {requests} requests, {time.monotonic() - started:.0f} s")
        for name in sorted(result.streams):
            _say(f"  {name:<40} {len(result[name].to_pandas()):>7} records")
        _say("state saved (latestDataAt, the data watermark; learning_assets: lastUpdatedAt, its latest change):")
        for name, value in sorted(_state(cache).items()):
            _say(f"  {name:<40} {_as_time(value)}")

        _sql_table(cache, "Top courses by completions", entity="contentdetails->>'name'", table="content_activity",
                   label="course", metric="completions", engagement="COMPLETIONS")
        _sql_table(cache, "Most active learners (seconds viewed)", entity="learnerdetails->>'name'", table="individual_activity",
                   label="learner", metric="seconds viewed", engagement="SECONDS_VIEWED")

        simulator.advance(days=1)
        updated = simulator.touch_assets(2, asset_type="COURSE") + simulator.touch_assets(1, asset_type="COURSE", retire=True)
        simulator.clear_requests()
        before = {name: len(cache[name].to_pandas()) for name in result.streams}
        _say(f"\n== the simulator's clock moves a day ({_as_time(simulator.now_ms)}) and LinkedIn updates two courses and "
             f"retires one ({', '.join(updated)}): incremental sync")
        incremental = source.read(cache=cache)
        windows = sorted({int(r["params"]["startedAt"]) for r in simulator.requests if "startedAt" in r["params"]})
        catalog_requests = len([r for r in simulator.requests if r["path"] in ("/v2/learningAssets", "/v2/learningClassifications")])
        _say(f"{len([r for r in simulator.requests if r['path'] == '/v2/learningActivityReports'])} report requests, "
             f"windows from {_as_time(windows[0])[:10]} to {_as_time(windows[-1])[:10]} (lookback 1 day before the watermark); "
             f"{catalog_requests} catalog requests (the whole catalog; {incremental.processed_records} records written, "
             "learning_assets only where it changed since its state, less a day)")
        for name in sorted(result.streams):
            after = len(cache[name].to_pandas())
            _say(f"  {name:<40} {after:>7} rows ({after - before[name]:+d} new; re-read rows replaced by primary key)")
        _say("state saved:")
        for name, value in sorted(_state(cache).items()):
            _say(f"  {name:<40} {_as_time(value)}")

        _say("\n== activity joined to the course catalog (the SQL of docs/linkedin-learning.md)")
        sql = docs_sql()
        with cache.get_sql_engine().connect() as connection:
            connection.exec_driver_sql(sql["Categories of each asset"])
            _query_table(connection, "Top courses by hours viewed", sql["Top courses by hours viewed"])
            _query_table(connection, "Completions by subject", sql["Completions by subject"])


if __name__ == "__main__":
    main()
