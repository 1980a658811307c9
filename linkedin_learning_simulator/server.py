"""HTTP layer: routes requests to the token endpoint, the reports and catalog endpoints and the
control endpoint; acts out faults."""
from __future__ import annotations

import socket
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import control
from .auth import TOKEN_PATH, OAuthError
from .catalog_api import ASSETS_PATH, CLASSIFICATIONS_PATH, forbidden
from .errors import ApiError, invalid_params
from .jsonutil import dumps
from .reports import PATH as REPORTS_PATH

_MASKED = ("client_secret", "refresh_token")


class SimHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, sim):
        self.sim = sim
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive with Content-Length
    server_version = "LinkedInLearningSimulator/1.0"
    sys_version = ""

    def setup(self):
        super().setup()
        # One write per answer plus no Nagle delay keeps keep-alive round trips fast.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # quiet: the simulator keeps its own request log
        pass

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        try:
            n = int(length) if length else 0
        except ValueError:
            n = 0
        return self.rfile.read(n) if n > 0 else b""

    def _dispatch(self, method: str):
        sim = self.server.sim
        settings = sim.settings
        body_in = self._read_body()  # drain first so keep-alive stays in sync whatever we answer
        split = urlsplit(self.path)
        if sim.control_enabled and control.is_control_path(split.path):
            self._control(sim, method, split, body_in)
            return
        pairs = parse_qsl(split.query, keep_blank_values=True)
        params = dict(pairs)
        record = {"method": method, "path": split.path, "params": dict(params), "status": None,
                  "authorization": bool((self.headers.get("Authorization") or "").startswith("Bearer ")),
                  "referer": self.headers.get("referer"), "host": self.headers.get("Host"),
                  "time": time.time(), "fault": None}
        try:
            if settings.latency_s > 0:
                time.sleep(settings.latency_s)
            if split.path == TOKEN_PATH:
                self._token(sim, settings, method, body_in, record)
            elif split.path == REPORTS_PATH:
                self._reports(sim, settings, method, pairs, params, record)
            elif _under(split.path, ASSETS_PATH) or _under(split.path, CLASSIFICATIONS_PATH):
                self._catalog(sim, settings, method, split.path, pairs, params, record)
            else:
                raise ApiError(404, f"No resource at {split.path}", "NOT_FOUND")
        except ApiError as err:
            self._send(err.status, dumps(err.body()), record, err.headers)
        except OAuthError as err:
            self._send(err.status, dumps(err.body()), record)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:  # a bug must still answer, and show up in the log
            traceback.print_exc()
            self._send(500, dumps({"status": 500, "message": "Internal Server Error",
                                   "code": "INTERNAL_SERVER_ERROR"}), record)
        finally:
            if not record.pop("_logged", False):
                sim._record(record)

    def _token(self, sim, settings, method, body_in, record):
        form = dict(parse_qsl(body_in.decode("utf-8", "replace"), keep_blank_values=True))
        record["params"] = {k: ("***" if k in _MASKED else v) for k, v in form.items()}
        if method != "POST":
            raise ApiError(405, f"Method {method} not allowed on {TOKEN_PATH}", "METHOD_NOT_ALLOWED")
        fault = sim._faults.token_error(settings)
        if fault is not None:
            record["fault"] = "5xx"
            raise fault
        answer = sim._tokens.issue(settings, form, sim.token_now_ms())
        self._send(200, dumps(answer), record)

    def _faults(self, sim, settings, record):
        """Acts out the fault knobs for an API request: stalls, raises the error answer, or drops
        the connection (returns None: nothing more to send); else returns whether to truncate."""
        fault = sim._faults.decide(settings)
        if fault["stall"]:
            record["fault"] = "stall"
            time.sleep(settings.stall_s)
        if fault["dropped"]:
            record["fault"] = "dropped"
            sim._record(dict(record))
            record["_logged"] = True
            self.close_connection = True  # no answer at all: the client sees the connection close
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return None
        if fault["error"] is not None:
            record["fault"] = str(fault["error"].status)
            raise fault["error"]
        return fault["truncated"]

    def _authorize(self, sim, settings) -> None:
        sim._tokens.check(self.headers.get("Authorization"), sim.token_now_ms())
        if settings.reject_tokens:
            raise ApiError(401, "Invalid access token", "UNAUTHORIZED")
        if not settings.api_access:
            raise ApiError(403, "Access to LinkedIn Learning APIs requires Partner Program membership", "FORBIDDEN")

    @staticmethod
    def _no_repeats(params, pairs) -> None:
        if len(params) != len(pairs):
            names = [k for k, _ in pairs]
            dup = sorted({k for k in names if names.count(k) > 1})
            raise invalid_params(f"Parameter(s) given more than once: {', '.join(dup)}")

    def _reports(self, sim, settings, method, pairs, params, record):
        if method != "GET":
            raise ApiError(405, f"Method {method} not allowed on {REPORTS_PATH}", "METHOD_NOT_ALLOWED")
        truncate = self._faults(sim, settings, record)
        if truncate is None:
            return
        if settings.redirect_reports_to:
            self._send(307, b"", record, {"Location": settings.redirect_reports_to.rstrip("/") + self.path})
            return
        self._authorize(sim, settings)
        if not settings.report_access:  # an application with the "Content" key only
            raise ApiError(403, "Not enough permissions to access: learningActivityReports.GET.NO_VERSION",
                           "ACCESS_DENIED")
        self._no_repeats(params, pairs)
        ds, watermark = sim._snapshot()
        body = sim._engine.page_bytes(ds, settings, params, watermark)
        if truncate:
            record["fault"] = "truncated"
            body = body[: max(1, len(body) // 2)]  # a 200 whose JSON stops mid-way
        self._send(200, body, record)

    def _catalog(self, sim, settings, method, path, pairs, params, record):
        if method != "GET":
            raise ApiError(405, f"Method {method} not allowed on {path}", "METHOD_NOT_ALLOWED")
        truncate = self._faults(sim, settings, record)
        if truncate is None:
            return
        self._authorize(sim, settings)
        if not settings.catalog_access:  # an application with the "Report" key only
            raise forbidden(path)
        self._no_repeats(params, pairs)
        ds, _ = sim._snapshot()
        body = sim._catalog_engine.answer(ds, settings, path, params, sim.now_ms)
        if truncate:
            record["fault"] = "truncated"
            body = body[: max(1, len(body) // 2)]
        self._send(200, body, record)

    def _control(self, sim, method, split, body_in):
        """Loopback only: the knobs and the clock of a shared simulator are not for the network."""
        if not control.is_loopback(self.client_address[0]):
            status, answer = 403, {"error": "the control endpoint answers loopback clients only"}
        else:
            status, answer = control.handle(sim, method, split.path, split.query, body_in)
        self._send(status, dumps(answer), None)

    def _send(self, status: int, body: bytes, record: dict | None, headers: dict | None = None):
        """One write per answer; the record (None: not logged, for control requests) is logged first."""
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        lines = [f"HTTP/1.1 {status} {reason}", "Content-Type: application/json",
                 f"Content-Length: {len(body)}", f"Server: {self.server_version}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if self.close_connection:
            lines.append("Connection: close")
        # Log before answering, so a client that got its answer always finds it in sim.requests.
        if record is not None:
            record["status"] = status
            self.server.sim._record(dict(record))
            record["_logged"] = True
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def _under(path: str, base: str) -> bool:
    """The collection itself or one of its entities (get by URN)."""
    return path == base or path.startswith(base + "/")
