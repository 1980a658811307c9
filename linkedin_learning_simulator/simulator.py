"""The Simulator: owns settings, clock, data (reports and catalog), caches, tokens and the request
log; runs the server."""
from __future__ import annotations

import collections
import copy
import json
import threading
import time
from typing import Optional

from .auth import TOKEN_PATH, TokenStore
from .catalog import CATALOG_TYPES, catalog_locale
from .catalog_api import CatalogEngine
from .data import Dataset
from .errors import invalid_params
from .faults import Faults
from .jsonutil import dumps, loads
from .reports import ReportEngine, make_query
from .server import SimHTTPServer
from .settings import DATA_FIELDS, DAY_MS, HOUR_MS, SimulatorSettings, to_epoch_ms
from .taxonomy import TYPES as CLASSIFICATION_TYPES


class Simulator:
    def __init__(self, settings: Optional[SimulatorSettings] = None, log_path: Optional[str] = None,
                 control: bool = False, **overrides):
        settings = (settings or SimulatorSettings()).replace(**overrides)
        self._lock = threading.RLock()
        self._initial = settings  # what reset() goes back to
        self.control_enabled = control  # serve /_sim/ (loopback clients only); the CLI turns it on
        self._settings = settings
        self._now_ms = to_epoch_ms(settings.now)
        self._version = 0
        self._dataset = Dataset(settings, self._version)
        self._engine = ReportEngine(page_cache_mb=settings.page_cache_mb)
        self._catalog_engine = CatalogEngine()
        self._tokens = TokenStore()
        self._faults = Faults(settings.seed)
        self._requests = collections.deque(maxlen=200_000)  # bounded: long benchmarks must not grow memory
        self._log_path = log_path
        self._log_lock = threading.Lock()
        self._server: Optional[SimHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._server is not None:
            return self.base_url
        self._server = SimHTTPServer((host, port), self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="linkedin-learning-simulator", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
            self._thread.join(timeout=5)

    def __enter__(self) -> "Simulator":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("simulator not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def token_url(self) -> str:
        return self.base_url + TOKEN_PATH

    # --- knobs and clock -------------------------------------------------------------------------
    @property
    def settings(self) -> SimulatorSettings:
        return self._settings

    def configure(self, **changes) -> SimulatorSettings:
        with self._lock:
            new = self._settings.replace(**changes)  # TypeError on an unknown knob
            if "now" in changes:
                self._now_ms = to_epoch_ms(new.now)
            if any(getattr(new, f) != getattr(self._settings, f) for f in DATA_FIELDS):
                self._version += 1
                self._dataset = Dataset(new, self._version)
                self._engine.clear()
                self._catalog_engine.clear()
            if new.seed != self._settings.seed:
                self._faults = Faults(new.seed)
            self._settings = new
            return new

    def advance(self, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0) -> int:
        """Move the clock forward; the watermark follows and tokens may expire. With
        catalog_updates_per_day, each midnight crossed changes that many assets. Returns now (ms)."""
        with self._lock:
            before = self._now_ms
            self._now_ms += int(days * DAY_MS + hours * HOUR_MS + minutes * 60_000 + seconds * 1000)
            per_day = self._settings.catalog_updates_per_day
            if per_day > 0:
                catalog = self._dataset.catalog()
                for day in range(before // DAY_MS + 1, self._now_ms // DAY_MS + 1):
                    catalog.touch(per_day, day * DAY_MS)  # the catalog's nightly publishing run
            return self._now_ms

    def reset(self) -> None:
        """Back to the settings and clock the simulator started with: fresh data and catalog (no
        touched assets), empty request log, fault sequence from the start. Issued tokens stay valid."""
        with self._lock:
            self._settings = self._initial
            self._now_ms = to_epoch_ms(self._initial.now)
            self._version += 1
            self._dataset = Dataset(self._initial, self._version)
            self._engine.clear()
            self._catalog_engine.clear()
            self._faults = Faults(self._initial.seed)
        self.clear_requests()

    @property
    def now_ms(self) -> int:
        return self._now_ms

    @property
    def watermark_ms(self) -> int:
        return self._now_ms - int(self._settings.lag_hours * HOUR_MS)

    def token_now_ms(self) -> int:
        """The clock tokens expire on: the simulator's, or wall time with token_clock='wall'."""
        if self._settings.token_clock == "wall":
            return int(time.time() * 1000)
        return self.now_ms

    def _snapshot(self):
        with self._lock:
            return self._dataset, self.watermark_ms

    # --- observation -----------------------------------------------------------------------------
    @property
    def requests(self) -> list:
        with self._log_lock:
            return [dict(r, params=dict(r["params"])) for r in self._requests]

    def clear_requests(self) -> None:
        with self._log_lock:
            self._requests.clear()

    @property
    def tokens_issued(self) -> list:
        return list(self._tokens.issued)

    def _record(self, record: dict) -> None:
        with self._log_lock:
            self._requests.append(record)
            if self._log_path:
                with open(self._log_path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    def report(self, primary, secondary=None, started_at=None, unit="DAY", duration=1,
               content_source="ALL_SOURCES", asset_type=None, locale_language=None) -> list:
        """The full, ordered element list the API pages through for this window (raises ApiError)."""
        settings = self._settings
        query = make_query(settings, primary, secondary, started_at, unit, duration, content_source,
                           asset_type, locale_language)
        ds, watermark = self._snapshot()
        elements = self._engine.elements(ds, query, watermark, settings.live_extras)
        if query.is_example:
            return copy.deepcopy(elements)
        return elements  # rendered afresh on each call: callers may mutate it freely

    # --- catalog ---------------------------------------------------------------------------------
    @property
    def catalog(self):
        """The current world's Catalog (built on first use)."""
        return self._snapshot()[0].catalog()

    def learning_assets(self, asset_type: str = "COURSE", language: str = "en", country: Optional[str] = "US",
                        include_retired: bool = False, expand_depth: int = 1) -> list:
        """Every asset q=localeAndType pages through for these parameters, as records."""
        if asset_type not in CATALOG_TYPES:
            raise invalid_params(f"asset_type must be one of {', '.join(CATALOG_TYPES)}, got '{asset_type}'")
        catalog = self.catalog
        with catalog.lock:
            rows = catalog.assets((asset_type,), [(language, country)], include_retired=include_retired)
            return loads(dumps([catalog.render(asset, locale, expand_depth) for asset, locale in rows]))

    def learning_classifications(self, type: str = "TOPIC", language: str = "en",
                                 country: Optional[str] = "US") -> list:
        """Every classification q=localeAndType pages through for this type and locale."""
        if type not in CLASSIFICATION_TYPES:
            raise invalid_params(f"type must be one of {', '.join(CLASSIFICATION_TYPES)}, got '{type}'")
        locale = catalog_locale(language, country)
        return loads(dumps(self.catalog.classifications(type, locale))) if locale else []

    def touch_assets(self, n: int = 1, asset_type: Optional[str] = None, retire: bool = False) -> list:
        """Change n active assets now (lastUpdatedAt = the simulator's now; retire=True retires them,
        a course with its videos), least-touched first in a seeded order. Returns their URNs."""
        if asset_type is not None and asset_type not in CATALOG_TYPES:
            raise invalid_params(f"asset_type must be one of {', '.join(CATALOG_TYPES)}, got '{asset_type}'")
        return self.catalog.touch(n, self.now_ms, asset_type=asset_type, retire=retire)
