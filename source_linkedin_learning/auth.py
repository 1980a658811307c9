"""OAuth for LinkedIn Learning: one shared token per application, renewed before it expires."""

import hashlib
import threading
from dataclasses import dataclass
from typing import ClassVar, Dict, Optional, Tuple

import requests

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.auth.oauth import DeclarativeOauth2Authenticator
from airbyte_cdk.utils.datetime_helpers import AirbyteDateTime, ab_datetime_now
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_learning.config import ConfigError


@dataclass
class _Token:
    value: str
    issued_at: float
    expires_at: float
    renews_a_rejected_token: bool = False

    @property
    def lifetime(self) -> float:
        return self.expires_at - self.issued_at

    def is_new(self, window_seconds: float) -> bool:
        """Issued within the window, or a tenth of the lifetime if that is shorter."""
        return ab_datetime_now().timestamp() - self.issued_at < min(window_seconds, self.lifetime / 10)

    def is_fresh(self, margin_seconds: float) -> bool:
        """Renew a margin before expiry: at most a tenth of the lifetime, so short tokens still serve."""
        margin = min(margin_seconds, self.lifetime / 10)
        return ab_datetime_now().timestamp() < self.expires_at - margin


@dataclass
class LinkedInLearningOAuthAuthenticator(DeclarativeOauth2Authenticator):
    """LinkedIn issues tokens per application: one token serves every stream and is renewed
    once per lifetime, a margin before it expires, instead of once per stream."""

    expiry_margin_seconds: int = 60
    RENEWAL_WINDOW_SECONDS: ClassVar[float] = 5
    _tokens: ClassVar[Dict[Tuple[str, ...], _Token]] = {}  # the current token of each application
    _issued: ClassVar[Dict[str, _Token]] = {}  # every token this process was issued, by value
    _renewal: ClassVar[threading.Lock] = threading.Lock()  # one renewal at a time, over all streams

    @classmethod
    def forget_tokens(cls) -> None:
        """Drop every token, as a new process would start (for tests)."""
        cls._tokens.clear()
        cls._issued.clear()

    @classmethod
    def _keep(cls, key: Tuple[str, ...], token: _Token) -> None:
        cls._tokens[key] = token
        cls._issued[token.value] = token

    @classmethod
    def is_fresh_renewal(cls, value: str, window_seconds: float = 60) -> bool:
        """Whether `value` replaced a rejected token within the last minute (a tenth of its
        lifetime at most): a 401 for it means LinkedIn rejects these credentials."""
        token = cls._issued.get(value)
        return token is not None and token.renews_a_rejected_token and token.is_new(window_seconds)

    @classmethod
    def ran_out(cls, value: str) -> bool:
        """Whether `value` is a token of ours that has expired, is within its renewal margin, or
        was replaced since the request left: a 401 for it says the token ran out in flight, not
        that LinkedIn rejects the credentials, and the retry sends the current token."""
        token = cls._issued.get(value)
        if token is None:
            return False
        replaced = all(current is not token for current in cls._tokens.values())
        return replaced or not token.is_fresh(cls.expiry_margin_seconds)

    def _token_key(self) -> Tuple[str, ...]:
        secret = f"{self.get_client_secret()}\0{self.get_refresh_token() or ''}".encode()
        return (
            str(self.get_token_refresh_endpoint()),
            str(self.get_client_id()),
            str(self.get_grant_type()),
            hashlib.sha256(secret).hexdigest(),
        )

    def _is_fresh(self, token: Optional[_Token]) -> bool:
        return token is not None and token.is_fresh(self.expiry_margin_seconds)

    def token_has_expired(self) -> bool:
        return not self._is_fresh(self._tokens.get(self._token_key()))

    def get_access_token(self) -> str:
        key = self._token_key()
        token = self._tokens.get(key)
        if not self._is_fresh(token):
            with self._renewal:
                token = self._tokens.get(key)
                if not self._is_fresh(token):
                    token = self._issue(key)
        assert token is not None
        return token.value

    def refresh_and_set_access_token(self) -> None:
        """Called by the CDK after a 401: renew, unless another worker has just done so for the
        same rejection (the windows read at once all meet an expired token together)."""
        key = self._token_key()
        with self._renewal:
            token = self._tokens.get(key)
            if token is None or not (token.renews_a_rejected_token and token.is_new(self.RENEWAL_WINDOW_SECONDS)):
                token = self._issue(key, renews_a_rejected_token=True)
            self.access_token = token.value

    def _issue(self, key: Tuple[str, ...], renews_a_rejected_token: bool = False) -> _Token:
        issued_at = ab_datetime_now().timestamp()
        value, expires_at = self.refresh_access_token()
        token = _Token(value, issued_at, expires_at.timestamp(), renews_a_rejected_token)
        self._keep(key, token)
        self.access_token = value
        self.set_token_expiry_date(expires_at)
        return token

    def refresh_access_token(self) -> Tuple[str, AirbyteDateTime]:
        try:
            return super().refresh_access_token()
        except requests.HTTPError as error:
            status = error.response.status_code if error.response is not None else "?"
            fields = "'credentials.client_id' and 'credentials.client_secret'"
            if str(self.get_grant_type()) == "refresh_token":
                fields += " and 'credentials.refresh_token'"
            raise ConfigError(
                f"LinkedIn refused to issue an access token (HTTP {status} from 'token_url'): check {fields}. "
                "A LinkedIn Learning admin finds them under Admin > Settings > Access content and reports via API."
            ) from None
        except AirbyteTracedException as error:
            if error.failure_type == FailureType.transient_error:
                raise AirbyteTracedException(
                    message=f"Could not reach the token endpoint at 'token_url' ({self.get_token_refresh_endpoint()}): "
                    "check the URL and the network, then retry.",
                    internal_message=error.internal_message,
                    failure_type=FailureType.transient_error,
                ) from None
            raise
