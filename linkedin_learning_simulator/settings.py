"""Simulator settings: one dataclass holding every knob, plus time helpers."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import Optional, Union

DAY_MS = 86_400_000
HOUR_MS = 3_600_000

# Knobs that change the generated data: changing one rebuilds the dataset.
DATA_FIELDS = ("seed", "learners", "groups", "courses", "days", "now")


@dataclasses.dataclass(frozen=True)
class SimulatorSettings:
    seed: int = 7
    learners: int = 40
    groups: int = 4
    courses: int = 12
    days: int = 30
    now: Union[str, int] = "2024-03-15T12:00:00Z"
    lag_hours: float = 30
    client_id: str = "sim-client-id"
    client_secret: str = "sim-client-secret"
    refresh_token: str = "sim-refresh-token"
    token_lifetime_s: int = 3600
    api_access: bool = True
    max_count: int = 100
    max_window_days: Optional[int] = None
    live_extras: bool = False
    latency_s: float = 0.0
    rate_429: float = 0.0
    retry_after_s: Optional[float] = None
    rate_5xx: float = 0.0
    rate_truncated: float = 0.0
    rate_dropped: float = 0.0
    rate_stall: float = 0.0
    stall_s: float = 0.0
    token_rate_5xx: float = 0.0
    faults_after: int = 0                  # report requests served before any fault knob applies
    reject_tokens: bool = False            # 401 for every bearer token, even a fresh one (revoked app)
    token_clock: str = "simulator"         # "wall": tokens expire in real seconds, for mid-sync expiry
    redirect_reports_to: Optional[str] = None  # answer reports with 307 to this base URL
    page_cache_mb: int = 256               # rendered pages kept (LRU); a benchmark raises it to serve every page from memory

    def replace(self, **changes) -> "SimulatorSettings":
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise TypeError(f"unknown simulator setting(s): {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)


def to_epoch_ms(value: Union[str, int, float]) -> int:
    """Accept epoch ms (int) or an ISO-8601 string (Z or offset; naive means UTC)."""
    if isinstance(value, bool):
        raise TypeError("time must be an ISO string or epoch milliseconds")
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(round(dt.timestamp() * 1000))


def add_months_ms(start_ms: int, months: int) -> int:
    """Calendar months in UTC, clamping the day (Jan 31 + 1 month = Feb 29/28)."""
    secs, rest_ms = divmod(start_ms, 1000)
    dt = datetime.fromtimestamp(secs, tz=timezone.utc)
    total = dt.month - 1 + months
    year, month = dt.year + total // 12, total % 12 + 1
    nxt_year, nxt_month = (year + 1, 1) if month == 12 else (year, month + 1)
    last_day = (datetime(nxt_year, nxt_month, 1) - datetime(year, month, 1)).days
    moved = dt.replace(year=year, month=month, day=min(dt.day, last_day))
    return int(moved.timestamp()) * 1000 + rest_ms
