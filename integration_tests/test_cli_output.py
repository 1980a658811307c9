"""The command line writes a read exactly as the CDK's own `launch` would.

`run.py` writes a read's RECORD lines itself, as bytes and in batches, and counts them for the
STATE messages itself; source.py turns records into messages by a shorter way than the CDK's
(`RecordsFirstSource`). These tests run the same read through the command line and through the
CDK's own `launch` and `ConcurrentSource`, each in its own process against the same simulator,
and compare what they wrote: the same lines, byte for byte once the time stamps are set aside,
with every STATE after the records it counts and carrying their number.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import orjson
import pytest

from airbyte_cdk.models import AirbyteMessage, AirbyteRecordMessage, ConfiguredAirbyteCatalogSerializer, Type
from airbyte_cdk.entrypoint import AirbyteEntrypoint

from source_linkedin_learning.run import record_line

from integration_tests.harness import STREAMS, catalog, config_for

CLI = Path(sys.executable).parent / "source-linkedin-learning"
CDK_LAUNCH = (
    "import sys; from airbyte_cdk.entrypoint import launch; "
    "from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource; "
    "from source_linkedin_learning.run import _source; "
    "source = _source(sys.argv[1:]); source._concurrent_source.__class__ = ConcurrentSource; "
    "launch(source, sys.argv[1:])"
)


def _read(args: List[str], directory: Path) -> List[bytes]:
    done = subprocess.run(args + ["read", "--config", "config.json", "--catalog", "catalog.json"], cwd=directory,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.splitlines()


def _without_time(line: bytes) -> Dict[str, Any]:
    message = orjson.loads(line)
    for part in ("record", "trace"):
        if part in message:
            message[part].pop("emitted_at", None)
    return message


@pytest.mark.parametrize("workers", [1, 4])
def test_the_command_line_writes_what_the_cdk_launch_writes(simulator, tmp_path, workers):
    config = config_for(simulator, start_date="2024-03-08", page_size=7, num_workers=workers)
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "catalog.json").write_text(json.dumps(ConfiguredAirbyteCatalogSerializer.dump(catalog(STREAMS))))

    ours = _read([str(CLI)], tmp_path)
    theirs = _read([sys.executable, "-c", CDK_LAUNCH], tmp_path)

    records = sorted(orjson.dumps(_without_time(line)) for line in ours if line.startswith(b'{"type":"RECORD"'))
    assert len(records) > 100
    assert records == sorted(orjson.dumps(_without_time(line)) for line in theirs if line.startswith(b'{"type":"RECORD"'))
    if workers == 1:  # one window at a time: the whole output is the same, in the same order
        assert [_without_time(line) for line in ours] == [_without_time(line) for line in theirs]
    else:  # windows finish in any order, and STATE messages with them
        assert _logs_and_final_states(ours) == _logs_and_final_states(theirs)
    # Each STATE counts the records written since the stream's previous STATE, so none of its
    # records can come after it.
    written: Dict[str, int] = {}
    for line in ours:
        message = orjson.loads(line)
        if message["type"] == "RECORD":
            stream = message["record"]["stream"]
            written[stream] = written.get(stream, 0) + 1
        elif message["type"] == "STATE":
            stream = message["state"]["stream"]["stream_descriptor"]["name"]
            assert message["state"]["sourceStats"]["recordCount"] == written.pop(stream, 0)
    assert not written, f"records after the last STATE of {sorted(written)}"


def _logs_and_final_states(lines: List[bytes]) -> Any:
    logs = sorted(orjson.dumps(_without_time(line)) for line in lines if b'"type":"LOG"' in line[:20] or b'"type":"TRACE"' in line[:20])
    final = {}
    for line in lines:
        message = orjson.loads(line)
        if message["type"] == "STATE":
            final[message["state"]["stream"]["stream_descriptor"]["name"]] = message["state"]["stream"]["stream_state"]
    return logs, final


@pytest.mark.parametrize(
    "record",
    [
        AirbyteRecordMessage(stream="s", data={"a": 1, "gone": None, "kept": {"inner": None}, "list": [None, "ünï"]}, emitted_at=5),
        AirbyteRecordMessage(stream="s", data={}, emitted_at=0),
        AirbyteRecordMessage(stream="s", data={"big": 2**63 - 1, "float": 1.5, "nested": [{"x": None}]}, emitted_at=7),
    ],
)
def test_a_record_line_is_the_cdk_serialisation_byte_for_byte(record):
    expected = AirbyteEntrypoint.airbyte_message_to_string(AirbyteMessage(type=Type.RECORD, record=record)).encode()
    assert record_line(record) == expected


def test_records_the_shortcut_does_not_cover_are_left_to_the_cdk():
    assert record_line(AirbyteRecordMessage(stream="s", namespace="n", data={"a": 1}, emitted_at=1)) is None
    assert record_line(AirbyteRecordMessage(stream="s", data={"a": object()}, emitted_at=1)) is None
    assert record_line(AirbyteRecordMessage(stream="s", data={"a": 2**70}, emitted_at=1)) is None
