"""Every API error is {code, message, fields}: `code` is stable (clients branch on it),
`message` is translated, `fields` maps a field name to its messages (empty if none).

A service's refusal (core.errors.Refused) is answered by core.errors' own mapping, so the API
and the pages give the same code and message for the same refusal (docs/decisions/0011).
DRF's own exceptions keep their codes (not_authenticated, permission_denied, not_found,
throttled, …); Django's Http404/PermissionDenied/ValidationError are mapped to DRF's."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Refused, error_status
from core.errors import error_body as refusal_body


def error_body(*, code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


def exception_handler(exc, context):
    if isinstance(exc, Refused):
        body = refusal_body(exc)
        return Response(error_body(code=body["code"], message=body["message"],
                                   fields=body["fields"]), status=error_status(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    if isinstance(exc, exceptions.APIException):
        response = drf_exception_handler(exc, context)  # keeps its headers (Retry-After, …)
        response.data = _api_exception_body(exc)
        return response
    return None  # a bug: Django's 500


def _api_exception_body(exc: exceptions.APIException) -> dict:
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError) and isinstance(detail, dict):
        fields = {name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
                  for name, msgs in detail.items()}
        first = next(iter(fields.values()), [""])
        codes = exc.get_codes()
        first_code = next(iter(codes.values()), "invalid") if isinstance(codes, dict) else codes
        if isinstance(first_code, list):
            first_code = first_code[0] if first_code else "invalid"
        code = first_code if "non_field_errors" in fields and len(fields) == 1 else "invalid"
        return error_body(code=str(code), message=first[0] if first else "", fields=fields)
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    return error_body(code=str(getattr(detail, "code", None) or exc.default_code),
                      message=str(detail))
