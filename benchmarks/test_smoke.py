"""CI runs the benchmark at smoke size: every measurement must work; timings are never asserted."""

import re
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parent / "run.py"

ROWS = [
    ("all five streams", "(a) connector"),
    ("all five streams", "(b) minimal"),
    ("all five streams", "(c) connector"),
    ("individual_content_activity", "(a) connector"),
    ("individual_content_activity", "(b) minimal"),
    ("individual_content_activity", "(c) connector"),
    ("+100 ms/request", "(a) connector"),
    ("+100 ms/request", "(c) connector"),
    ("+300 ms/request", "(a) connector"),
    ("+300 ms/request", "(b) minimal"),
    ("memory, ~150", "(a) connector"),
    ("memory, ~1.5k", "(a) connector"),
]
TARGETS = ["throughput, all five streams", "throughput, individual_content_activity", "requests:",
           "latency, 1 worker", "300 ms a request", "memory:"]


def _rows(table: str):
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 11 and re.fullmatch(r"\d+", cells[3] or ""):
            rows.append(cells)
    return rows


def test_smoke(tmp_path):
    output = tmp_path / "RESULTS.md"
    proc = subprocess.run([sys.executable, str(RUN), "--smoke", "--output", str(output)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    table = output.read_text()
    assert "Smoke size" in table and "airbyte-cdk" in table and "CPU" in table
    rows = _rows(table)
    for run_name, reader in ROWS:
        assert any(run_name in r[0] and r[1] == reader for r in rows), f"no row for {run_name} / {reader}"
    assert len(rows) == len(ROWS)
    for run_name, reader, workers, records, *_ in rows:
        assert int(records) > 0, (run_name, reader)

    # (a), (b) and (c) read the same records; the latency runs too.
    by_run = {}
    for r in rows:
        by_run.setdefault(r[0].split(", +")[0], set()).add(int(r[3]))
    for run_name, counts in by_run.items():
        if not run_name.startswith("memory"):
            assert len(counts) == 1, (run_name, counts)

    # Requests: exactly the expected pages (max(1, ceil(records / page size)) per window) + one token.
    for r in rows:
        reports, tokens = (int(x) for x in r[8].split("+"))
        assert reports == int(r[9]), r
        assert tokens == 1, r

    for target in TARGETS:
        assert any(line.startswith(f"| {target}") for line in table.splitlines()), target
    assert re.search(r"Start-up \(`source-linkedin-learning spec`, fastest of 5\): \d+\.\d\d s", table)
    assert "## Problems" not in table
