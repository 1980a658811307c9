"""Fault injection: decides, per report request, which failure (if any) the server acts out."""
from __future__ import annotations

import random
import threading

from .errors import ApiError

_5XX = [(500, "Internal Server Error", "INTERNAL_SERVER_ERROR"),
        (502, "Bad Gateway", "BAD_GATEWAY"),
        (503, "Service Unavailable", "SERVICE_UNAVAILABLE"),
        (504, "Gateway Timeout", "GATEWAY_TIMEOUT")]


class Faults:
    def __init__(self, seed: int):
        self._rng = random.Random(f"{seed}:faults")  # seeded so a fault sequence can be replayed
        self._lock = threading.Lock()
        self._cycle = 0
        self._seen = 0

    def _hit(self, rate: float) -> bool:
        if rate <= 0:
            return False
        if rate >= 1:
            return True
        with self._lock:
            return self._rng.random() < rate

    def next_5xx(self) -> ApiError:
        with self._lock:
            status, message, code = _5XX[self._cycle % len(_5XX)]
            self._cycle += 1
        return ApiError(status, message, code)

    def decide(self, settings) -> dict:
        """Returns {'stall': bool, 'dropped': bool, 'error': ApiError|None, 'truncated': bool}."""
        with self._lock:
            self._seen += 1
            calm = self._seen <= settings.faults_after
        if calm:
            return {"stall": False, "dropped": False, "error": None, "truncated": False}
        out = {"stall": self._hit(settings.rate_stall), "dropped": self._hit(settings.rate_dropped),
               "error": None, "truncated": False}
        if out["dropped"]:
            return out
        if self._hit(settings.rate_429):
            headers = {}
            if settings.retry_after_s is not None:
                ra = settings.retry_after_s
                headers["Retry-After"] = str(int(ra) if float(ra).is_integer() else ra)
            out["error"] = ApiError(429, "Rate limit exceeded", "RATE_LIMIT_EXCEEDED", headers)
        elif self._hit(settings.rate_5xx):
            out["error"] = self.next_5xx()
        else:
            out["truncated"] = self._hit(settings.rate_truncated)
        return out

    def token_error(self, settings) -> ApiError | None:
        return self.next_5xx() if self._hit(settings.token_rate_5xx) else None
