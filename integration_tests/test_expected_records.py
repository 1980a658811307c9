"""What the standard suite does not check but the Connector Acceptance Tests did: the recorded
records, two sequential incremental reads, and an abnormally large state."""

import json
from pathlib import Path

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.state_builder import StateBuilder

from integration_tests.harness import STREAMS, expected_keys, key_of, run_read, state_messages_for
from integration_tests.harness import SIM_TODAY

HERE = Path(__file__).parent
CONFIG = json.loads((HERE / "sample_config.json").read_text())


def _records(output):
    return sorted(
        json.dumps({"stream": m.record.stream, "data": m.record.data}, sort_keys=True, ensure_ascii=False)
        for m in output.records
    )


CATALOG = ("learning_assets", "learning_classifications")


def test_a_full_refresh_yields_the_recorded_records(acceptance_simulator):
    recorded = (HERE / "expected_records.jsonl").read_text().splitlines()
    assert _records(run_read(CONFIG, STREAMS + CATALOG, mode=SyncMode.full_refresh)) == recorded


def test_the_recorded_catalog_is_the_simulators_catalog(acceptance_simulator):
    """The default catalog config: en_US, courses and learning paths, retired ones included."""
    recorded = [json.loads(line) for line in (HERE / "expected_records.jsonl").read_text().splitlines()]
    assets = {(r["data"]["assetUrn"], r["data"]["locale"]) for r in recorded if r["stream"] == "learning_assets"}
    served = {
        (asset["urn"], "en_US")
        for asset_type in ("COURSE", "LEARNING_PATH")
        for asset in acceptance_simulator.learning_assets(asset_type=asset_type, include_retired=True)
    }
    assert assets == served != set()
    classifications = {r["data"]["classificationUrn"] for r in recorded if r["stream"] == "learning_classifications"}
    assert classifications == {
        item["urn"] for kind in ("LIBRARY", "SUBJECT", "TOPIC", "SKILL") for item in acceptance_simulator.learning_classifications(type=kind)
    } != set()


def test_the_recorded_records_are_the_simulators_data(acceptance_simulator):
    recorded = [json.loads(line) for line in (HERE / "expected_records.jsonl").read_text().splitlines()]
    first = SIM_TODAY.replace(day=9)
    for stream in STREAMS:
        keys = {key_of(stream, r["data"]) for r in recorded if r["stream"] == stream}
        assert keys == expected_keys(acceptance_simulator, stream, first, SIM_TODAY) != set()


def test_two_sequential_incremental_reads_the_second_reads_only_from_the_saved_watermark(acceptance_simulator):
    first = run_read(CONFIG, STREAMS)
    state = [state_messages_for(first, stream)[-1] for stream in STREAMS]
    acceptance_simulator.clear_requests()
    second = run_read(CONFIG, STREAMS, state=state)

    saved = {s.stream.stream_descriptor.name: s.stream.stream_state.latestDataAt for s in state}
    # lookback_days defaults to 1: the second read starts one day before the watermark's day.
    for message in second.records:
        watermark = saved[message.record.stream]
        assert message.record.data["startedAt"] >= watermark - watermark % 86_400_000 - 86_400_000
    assert len(second.records) < len(first.records)


def test_the_abnormal_state_file_reads_nothing(acceptance_simulator):
    state = json.loads((HERE / "abnormal_state.json").read_text())
    builder = StateBuilder()
    for entry in state:
        builder.with_stream_state(entry["stream"]["stream_descriptor"]["name"], entry["stream"]["stream_state"])
    incremental = [*STREAMS, "learning_assets"]
    output = run_read(CONFIG, incremental, state=builder.build())
    assert output.records == []
    assert {s.stream.stream_descriptor.name for s in (m.state for m in output.state_messages)} == set(incremental)
