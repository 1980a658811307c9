"""What the command line writes for a read: every STATE after the records it counts.

The `WatermarkCursor` emits a stream's STATE through the repository that the CDK's engine drains
after each record (cdk_seam.py); a STATE that overtook a record would let a destination commit a
checkpoint before the data it covers. Each STATE carries the number of records of its stream
written since the previous one, so the count proves the order.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict

import orjson
import pytest

from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer

from integration_tests.harness import STREAMS, catalog, config_for

CLI = Path(sys.executable).parent / "source-linkedin-learning"


@pytest.mark.parametrize("workers", [1, 4])
def test_every_state_follows_the_records_it_counts(simulator, tmp_path, workers):
    config = config_for(simulator, start_date="2024-03-08", page_size=7, num_workers=workers)
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "catalog.json").write_text(json.dumps(ConfiguredAirbyteCatalogSerializer.dump(catalog(STREAMS))))

    done = subprocess.run([str(CLI), "read", "--config", "config.json", "--catalog", "catalog.json"],
                          cwd=tmp_path, capture_output=True, timeout=300)

    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    written: Dict[str, int] = {}
    records = states = 0
    for line in done.stdout.splitlines():
        message = orjson.loads(line)
        if message["type"] == "RECORD":
            stream = message["record"]["stream"]
            written[stream] = written.get(stream, 0) + 1
            records += 1
        elif message["type"] == "STATE":
            stream = message["state"]["stream"]["stream_descriptor"]["name"]
            assert message["state"]["sourceStats"]["recordCount"] == written.pop(stream, 0)
            states += 1
    assert records > 100 and states >= len(STREAMS)
    assert not written, f"records after the last STATE of {sorted(written)}"
