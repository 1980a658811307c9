"""HTTP layer: routes requests to the token endpoint and the reports endpoint, acts out faults."""
from __future__ import annotations

import socket
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from .auth import TOKEN_PATH, OAuthError
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

    def _reports(self, sim, settings, method, pairs, params, record):
        if method != "GET":
            raise ApiError(405, f"Method {method} not allowed on {REPORTS_PATH}", "METHOD_NOT_ALLOWED")
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
            return
        if fault["error"] is not None:
            record["fault"] = str(fault["error"].status)
            raise fault["error"]
        if settings.redirect_reports_to:
            self._send(307, b"", record, {"Location": settings.redirect_reports_to.rstrip("/") + self.path})
            return
        sim._tokens.check(self.headers.get("Authorization"), sim.token_now_ms())
        if settings.reject_tokens:
            raise ApiError(401, "Invalid access token", "UNAUTHORIZED")
        if not settings.api_access:
            raise ApiError(403, "Access to LinkedIn Learning APIs requires Partner Program membership", "FORBIDDEN")
        if len(params) != len(pairs):
            names = [k for k, _ in pairs]
            dup = sorted({k for k in names if names.count(k) > 1})
            raise invalid_params(f"Parameter(s) given more than once: {', '.join(dup)}")
        ds, watermark = sim._snapshot()
        body = sim._engine.page_bytes(ds, settings, params, watermark)
        if fault["truncated"]:
            record["fault"] = "truncated"
            body = body[: max(1, len(body) // 2)]  # a 200 whose JSON stops mid-way
        self._send(200, body, record)

    def _send(self, status: int, body: bytes, record: dict, headers: dict | None = None):
        record["status"] = status
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
        self.server.sim._record(dict(record))
        record["_logged"] = True
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
