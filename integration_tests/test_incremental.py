"""Incremental syncs against the simulator, its clock moving between syncs."""

import datetime

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.state_builder import StateBuilder

from integration_tests.harness import (
    DAY_MS,
    SIM_TODAY,
    STREAMS,
    config_for,
    day_ms,
    expected_keys,
    records_by_key,
    report_requests,
    run_read,
    state_messages_for,
    state_value,
    windows_requested,
)

START = SIM_TODAY - datetime.timedelta(days=6)


def _state(stream: str, value):
    return StateBuilder().with_stream_state(stream, {"latestDataAt": value}).build()


def test_a_first_sync_ends_with_the_watermark_and_checkpoints_every_window(simulator):
    output = run_read(config_for(simulator), ["account_activity"])

    assert state_value(output, "account_activity") == simulator.watermark_ms
    # One checkpoint per window (seven days from START to SIM_TODAY), then the closing state.
    assert len(state_messages_for(output, "account_activity")) == 7 + 1


def test_the_second_sync_starts_at_the_window_holding_the_watermark_minus_lookback(simulator):
    first = run_read(config_for(simulator), ["account_activity"])
    watermark = state_value(first, "account_activity")
    simulator.advance(days=1)
    simulator.clear_requests()
    tomorrow = SIM_TODAY + datetime.timedelta(days=1)

    second = run_read(
        config_for(simulator, end_date=tomorrow.isoformat(), lookback_days=1),
        ["account_activity"],
        state=_state("account_activity", watermark),
    )

    watermark_day = datetime.datetime.fromtimestamp(watermark / 1000, datetime.timezone.utc).date()
    first_window = watermark_day - datetime.timedelta(days=1)
    expected_windows = [day_ms(first_window) + i * DAY_MS for i in range((tomorrow - first_window).days + 1)]
    assert windows_requested(simulator) == expected_windows
    assert state_value(second, "account_activity") == simulator.watermark_ms > watermark


def test_lookback_never_reaches_before_start_date(simulator):
    start = SIM_TODAY - datetime.timedelta(days=2)
    run_read(
        config_for(simulator, start_date=start.isoformat(), lookback_days=30),
        ["account_activity"],
        state=_state("account_activity", simulator.watermark_ms),
    )
    assert windows_requested(simulator)[0] == day_ms(start)


def test_a_state_written_as_a_string_is_accepted(simulator):
    output = run_read(
        config_for(simulator, lookback_days=0),
        ["account_activity"],
        state=_state("account_activity", str(day_ms(SIM_TODAY - datetime.timedelta(days=1)))),
    )
    assert windows_requested(simulator) == [day_ms(SIM_TODAY - datetime.timedelta(days=1)), day_ms(SIM_TODAY)]
    assert state_value(output, "account_activity") == simulator.watermark_ms


def test_a_state_from_the_future_reads_nothing_and_keeps_a_valid_state(simulator):
    future = 99_999_999_999_999
    output = run_read(config_for(simulator), ["account_activity"], state=_state("account_activity", future))

    assert output.records == []
    assert windows_requested(simulator) == []
    assert state_value(output, "account_activity") == future


def test_a_watermark_after_the_window_and_after_end_date_drops_no_record(simulator):
    """Backfill of a past range: every element carries a watermark later than the whole range."""
    first, last = SIM_TODAY - datetime.timedelta(days=20), SIM_TODAY - datetime.timedelta(days=15)
    output = run_read(
        config_for(simulator, start_date=first.isoformat(), end_date=last.isoformat()), ["individual_activity"]
    )

    got = {key for (_, key) in records_by_key(output)}
    assert got == expected_keys(simulator, "individual_activity", first, last) != set()
    assert all(r.record.data["latestDataAt"] > day_ms(last) + DAY_MS for r in output.records)
    # The saved state never passes the end of what was read, so removing end_date later loses nothing.
    assert state_value(output, "individual_activity") == day_ms(last) + DAY_MS


def test_no_checkpoint_claims_a_window_that_is_not_finished(simulator):
    """The pitfall of the stock cursor: the watermark is later than every window, so saving it
    before the last window finishes would skip the windows still unread."""
    first, last = SIM_TODAY - datetime.timedelta(days=20), SIM_TODAY - datetime.timedelta(days=12)
    simulator.configure(latency_s=0.01)
    output = run_read(
        config_for(simulator, start_date=first.isoformat(), end_date=last.isoformat(), num_workers=4),
        ["account_activity"],
    )
    finished = set()
    for message in output.records_and_state_messages:
        if message.record is not None:
            finished.add(message.record.data["startedAt"])
        else:
            saved = message.state.stream.stream_state.latestDataAt
            unread = [day_ms(first) + i * DAY_MS for i in range(9) if day_ms(first) + i * DAY_MS not in finished]
            assert all(saved <= window for window in unread)


def test_a_sync_killed_after_any_checkpoint_and_resumed_loses_nothing(simulator):
    """Replays every checkpoint: the records before it plus a sync resumed from it cover a full
    refresh, and the resumed sync reads again only windows the killed one had not finished."""
    config = config_for(simulator, lookback_days=0, num_workers=3)
    full = run_read(config, ["individual_activity"])
    everything = set(records_by_key(full))
    messages = full.records_and_state_messages

    for index, message in enumerate(messages):
        if message.state is None:
            continue
        delivered = {("individual_activity", key) for key in _keys_before(messages, index)}
        finished_windows = _windows_finished_before(messages, index)
        simulator.clear_requests()
        resumed = run_read(config, ["individual_activity"], state=[message.state])

        assert delivered | set(records_by_key(resumed)) == everything
        reread = set(windows_requested(simulator, "INDIVIDUAL")) & finished_windows
        unfinished_before = {w for w in finished_windows if w >= message.state.stream.stream_state.latestDataAt}
        assert reread <= unfinished_before | _window_holding(message.state.stream.stream_state.latestDataAt)


def _keys_before(messages, index):
    from integration_tests.harness import key_of

    return {key_of("individual_activity", m.record.data) for m in messages[:index] if m.record is not None}


def _windows_finished_before(messages, index):
    return {m.record.data["startedAt"] for m in messages[:index] if m.record is not None}


def _window_holding(ms: int) -> set:
    return {ms - ms % DAY_MS}


def _without_watermark(table):
    """`latestDataAt` says when a row was read, not what it holds: a re-read changes only it."""
    return {key: {k: v for k, v in data.items() if k != "latestDataAt"} for key, data in table.items()}


def test_deduplicated_incremental_syncs_equal_one_full_refresh_at_the_end(simulator):
    end = SIM_TODAY
    state = None
    table = {}
    for sync in range(3):
        if sync:
            simulator.advance(days=1)
            end += datetime.timedelta(days=1)
        output = run_read(config_for(simulator, end_date=end.isoformat()), STREAMS, state=state)
        table.update(records_by_key(output))
        state = [state_messages_for(output, stream)[-1] for stream in STREAMS]

    fresh = run_read(config_for(simulator, end_date=end.isoformat()), STREAMS, mode=SyncMode.full_refresh)
    assert _without_watermark(table) == _without_watermark(records_by_key(fresh))


def test_a_resumed_sync_asks_only_for_the_windows_the_killed_one_had_not_finished(simulator):
    """Four workers finish windows out of order: every STATE names the windows finished after
    the first unfinished one, and a sync resumed from it does not ask for them again (issue 17)."""
    first = SIM_TODAY - datetime.timedelta(days=12)
    config = config_for(simulator, start_date=first.isoformat(), lookback_days=0, num_workers=4, page_size=3)
    simulator.configure(latency_s=0.005)
    full = run_read(config, ["individual_activity"])
    messages = full.records_and_state_messages

    for index, message in enumerate(messages):
        if message.state is None:
            continue
        saved = message.state.stream.stream_state
        finished = set(getattr(saved, "finishedWindows", []))
        simulator.clear_requests()
        resumed = run_read(config, ["individual_activity"], state=[message.state])

        asked = set(windows_requested(simulator, "INDIVIDUAL"))
        assert all(window > saved.latestDataAt for window in finished)
        assert not asked & finished
        assert set(records_by_key(resumed)) | {("individual_activity", key) for key in _keys_before(messages, index)} == set(records_by_key(full))


def test_a_resumed_sync_skips_the_windows_its_state_lists_as_finished(simulator):
    """Which windows finish out of order depends on the threads; the state a sync killed then
    would leave is built here, so that the skip is proven on every run."""
    first = SIM_TODAY - datetime.timedelta(days=8)
    config = config_for(simulator, start_date=first.isoformat(), lookback_days=0, num_workers=2)
    days = [day_ms(first + datetime.timedelta(days=n)) for n in range(8)]
    state = StateBuilder().with_stream_state("account_activity", {"latestDataAt": days[2], "finishedWindows": [days[3], days[5]]}).build()

    resumed = run_read(config, ["account_activity"], state=state)

    asked = set(windows_requested(simulator, "ACCOUNT"))
    assert asked == set(days[2:]) - {days[3], days[5]} | {day_ms(SIM_TODAY)}
    assert {r.record.data["startedAt"] for r in resumed.records} <= asked
    assert state_value(resumed, "account_activity") > days[5]


def test_a_stream_whose_windows_are_all_empty_moves_its_state_like_the_others(simulator):
    """A custom report filtered on a language nobody uses has no rows: its state takes the
    service's watermark from the other streams, so the next sync asks for 2 to 3 windows, not
    for every window since start_date (issue 17)."""
    empty = {"name": "klingon", "primary_aggregation": "ACCOUNT", "locale_language": "tlh"}
    config = config_for(simulator, start_date=(SIM_TODAY - datetime.timedelta(days=25)).isoformat(), custom_reports=[empty])
    streams = ["account_activity", "custom_klingon"]
    first = run_read(config, streams)
    assert not [r for r in first.records if r.record.stream == "custom_klingon"]
    assert state_value(first, "custom_klingon") == state_value(first, "account_activity")

    simulator.advance(days=1)
    simulator.clear_requests()
    end = (SIM_TODAY + datetime.timedelta(days=1)).isoformat()
    run_read({**config, "end_date": end}, streams, state=[state_messages_for(first, stream)[-1] for stream in streams])
    asked = {int(r["params"]["startedAt"]) for r in report_requests(simulator) if r["params"].get("locale.language") == "tlh"}
    assert asked == {int(r["params"]["startedAt"]) for r in report_requests(simulator) if not r["params"].get("locale.language")}  # as account_activity
    assert len(asked) <= 4  # the window of the watermark (30 hours back), one day of lookback, and the new days
