"""Simulator settings: one dataclass holding every knob, plus time helpers."""
from __future__ import annotations

import dataclasses
import typing
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
    faults_after: int = 0                  # API requests (reports, catalog) served before any fault knob applies
    reject_tokens: bool = False            # 401 for every bearer token, even a fresh one (revoked app)
    token_clock: str = "simulator"         # "wall": tokens expire in real seconds, for mid-sync expiry
    redirect_reports_to: Optional[str] = None  # answer reports with 307 to this base URL
    page_cache_mb: int = 256               # rendered pages kept (LRU); a benchmark raises it to serve every page from memory
    # Catalog (learningAssets / learningClassifications) and the two keys of an API application.
    report_access: bool = True             # False: reports answer 403 (application without the "Report" key)
    catalog_access: bool = True            # False: catalog answers 403 (application without the "Content" key)
    catalog_max_count: Optional[int] = None  # largest catalog `count`; None: the same as max_count
    catalog_modified_total: Optional[int] = None  # q=criteria with lastModifiedAfter: paging.total is always
    #                                        this number and at most this many assets are served (the reported cap)
    catalog_stale_after_hours: Optional[float] = None  # a lastModifiedAfter further back than this is ignored
    #                                        (old, unfiltered records, as reported); None: always honoured
    catalog_criteria_retired: bool = False  # honour includeRetired=true on q=criteria (the docs say active only)
    catalog_updates_per_day: int = 0       # advance(): this many assets get a new lastUpdatedAt per midnight crossed

    def replace(self, **changes) -> "SimulatorSettings":
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise TypeError(f"unknown simulator setting(s): {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)

    def public(self) -> dict:
        """All knobs as plain values, secrets masked (for the control endpoint)."""
        out = dataclasses.asdict(self)
        for name in ("client_secret", "refresh_token"):
            out[name] = "***"
        return out


def coerce_setting(name: str, value):
    """Check one knob value from JSON (control endpoint) against the field's type; returns it or
    raises TypeError/ValueError with a message naming the knob."""
    hints = typing.get_type_hints(SimulatorSettings)
    if name not in hints:
        raise TypeError(f"unknown simulator setting: {name}")
    hint = hints[name]
    args = typing.get_args(hint)
    if value is None:
        if type(None) in args:
            return None
        raise ValueError(f"setting '{name}' must not be null")
    if name == "now":
        to_epoch_ms(value)  # raises on a bad time
        return value
    base = next((a for a in args if a is not type(None)), hint)
    if base is bool:
        if isinstance(value, bool):
            return value
    elif base is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif base is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif base is str:
        if isinstance(value, str):
            return value
    raise ValueError(f"setting '{name}' must be {getattr(base, '__name__', base)}, got {value!r}")


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
