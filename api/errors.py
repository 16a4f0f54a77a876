"""Every API error is {code, message, fields}: `code` is stable (clients branch on it),
`message` is translated, `fields` maps a field name to its messages (empty if none).

DRF's own exceptions keep their codes (not_authenticated, permission_denied, not_found,
throttled, …); Django's Http404/PermissionDenied/ValidationError are mapped to DRF's; any
exception carrying `code` and `message` (a service refusal) is answered with both, status 400
unless it says otherwise. The services' older refusal classes, which carry only a message, get
a code from REFUSAL_CODES until they move to the shared refusal type."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from toolkit.life.services import CheckinRefused, DuesRefused
from toolkit.mall.services import RedemptionRefused
from toolkit.points.services import PointsRefused
from toolkit.tasks.services import ArenaRefused
from toolkit.uploads import UploadRefused

REFUSAL_CODES = {
    ArenaRefused: "arena_refused",
    RedemptionRefused: "redemption_refused",
    PointsRefused: "points_refused",
    CheckinRefused: "checkin_refused",
    DuesRefused: "dues_refused",
    UploadRefused: "upload_refused",
}


def error_body(*, code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


def exception_handler(exc, context):
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
    if hasattr(exc, "code") and hasattr(exc, "message"):
        return Response(error_body(code=str(exc.code), message=exc.message,
                                   fields=getattr(exc, "fields", None)),
                        status=getattr(exc, "status", status.HTTP_400_BAD_REQUEST))
    for refusal, code in REFUSAL_CODES.items():
        if isinstance(exc, refusal):
            return Response(error_body(code=code, message=str(exc)),
                            status=status.HTTP_400_BAD_REQUEST)
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
