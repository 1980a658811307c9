"""OAuth token endpoint and bearer-token checks; tokens expire on the simulator's clock."""
from __future__ import annotations

import secrets
import threading

from .errors import ApiError

TOKEN_PATH = "/oauth/v2/accessToken"
REFRESH_TOKEN_LIFETIME_S = 31_536_000


class OAuthError(Exception):
    """Token endpoint errors use the OAuth body shape, not the API's ErrorResponse."""

    def __init__(self, status: int, error: str, description: str):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description

    def body(self) -> dict:
        return {"error": self.error, "error_description": self.description}


class TokenStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._expiry: dict = {}  # token -> expiry (simulator epoch ms)
        self.issued: list = []

    def issue(self, settings, form: dict, now_ms: int) -> dict:
        grant = form.get("grant_type")
        if not grant:
            raise OAuthError(400, "invalid_request", "Missing required parameter: grant_type")
        if grant not in ("client_credentials", "refresh_token"):
            raise OAuthError(400, "invalid_request", f"Unsupported grant_type: {grant}")
        needed = ["client_id", "client_secret"] + (["refresh_token"] if grant == "refresh_token" else [])
        for name in needed:
            if not form.get(name):
                raise OAuthError(400, "invalid_request", f"Missing required parameter: {name}")
        if (not secrets.compare_digest(form["client_id"], settings.client_id)
                or not secrets.compare_digest(form["client_secret"], settings.client_secret)
                or (grant == "refresh_token"
                    and not secrets.compare_digest(form["refresh_token"], settings.refresh_token))):
            raise OAuthError(401, "invalid_client", "Client authentication failed")
        token = "AQ" + secrets.token_urlsafe(32)
        with self._lock:
            self._expiry[token] = now_ms + int(settings.token_lifetime_s * 1000)
            self.issued.append(token)
        answer = {"access_token": token, "expires_in": int(settings.token_lifetime_s)}
        if grant == "refresh_token":
            answer["refresh_token"] = settings.refresh_token
            answer["refresh_token_expires_in"] = REFRESH_TOKEN_LIFETIME_S
        return answer

    def check(self, authorization: str | None, now_ms: int) -> None:
        if not authorization or not authorization.startswith("Bearer "):
            raise ApiError(401, "Invalid access token", "UNAUTHORIZED")
        token = authorization[len("Bearer "):].strip()
        with self._lock:
            expiry = self._expiry.get(token)
        if expiry is None:
            raise ApiError(401, "Invalid access token", "UNAUTHORIZED")
        if now_ms >= expiry:
            raise ApiError(401, "Expired access token", "UNAUTHORIZED")
