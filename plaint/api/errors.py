"""Every API error is JSON ``{"code", "message", "fields"}`` with a 4xx status.

Clients branch on ``code``; ``fields`` maps an input field (dotted path) to
what is wrong with it; ``message`` is for people, in their language.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from plaint.api.text_guard import refuse_nul_characters
from plaint.core.exceptions import ApplicationError, ErrorCode
from plaint.core.ratelimit import RateLimited

REQUEST_TOO_LARGE = "request_too_large"


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error responses an endpoint declares, for its OpenAPI schema: 400 (a body
    that is not JSON), 401, 422, and the ``statuses`` the endpoint itself may return."""
    return dict.fromkeys((400, 401, 422, *statuses), ErrorOut)


def _render(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


def _field_name(location: list[Any]) -> str:
    # ninja reports e.g. ["body", "payload", "demands", 0, "amount"]; clients know
    # only the last part ("demands.0.amount").
    parts = [str(p) for p in location]
    if parts and parts[0] in {"body", "query", "path", "header", "form", "file", "cookie"}:
        parts = parts[1:]
        if parts and parts[0] in {"payload", "filters", "data"}:
            parts = parts[1:]
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every error into the one JSON shape (and the guard that
    refuses a NUL character in any input, which PostgreSQL cannot store)."""
    api.add_decorator(refuse_nul_characters(partial(_render, api)), mode="view")

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return _render(api, request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = _render(api, request, exc.status, exc.code, exc.message)
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(list(error.get("loc", []))), []).append(
                str(error.get("msg", ""))
            )
        return _render(api, request, 422, ErrorCode.VALIDATION_ERROR,
                       gettext("The request is not valid."), fields)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _render(api, request, 401, ErrorCode.NOT_AUTHENTICATED,
                       gettext("Sign in or send a valid API token."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _render(api, request, 404, ErrorCode.NOT_FOUND, gettext("Not found."))

    @api.exception_handler(RequestDataTooBig)
    @api.exception_handler(TooManyFieldsSent)
    @api.exception_handler(TooManyFilesSent)
    def request_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Django raises these while the body is read (settings DATA_UPLOAD_MAX_*): without this
        # handler its HTML "Bad Request" page went out, not the API's JSON.
        return _render(api, request, 400, REQUEST_TOO_LARGE,
                       gettext("The request is larger than the server accepts."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own: 400 for a body that is not JSON, 403 for a failed CSRF check.
        code = (ErrorCode.PERMISSION_DENIED if exc.status_code == 403
                else ErrorCode.VALIDATION_ERROR if exc.status_code < 500 else "server_error")
        return _render(api, request, exc.status_code, code, str(exc))
