"""The command line writes a read exactly as the CDK's own `launch` would.

`run.py` writes a read's RECORD lines itself, as bytes and in batches, counts them for the
STATE messages and checks memory for them itself; source.py hands most records to it without
making messages of them (`RecordsFirstSource`). These tests run the same read through the command line and through the
CDK's own `launch` and `ConcurrentSource`, each in its own process against the same simulator,
and compare what they wrote: the same lines, byte for byte once the time stamps are set aside,
with every STATE after the records it counts and carrying their number.
"""

import json
import os
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


# The CDK's memory monitor, replaced by one that counts its checks (written to stderr at exit)
# and fails the read at check number FAIL_AT, as the real one does when the container is full.
COUNTED_MEMORY_CHECKS = """
import atexit, os, sys
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.memory_monitor import MemoryMonitor
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
checks = [0]
fail_at = int(os.environ["FAIL_AT"])
atexit.register(lambda: os.write(2, b"memory checks: %d" % checks[0]))
def check(self):
    checks[0] += 1
    if checks[0] == fail_at:
        raise AirbyteTracedException(message="Memory is nearly full.", failure_type=FailureType.system_error)
MemoryMonitor.check_memory_usage = check
"""
CLI_WITH_COUNTED_CHECKS = COUNTED_MEMORY_CHECKS + "from source_linkedin_learning.run import run; run(sys.argv[1:])"
CDK_LAUNCH_WITH_COUNTED_CHECKS = COUNTED_MEMORY_CHECKS + CDK_LAUNCH


def _run(args: List[str], directory: Path, **env: str) -> "subprocess.CompletedProcess[bytes]":
    return subprocess.run(args + ["read", "--config", "config.json", "--catalog", "catalog.json"], cwd=directory,
                          capture_output=True, timeout=300, env={**os.environ, **env})


def _read(args: List[str], directory: Path) -> List[bytes]:
    done = _run(args, directory)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.splitlines()


def _write_files(simulator: Any, directory: Path, workers: int) -> None:
    config = config_for(simulator, start_date="2024-03-08", page_size=7, num_workers=workers)
    (directory / "config.json").write_text(json.dumps(config))
    (directory / "catalog.json").write_text(json.dumps(ConfiguredAirbyteCatalogSerializer.dump(catalog(STREAMS))))


def _without_time(line: bytes) -> Dict[str, Any]:
    message = orjson.loads(line)
    for part in ("record", "trace"):
        if part in message:
            message[part].pop("emitted_at", None)
    return message


@pytest.mark.parametrize("workers", [1, 4])
def test_the_command_line_writes_what_the_cdk_launch_writes(simulator, tmp_path, workers):
    _write_files(simulator, tmp_path, workers)

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


def test_memory_is_checked_for_every_record_as_the_cdk_does(simulator, tmp_path):
    """The CDK's `read` checks memory once for each message it yields, records included; the
    records run.py writes without a message are checked as often."""
    _write_files(simulator, tmp_path, workers=1)
    ours = _run([sys.executable, "-c", CLI_WITH_COUNTED_CHECKS], tmp_path, FAIL_AT="0")
    theirs = _run([sys.executable, "-c", CDK_LAUNCH_WITH_COUNTED_CHECKS], tmp_path, FAIL_AT="0")
    assert ours.returncode == theirs.returncode == 0, ours.stderr.decode(errors="replace")[-2000:]
    records = sum(line.startswith(b'{"type":"RECORD"') for line in ours.stdout.splitlines())
    checks = int(ours.stderr.rsplit(b"memory checks: ", 1)[1])
    assert checks >= records > 100
    assert checks == int(theirs.stderr.rsplit(b"memory checks: ", 1)[1])


@pytest.mark.parametrize("fail_at", [50, 333])
def test_a_failed_memory_check_ends_the_read_as_in_the_cdk(simulator, tmp_path, fail_at):
    """When the memory check fails, the records read until then, the queued messages and the
    error are written as the CDK's `read` writes them, and the read stops there."""
    _write_files(simulator, tmp_path, workers=1)
    ours = _run([sys.executable, "-c", CLI_WITH_COUNTED_CHECKS], tmp_path, FAIL_AT=str(fail_at))
    theirs = _run([sys.executable, "-c", CDK_LAUNCH_WITH_COUNTED_CHECKS], tmp_path, FAIL_AT=str(fail_at))
    assert ours.returncode == theirs.returncode != 0
    lines = [_without_stack(_without_time(line)) for line in ours.stdout.splitlines()]
    assert lines == [_without_stack(_without_time(line)) for line in theirs.stdout.splitlines()]
    assert sum(line["type"] == "RECORD" for line in lines) < fail_at
    assert "Memory is nearly full." in [line["trace"]["error"]["message"] for line in lines if line["type"] == "TRACE" and line["trace"]["type"] == "ERROR"]


def _without_stack(message: Dict[str, Any]) -> Dict[str, Any]:
    """A message without the stack of an error, which names the functions it passed through."""
    if message["type"] == "LOG":
        message["log"]["message"] = message["log"]["message"].split("\n", 1)[0]
    elif message["type"] == "TRACE" and "error" in message["trace"]:
        message["trace"]["error"].pop("stack_trace", None)
    return message


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
