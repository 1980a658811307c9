"""Report windows: one `timeOffset` unit each, aligned to UTC day, ISO week or calendar month.

The CDK's cursor steps through the windows; this module only supplies the aligned boundaries it
starts and stops at, and the aligned point an incremental sync resumes from.
"""

import datetime
from typing import Any, Tuple

UTC = datetime.timezone.utc
STEPS = {"DAY": "P1D", "WEEK": "P1W", "MONTH": "P1M"}


def window_start(day: datetime.date, unit: str) -> datetime.date:
    """The first day of the window that holds `day`."""
    if unit == "WEEK":
        return day - datetime.timedelta(days=day.weekday())
    if unit == "MONTH":
        return day.replace(day=1)
    return day


def next_window_start(day: datetime.date, unit: str) -> datetime.date:
    """The first day of the window after the one that holds `day`."""
    if unit == "WEEK":
        return window_start(day, unit) + datetime.timedelta(days=7)
    if unit == "MONTH":
        return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return day + datetime.timedelta(days=1)


def to_ms(day: datetime.date) -> int:
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def from_ms(ms: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ms / 1000, tz=UTC)


def day_of(ms: Any) -> str:
    """The UTC day of epoch ms, for messages (given as read from a request or a slice); the value
    itself if it is no date."""
    try:
        return from_ms(int(ms)).date().isoformat()
    except (TypeError, ValueError, OverflowError, OSError):
        return str(ms)


def range_bounds(start: datetime.date, end: datetime.date, unit: str) -> Tuple[int, int]:
    """Epoch ms of the first window's start and the last window's exclusive end."""
    return to_ms(window_start(start, unit)), to_ms(next_window_start(end, unit))


def resume_point(state_ms: int, lookback_days: int, unit: str) -> int:
    """Start of the window holding the saved state moved back by `lookback_days`."""
    moved = from_ms(state_ms) - datetime.timedelta(days=lookback_days)
    return to_ms(window_start(moved.date(), unit))
