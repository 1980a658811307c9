"""The control endpoint of a running simulator: clock, knobs, request log, catalog changes, reset.

Served under /_sim/ (no LinkedIn path starts with an underscore), only to loopback clients, and
only when enabled (the command line enables it). Control requests are not written to the request
log and no fault or latency knob touches them, so rehearsing a bad night does not disturb counts.
Answers are plain JSON, errors `{"error": "..."}`.
"""
from __future__ import annotations

import ipaddress
import json
from datetime import datetime, timezone
from urllib.parse import parse_qsl

from .catalog import CATALOG_TYPES
from .settings import coerce_setting

PREFIX = "/_sim"
_ADVANCE = {"advance_days": "days", "advance_hours": "hours", "advance_minutes": "minutes",
            "advance_seconds": "seconds"}
ENDPOINTS = {
    "GET /_sim/clock": "now, watermark (ms and ISO)",
    "POST /_sim/clock": '{"advance_days": 1} (also _hours, _minutes, _seconds) or {"now": "2024-03-20T00:00:00Z"}',
    "GET /_sim/settings": "every knob (secrets masked)",
    "POST /_sim/configure": '{"rate_429": 0.3, "retry_after_s": 2, ...}: any knob, checked against its type',
    "GET /_sim/requests": "the request log (?since=N skips the first N records; ?limit=M)",
    "DELETE /_sim/requests": "clear the request log",
    "POST /_sim/touch_assets": '{"n": 3, "asset_type": "COURSE", "retire": false}: new lastUpdatedAt = now',
    "POST /_sim/reset": "back to the start settings and clock, fresh data and catalog, empty log",
}


class ControlError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def is_loopback(host: str) -> bool:
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def is_control_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _clock(sim) -> dict:
    now, watermark = sim.now_ms, sim.watermark_ms
    return {"now": now, "now_iso": _iso(now), "watermark": watermark, "watermark_iso": _iso(watermark)}


def _body(raw: bytes) -> dict:
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ControlError(400, f"body is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ControlError(400, "body must be a JSON object")
    return value


def handle(sim, method: str, path: str, query: str, raw: bytes) -> tuple:
    """(status, answer) for one control request; the caller has checked the client is loopback."""
    try:
        return 200, _route(sim, method, path.rstrip("/") or PREFIX, dict(parse_qsl(query)), raw)
    except ControlError as err:
        return err.status, {"error": str(err)}
    except (TypeError, ValueError) as err:  # a knob or time the simulator refused
        return 400, {"error": str(err)}


def _route(sim, method: str, path: str, query: dict, raw: bytes) -> dict:
    route = f"{method} {path}"
    if path == PREFIX and method == "GET":
        return {"endpoints": ENDPOINTS}
    if route == "GET /_sim/clock":
        return _clock(sim)
    if route == "POST /_sim/clock":
        body = _body(raw)
        unknown = sorted(set(body) - set(_ADVANCE) - {"now"})
        if unknown or not body:
            raise ControlError(400, f"expected 'now' or {', '.join(_ADVANCE)}; got {unknown or 'nothing'}")
        if "now" in body:
            sim.configure(now=coerce_setting("now", body["now"]))
        steps = {}
        for key, arg in _ADVANCE.items():
            if key in body:
                value = body[key]
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    raise ControlError(400, f"'{key}' must be a number >= 0 (the clock only moves forward)")
                steps[arg] = value
        if steps:
            sim.advance(**steps)
        return _clock(sim)
    if route == "GET /_sim/settings":
        return sim.settings.public()
    if route == "POST /_sim/configure":
        body = _body(raw)
        changes = {name: coerce_setting(name, value) for name, value in body.items()}
        sim.configure(**changes)
        return sim.settings.public()
    if route == "GET /_sim/requests":
        records = sim.requests
        since = _int(query, "since", 0)
        limit = _int(query, "limit", len(records))
        return {"total": len(records), "requests": records[since:since + limit]}
    if route == "DELETE /_sim/requests":
        sim.clear_requests()
        return {"total": 0, "requests": []}
    if route == "POST /_sim/touch_assets":
        body = _body(raw)
        unknown = sorted(set(body) - {"n", "asset_type", "retire"})
        if unknown:
            raise ControlError(400, f"unknown field(s): {', '.join(unknown)}")
        n, kind, retire = body.get("n", 1), body.get("asset_type"), body.get("retire", False)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ControlError(400, "'n' must be an integer >= 0")
        if kind is not None and kind not in CATALOG_TYPES:
            raise ControlError(400, f"'asset_type' must be one of {', '.join(CATALOG_TYPES)} or null")
        if not isinstance(retire, bool):
            raise ControlError(400, "'retire' must be true or false")
        return {"touched": sim.touch_assets(n, asset_type=kind, retire=retire), **_clock(sim)}
    if route == "POST /_sim/reset":
        sim.reset()
        return _clock(sim)
    known = {key.split(" ", 1)[1] for key in ENDPOINTS}
    if path in known:
        raise ControlError(405, f"method {method} not allowed on {path}")
    raise ControlError(404, f"no control endpoint {path}; GET {PREFIX} lists them")


def _int(query: dict, name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not raw.isdigit():
        raise ControlError(400, f"'{name}' must be an integer >= 0")
    return int(raw)
