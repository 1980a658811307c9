"""API errors carried as exceptions so validation code can stop anywhere with the right answer."""
from __future__ import annotations


class ApiError(ValueError):
    def __init__(self, status: int, message: str, code: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}

    def body(self) -> dict:
        return {"status": self.status, "message": self.message, "code": self.code}


def invalid_params(message: str) -> ApiError:
    return ApiError(400, message, "INVALID_PARAMS")


def invalid_aggregation(message: str) -> ApiError:
    return ApiError(400, f"Invalid aggregation criteria: {message}", "INVALID_AGGREGATION_CRITERIA")


def internal_error() -> ApiError:
    return ApiError(500, "Internal Server Error", "INTERNAL_SERVER_ERROR")
