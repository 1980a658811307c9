"""Benchmark of the connector's `read` against the LinkedIn Learning simulator.

    python benchmarks/run.py [--output benchmarks/RESULTS.md] [--workers 4]
    python benchmarks/run.py --smoke            # tiny sizes, for CI; checks correctness only

In one run, on the same simulated data (the simulator runs in its own process, its page cache
warmed by one pass before anything is timed), it measures side by side:

  (a) the connector's `read` (all five streams; then `individual_content_activity` alone at scale),
  (b) a minimal reader in this file (requests + orjson, the same pages, the same RECORD lines),
      the floor of what Python can do,
  (c) the connector with one worker,

each of (a), (b) and (c), and each memory run, tried --repeats times (3), interleaved, and
reported by the medians (the machines here are shared: the same run varies by 10 to 20% in time
and by a few MB in peak RSS from one try to the next),
plus a run with 100 ms of latency per request in the simulator (N workers and one worker), a run
with 300 ms per request of the connector beside the minimal reader with N threads, and a memory
run at 100k and 1M records. Each reader runs as a child process: wall time, peak RSS
(`wait4` rusage of that child alone), CPU time, records (RECORD lines on its stdout) and HTTP
requests (the simulator's request log). The table goes to RESULTS.md with the machine.

Correctness is checked on every run and makes the exit status non-zero when broken: every child
exits 0, (a), (b) and (c) emit the same records (count and content, `emitted_at` aside), and each
connector run makes exactly the expected requests: per stream and window max(1, ceil(records /
page_size)), plus one token request. The performance targets are reported PASS/FAIL but only
fail the exit status with --strict: timings are not tests.

The minimal reader is also a mode of this script: `run.py --minimal-reader --config c.json
--streams a,b [--threads N]` prints the RECORD lines on stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DAY_MS = 86_400_000
PAGE_SIZE = 1000
LATENCY_S = 0.1
# The service's own pace: a report page takes far longer to produce than to parse. At this latency
# the connector and a minimal reader with as many threads must take about the same time.
SLOW_LATENCY_S = 0.3
THROUGHPUT_TARGET = 0.35
SLOW_TARGET = 1.15
# The simulator keeps every rendered page of every run (the 1M-record run's are about 1.1 GB), so
# that no timed run shares the machine's two cores with the simulator rendering pages.
PAGE_CACHE_MB = 2048

# The reports API parameters of each fixed stream (see manifest.yaml).
STREAMS = {
    "account_activity": ("ACCOUNT", None),
    "group_activity": ("GROUP", None),
    "individual_activity": ("INDIVIDUAL", None),
    "content_activity": ("CONTENT", None),
    "individual_content_activity": ("INDIVIDUAL", "CONTENT"),
}
ALL = list(STREAMS)
SCALE = ["individual_content_activity"]

# Simulator clock: data exists for `days` days before NOW and is visible up to NOW - lag_hours
# (30 h), so the last complete day is END.
NOW = "2024-03-15T12:00:00Z"
END = dt.date(2024, 3, 13)


@dataclass
class Sizes:
    learners: int
    groups: int
    courses: int
    days: int  # of data in the simulator
    five_days: int  # windows of the five-stream run (also the latency run)
    scale_days: int  # windows of individual_content_activity alone
    mem_small_days: int  # ~100k records of individual_content_activity
    mem_large_days: int  # ~1M records
    slow_days: int  # windows of the five-stream run at 300 ms a request
    mem_small_label: str = "100k"
    mem_large_label: str = "1M"


FULL = Sizes(learners=20000, groups=50, courses=300, days=100, five_days=4, scale_days=15,
             mem_small_days=10, mem_large_days=96, slow_days=8)
SMOKE = Sizes(learners=300, groups=5, courses=40, days=12, five_days=2, scale_days=3,
              mem_small_days=1, mem_large_days=10, slow_days=2, mem_small_label="~150 (smoke)", mem_large_label="~1.5k (smoke)")


# --------------------------------------------------------------------------------------------
# The minimal reader: requests + orjson, the connector's requests and RECORD messages.
# --------------------------------------------------------------------------------------------

def _windows(start: str, end: str) -> List[Tuple[int, int]]:
    """Day windows [start, end) in epoch ms, from start_date to end_date inclusive."""
    first = dt.date.fromisoformat(start)
    last = dt.date.fromisoformat(end)
    out = []
    day = first
    while day <= last:
        ms = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp() * 1000)
        out.append((ms, ms + DAY_MS))
        day += dt.timedelta(days=1)
    return out


def minimal_reader(config_path: str, streams: List[str], threads: int = 1) -> int:
    import orjson
    import requests

    config = json.loads(Path(config_path).read_text())
    creds = config["credentials"]
    session = requests.Session()
    token = session.post(config["token_url"], data={
        "grant_type": "client_credentials", "client_id": creds["client_id"], "client_secret": creds["client_secret"],
    })
    token.raise_for_status()
    headers = {"Authorization": "Bearer " + token.json()["access_token"]}
    url = config["api_url"].rstrip("/") + "/v2/learningActivityReports"
    page_size = int(config.get("page_size", PAGE_SIZE))
    write = sys.stdout.buffer.write
    dumps = orjson.dumps

    def window(name: str, start: int, end: int, http=session) -> bytes:
        primary, secondary = STREAMS[name]
        params = {"q": "criteria", "aggregationCriteria.primary": primary}
        if secondary:
            params["aggregationCriteria.secondary"] = secondary
        params.update({"timeOffset.unit": "DAY", "timeOffset.duration": "1", "contentSource": "ALL_SOURCES",
                       "count": str(page_size), "startedAt": str(start)})
        out = []
        offset = 0
        while True:
            response = http.get(url, params=params, headers=headers)
            response.raise_for_status()
            body = orjson.loads(response.content)
            elements = body.get("elements") or []
            emitted_at = int(time.time() * 1000)
            for element in elements:
                element["startedAt"] = start
                element["endedAt"] = end
                entity = (element.get("learnerDetails") or {}).get("entity") or {}
                content = element.get("contentDetails") or {}
                for key, value in (
                    ("accountUrn", entity.get("accountUrn")),
                    ("groupUrn", entity.get("groupUrn")),
                    ("learnerUrn", entity.get("learnerUrn") or entity.get("profileUrn")),
                    ("contentUrn", entity.get("contentUrn") or content.get("contentUrn")),
                ):
                    if value is not None:
                        element[key] = value
                out.append(dumps({"type": "RECORD", "record": {"stream": name, "data": element, "emitted_at": emitted_at}}))
            offset += len(elements)
            total = (body.get("paging") or {}).get("total")
            if not elements or len(elements) < page_size or (isinstance(total, int) and offset >= total):
                break
            params["start"] = str(offset)
        return b"\n".join(out) + b"\n" if out else b""

    jobs = [(name, s, e) for name in streams for s, e in _windows(config["start_date"], config["end_date"])]
    if threads <= 1:
        for job in jobs:
            write(window(*job))
    else:  # windows fetched by `threads` threads, written in order
        import threading
        from concurrent.futures import ThreadPoolExecutor

        local = threading.local()

        def run(job):
            if not hasattr(local, "s"):
                local.s = requests.Session()
            return window(*job, http=local.s)

        with ThreadPoolExecutor(threads) as pool:
            for chunk in pool.map(run, jobs):
                write(chunk)
    sys.stdout.buffer.flush()
    return 0


# --------------------------------------------------------------------------------------------
# The driver.
# --------------------------------------------------------------------------------------------

class SimProcess:
    """The simulator in its own process (python -m linkedin_learning_simulator), logging requests."""

    def __init__(self, sizes: Sizes, workdir: Path, latency_s: float = 0.0):
        self.log = workdir / f"requests-{latency_s}.jsonl"
        self.log.write_text("")
        args = [PYTHON, "-m", "linkedin_learning_simulator", "--port", "0", "--max-count", str(PAGE_SIZE),
                "--learners", str(sizes.learners), "--groups", str(sizes.groups), "--courses", str(sizes.courses),
                "--days", str(sizes.days), "--now", NOW, "--log", str(self.log), "--page-cache-mb", str(PAGE_CACHE_MB)]
        if latency_s:
            args += ["--latency-s", str(latency_s)]
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        info = {}
        for line in self.proc.stdout:
            key, _, value = line.strip().partition(": ")
            if line.startswith("LinkedIn Learning simulator at "):
                info["url"] = line.strip().rsplit(" ", 1)[1]
            elif key in ("token url", "client_id", "client_secret"):
                info[key] = value
            if len(info) == 4:
                break
        if len(info) != 4:
            raise RuntimeError(f"simulator did not start: {info}")
        self.url, self.token_url = info["url"], info["token url"]
        self.client_id, self.client_secret = info["client_id"], info["client_secret"]

    def log_lines(self) -> int:
        with open(self.log, "rb") as fh:
            return sum(1 for _ in fh)

    def requests_since(self, lines: int) -> Tuple[int, int, int]:
        """(report requests, token requests, non-200 answers) logged after line `lines`."""
        reports = tokens = errors = 0
        with open(self.log, "rb") as fh:
            for i, line in enumerate(fh):
                if i < lines:
                    continue
                record = json.loads(line)
                if record["path"].endswith("/accessToken"):
                    tokens += 1
                else:
                    reports += 1
                if record.get("status") != 200:
                    errors += 1
        return reports, tokens, errors

    def cpu_s(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@dataclass
class Result:
    label: str
    reader: str
    streams: List[str]
    workers: int
    records: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    rss_mb: float = 0.0
    requests: int = 0
    tokens: int = 0
    expected_requests: int = 0
    sim_cpu_share: float = 0.0
    per_window: Dict[Tuple[str, int], int] = field(default_factory=dict)
    digest: int = 0
    problems: List[str] = field(default_factory=list)
    walls: List[float] = field(default_factory=list)  # of every try, when the run was repeated
    peaks: List[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.records / self.wall_s if self.wall_s else 0.0

    @property
    def wall_cell(self) -> str:
        return _with_range(self.wall_s, self.walls, "{:.2f}")

    @property
    def rss_cell(self) -> str:
        return _with_range(self.rss_mb, self.peaks, "{:.1f}")


def _with_range(value: float, tries: List[float], fmt: str) -> str:
    """`value`, followed by the lowest and highest of `tries` when the run was repeated."""
    if len(tries) < 2:
        return fmt.format(value)
    return f"{fmt.format(value)} ({fmt.format(min(tries))}-{fmt.format(max(tries))})"


def median_of(tries: List[Result]) -> Result:
    """One row for repeated tries of the same run: the median of their wall times, CPU times and
    peak RSS; records and requests are those of every try (each checked in `Bench.run`)."""
    return replace(tries[0], wall_s=statistics.median(r.wall_s for r in tries), cpu_s=statistics.median(r.cpu_s for r in tries),
                   rss_mb=statistics.median(r.rss_mb for r in tries), sim_cpu_share=statistics.median(r.sim_cpu_share for r in tries),
                   walls=[r.wall_s for r in tries], peaks=[r.rss_mb for r in tries])


def medians(tries: List[List[Result]]) -> List[Result]:
    """For rounds of the same runs (one list per round, runs in the same order), one row per run."""
    return [median_of(list(column)) for column in zip(*tries)]


class Bench:
    def __init__(self, sizes: Sizes, workers: int, workdir: Path):
        self.sizes, self.workers, self.workdir = sizes, workers, workdir
        self.problems: List[str] = []

    def _config(self, sim: SimProcess, days: int, workers: int) -> Path:
        start = END - dt.timedelta(days=days - 1)
        config = {
            "credentials": {"auth_method": "client_credentials", "client_id": sim.client_id, "client_secret": sim.client_secret},
            "start_date": start.isoformat(), "end_date": END.isoformat(),
            "api_url": sim.url, "token_url": sim.token_url, "page_size": PAGE_SIZE, "num_workers": workers,
        }
        path = self.workdir / f"config-{days}-{workers}-{sim.proc.pid}.json"
        path.write_text(json.dumps(config))
        return path

    def _catalog(self, streams: List[str]) -> Path:
        catalog = {"streams": [{
            "stream": {"name": name, "json_schema": {}, "supported_sync_modes": ["full_refresh", "incremental"]},
            "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"} for name in streams]}
        path = self.workdir / f"catalog-{len(streams)}-{streams[0]}.json"
        path.write_text(json.dumps(catalog))
        return path

    def warm(self, sim: SimProcess, streams: List[str], days: int) -> None:
        config = self._config(sim, days, 1)
        subprocess.run([PYTHON, __file__, "--minimal-reader", "--config", str(config), "--streams", ",".join(streams),
                        "--threads", "8"], cwd=ROOT, stdout=subprocess.DEVNULL, check=True)

    def run(self, label: str, reader: str, sim: SimProcess, streams: List[str], days: int, workers: int,
            digest: bool = True) -> Result:
        result = Result(label, reader, streams, workers)
        config = self._config(sim, days, workers)
        if "minimal" in reader:
            args = [PYTHON, __file__, "--minimal-reader", "--config", str(config), "--streams", ",".join(streams),
                    "--threads", str(workers)]
        else:
            args = [str(Path(PYTHON).parent / "source-linkedin-learning"), "read", "--config", str(config),
                    "--catalog", str(self._catalog(streams))]
        out = self.workdir / "out.jsonl"
        lines = sim.log_lines()
        sim_cpu = sim.cpu_s()
        with open(out, "wb") as stdout, open(self.workdir / "stderr.txt", "wb") as stderr:
            started = time.perf_counter()
            proc = subprocess.Popen(args, cwd=ROOT, stdout=stdout, stderr=stderr)
            _, status, usage = os.wait4(proc.pid, 0)
            result.wall_s = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        result.sim_cpu_share = (sim.cpu_s() - sim_cpu) / result.wall_s
        result.cpu_s = usage.ru_utime + usage.ru_stime
        result.rss_mb = usage.ru_maxrss / 1024
        if proc.returncode != 0:
            tail = (self.workdir / "stderr.txt").read_bytes()[-2000:].decode(errors="replace")
            result.problems.append(f"{label} {reader}: exit status {proc.returncode}: {tail}")
        result.requests, result.tokens, errors = sim.requests_since(lines)
        if errors:
            result.problems.append(f"{label} {reader}: {errors} answers other than 200")
        self._scan(out, result, digest)
        windows = _windows((END - dt.timedelta(days=days - 1)).isoformat(), END.isoformat())
        result.expected_requests = sum(
            max(1, math.ceil(result.per_window.get((name, start), 0) / PAGE_SIZE)) for name in streams for start, _ in windows
        )
        if result.requests != result.expected_requests:
            result.problems.append(f"{label} {reader}: {result.requests} report requests, expected {result.expected_requests}")
        if result.tokens != 1:  # every run is far shorter than one token lifetime
            result.problems.append(f"{label} {reader}: {result.tokens} token requests, expected 1")
        if result.records == 0:
            result.problems.append(f"{label} {reader}: no records")
        out.unlink()
        self.problems += result.problems
        print(f"  {label:<34} {reader:<9} w={workers:<2} {result.records:>8} rec {result.wall_s:7.2f} s "
              f"{result.rps:9.0f} rec/s {result.rss_mb:7.1f} MB {result.requests:>5}+{result.tokens} req "
              f"(sim CPU {result.sim_cpu_share:.0%})", file=sys.stderr, flush=True)
        return result

    @staticmethod
    def _scan(path: Path, result: Result, digest: bool) -> None:
        """Counts RECORD lines per (stream, window); an order-free digest of their data."""
        import orjson

        counts: Dict[Tuple[str, int], int] = {}
        total = 0
        mix = 0
        started_at = re.compile(rb'"startedAt":(\d+)')
        with open(path, "rb") as fh:
            for line in fh:
                if not line.startswith(b'{"type":"RECORD"'):
                    continue
                if digest:
                    record = orjson.loads(line)["record"]
                    data = record["data"]
                    key = (record["stream"], data["startedAt"])
                    mix = (mix + hash(orjson.dumps([record["stream"], data], option=orjson.OPT_SORT_KEYS))) & (2**64 - 1)
                else:
                    stream = line[line.index(b'"stream":"') + 10:].split(b'"', 1)[0].decode()
                    key = (stream, int(started_at.search(line).group(1)))
                counts[key] = counts.get(key, 0) + 1
                total += 1
        result.records, result.per_window, result.digest = total, counts, mix

    def same_records(self, results: List[Result]) -> None:
        first = results[0]
        for other in results[1:]:
            if other.records != first.records or other.per_window != first.per_window:
                self.problems.append(f"{first.label}: {first.reader} read {first.records} records, {other.reader} "
                                     f"(w={other.workers}) {other.records}, or per window they differ")
            elif other.digest != first.digest:
                self.problems.append(f"{first.label}: the records of {first.reader} and {other.reader} "
                                     f"(w={other.workers}) differ in content")


def machine() -> Dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = f"{kb / 1024 ** 2:.1f} GiB"
    except (OSError, AttributeError):
        pass
    try:
        from importlib.metadata import version

        cdk = version("airbyte-cdk")
    except Exception:
        cdk = "unknown"
    try:
        from importlib.metadata import distributions

        names = {(d.metadata["Name"] or "").lower() for d in distributions()}
        packages = f"{len(names)}: " + ("the connector's own dependencies, as in its image (`make benchmark`)" if "airbyte" not in names
                                        else "with the test dependencies (PyAirbyte, boto3), which slow the CDK's start-up")
    except Exception:
        packages = "unknown"
    try:
        load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "unknown"
    return {"CPU": cpu, "Cores": str(os.cpu_count()), "RAM": ram, "Load average 1/5/15 min (at the end)": load, "Python": platform.python_version(),
            "airbyte-cdk": cdk, "Installed distributions": packages, "OS": platform.platform(), "Date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def startup_s(runs: int = 5) -> float:
    """The fastest of `runs` runs of `source-linkedin-learning spec`: the start-up that every
    command, and so every sync, pays before its first request."""
    script = str(Path(PYTHON).parent / "source-linkedin-learning")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([script, "spec"], cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return min(times)


def render(results: Dict[str, Result], targets: List[Tuple[str, str, bool]], sizes: Sizes, workers: int,
           smoke: bool, command: str, problems: List[str], startup: float, repeats: int) -> str:
    lines = ["# Benchmark: source-linkedin-learning `read` against the simulator", ""]
    if smoke:
        lines += ["**Smoke size** (CI): the numbers only show that every measurement runs; they say nothing about speed.", ""]
    lines += [f"Command: `{command}`", "", "| Machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine().items()]
    lines += ["", f"Simulator (own process, page cache warmed before timing): {sizes.learners} learners, {sizes.groups} groups, "
              f"{sizes.courses} courses, page size {PAGE_SIZE}, day windows ending {END}. N = {workers} workers.", "",
              "| Run | Reader | Workers | Records | Wall s | Records/s | Peak RSS MB | CPU s | HTTP requests (reports + token) | Expected reports | Simulator CPU share |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for key, r in results.items():
        lines.append(f"| {r.label} | {r.reader} | {r.workers} | {r.records} | {r.wall_cell} | {r.rps:,.0f} | {r.rss_cell} | "
                     f"{r.cpu_s:.2f} | {r.requests} + {r.tokens} | {r.expected_requests} | {r.sim_cpu_share:.0%} |")
    lines += ["", f"Start-up (`source-linkedin-learning spec`, fastest of 5): {startup:.2f} s, included in every wall time above."]
    lines += ["", "| Target | Measured | Result |", "|---|---|---|"]
    lines += [f"| {name} | {measured} | {verdict(ok)} |" for name, measured, ok in targets]
    lines += ["", "Reader (a) is the connector (`source-linkedin-learning read`), (b) the minimal reader of `benchmarks/run.py` "
              "(requests + orjson, one thread, the same pages and RECORD lines; N threads in the 300 ms run), "
              "(c) the connector with one worker. "
              f"Rows with ranges ran {repeats} times, interleaved (a, b, c, a, b, c, ...; the memory runs 100k, 1M, 100k, ...): "
              "wall time, CPU time and peak RSS are the medians of the tries, the ranges their lowest and highest. "
              "Records/s is records over the (median) wall time, start-up included. Peak RSS is the child's own "
              "(`wait4`). Expected reports = sum over streams and windows of max(1, ceil(records / page size)); "
              "one token request per run. The simulator CPU share is its CPU time over the run's wall time; "
              f"every run's pages are fetched once before it is timed and stay in the simulator's page cache ({PAGE_CACHE_MB} MB). "
              "A load average above the core count means other processes shared the machine: timings are then pessimistic.", ""]
    if problems:
        lines += ["## Problems", ""] + [f"- {p}" for p in problems] + [""]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (CI): every measurement, correctness only")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    parser.add_argument("--workers", type=int, default=4, help="N, the connector's num_workers for (a)")
    parser.add_argument("--strict", action="store_true", help="also exit non-zero when a performance target fails")
    parser.add_argument("--repeats", type=int, help="tries of each throughput and memory run, reported by their medians (3; 1 with --smoke)")
    parser.add_argument("--minimal-reader", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--config", help=argparse.SUPPRESS)
    parser.add_argument("--streams", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.minimal_reader:
        return minimal_reader(args.config, args.streams.split(","), args.threads)

    sizes = SMOKE if args.smoke else FULL
    n = args.workers
    repeats = args.repeats or (1 if args.smoke else 3)
    command = ("python benchmarks/run.py" + (" --smoke" if args.smoke else "") + (f" --workers {n}" if n != 4 else "")
               + (f" --repeats {args.repeats}" if args.repeats else ""))
    results: Dict[str, Result] = {}
    with tempfile.TemporaryDirectory(prefix="ll-bench-") as tmp:
        bench = Bench(sizes, n, Path(tmp))
        sim = SimProcess(sizes, Path(tmp))
        lat = None
        try:
            print("warming the simulator's page cache", file=sys.stderr, flush=True)
            bench.warm(sim, ALL, sizes.five_days)
            bench.warm(sim, SCALE, sizes.scale_days)
            five = f"all five streams, {sizes.five_days} days"
            scale = f"individual_content_activity, {sizes.scale_days} days"
            for key, label, streams, days in (("five", five, ALL, sizes.five_days), ("scale", scale, SCALE, sizes.scale_days)):
                tries = [[
                    bench.run(label, "(a) connector", sim, streams, days, n),
                    bench.run(label, "(b) minimal", sim, streams, days, 1),
                    bench.run(label, "(c) connector", sim, streams, days, 1),
                ] for _ in range(repeats)]
                bench.same_records([r for one in tries for r in one])
                for tag, row in zip("abc", medians(tries)):
                    results[f"{key}-{tag}"] = row
            lat = SimProcess(sizes, Path(tmp), latency_s=LATENCY_S)
            bench.warm(lat, ALL, sizes.five_days)
            latency_label = f"{five}, +{int(LATENCY_S * 1000)} ms/request"
            results["lat-a"] = bench.run(latency_label, "(a) connector", lat, ALL, sizes.five_days, n)
            results["lat-c"] = bench.run(latency_label, "(c) connector", lat, ALL, sizes.five_days, 1)
            bench.same_records([results["five-a"], results["lat-a"], results["lat-c"]])
            lat.stop()
            lat = SimProcess(sizes, Path(tmp), latency_s=SLOW_LATENCY_S)
            bench.warm(lat, ALL, sizes.slow_days)
            slow_label = f"all five streams, {sizes.slow_days} days, +{int(SLOW_LATENCY_S * 1000)} ms/request"
            results["slow-a"] = bench.run(slow_label, "(a) connector", lat, ALL, sizes.slow_days, n)
            results["slow-b"] = bench.run(slow_label, "(b) minimal", lat, ALL, sizes.slow_days, n)
            bench.same_records([results["slow-a"], results["slow-b"]])
            lat.stop()
            lat = None
            bench.warm(sim, SCALE, sizes.mem_large_days)  # both memory runs then read cached pages
            memory = (("mem-small", sizes.mem_small_days, sizes.mem_small_label),
                      ("mem-large", sizes.mem_large_days, sizes.mem_large_label))
            tries = [[bench.run(f"memory, {size} records ({days} days)", "(a) connector", sim, SCALE, days, n, digest=args.smoke)
                      for _, days, size in memory] for _ in range(repeats)]
            for (key, _, _), row in zip(memory, medians(tries)):
                results[key] = row
        finally:
            sim.stop()
            if lat is not None:
                lat.stop()

    targets = []
    for key, name in (("five", "all five streams"), ("scale", "individual_content_activity")):
        a, b = results[f"{key}-a"], results[f"{key}-b"]
        ratio = a.rps / b.rps if b.rps else 0.0
        targets.append((f"throughput, {name}: (a)/(b) >= {THROUGHPUT_TARGET:.0%}", f"{ratio:.0%} ({a.rps:,.0f} / {b.rps:,.0f} rec/s); "
                        f"(c)/(a) = {results[f'{key}-c'].rps / a.rps if a.rps else 0:.0%}", ratio >= THROUGHPUT_TARGET))
    connector_runs = [r for r in results.values() if r.reader != "(b) minimal"]
    req_ok = all(r.requests == r.expected_requests and r.tokens == 1 for r in connector_runs)
    targets.append(("requests: sum of max(1, ceil(records / page size)) + 1 token, every connector run",
                    ", ".join(f"{r.requests}+{r.tokens} vs {r.expected_requests}+1" for r in connector_runs), req_ok))
    for key, base, workers in (("lat-a", "five-a", n), ("lat-c", "five-c", 1)):
        r = results[key]
        allowed = 1.5 * ((r.requests + r.tokens) * LATENCY_S / workers) + results[base].wall_s
        targets.append((f"latency, {workers} worker(s): wall <= 1.5 x requests x 0.1 s / {workers} + no-latency wall",
                        f"{r.wall_s:.2f} s <= {allowed:.2f} s", r.wall_s <= allowed))
    a, b = results["slow-a"], results["slow-b"]
    targets.append((f"{int(SLOW_LATENCY_S * 1000)} ms a request, {n} workers: (a) wall <= {SLOW_TARGET:.2f} x (b) with {n} threads",
                    f"{a.wall_s:.2f} s vs {b.wall_s:.2f} s ({a.wall_s / b.wall_s - 1:+.1%})", a.wall_s <= SLOW_TARGET * b.wall_s))
    small, large = results["mem-small"], results["mem-large"]
    growth = large.rss_mb / small.rss_mb - 1 if small.rss_mb else 0.0
    targets.append((f"memory: peak RSS at {sizes.mem_large_label} within 10% of {sizes.mem_small_label}",
                    f"{large.rss_mb:.1f} MB vs {small.rss_mb:.1f} MB ({growth:+.1%})", growth <= 0.10))

    startup = startup_s()
    text = render(results, targets, sizes, n, args.smoke, command, bench.problems, startup, repeats)
    Path(args.output).write_text(text)
    print(text)
    if bench.problems:
        print("\n".join(["MEASUREMENT BROKEN:"] + bench.problems), file=sys.stderr)
        return 1
    if args.strict and not all(ok for _, _, ok in targets):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
