"""JSON errors for every failure: a clear message, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("healthbot.http")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        messages = {
            413: "The request body is too large.",
            404: "There is nothing at this address.",
            405: "This address does not accept that method.",
        }
        return error_response(exc.code or 500, code, messages.get(exc.code or 0, exc.description or exc.name))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unexpected error (%s)", type(exc).__name__)
        return error_response(500, "internal_error", "Something went wrong on our side. Please try again.")
