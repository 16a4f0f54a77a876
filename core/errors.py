"""One type for every refusal a user can cause, and the one place it becomes a page's message,
a form's errors or an API's error body.

A service raises `Refused` (or a subclass named for its app, e.g. `RedemptionRefused`) with a
stable snake_case `code` (part of the API contract: docs/decisions/0011-one-refusal-type.md)
and a translated message; a refusal of the user's input names its fields. Bugs stay ordinary
exceptions.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext as _

# The codes of Django's own exceptions when they reach the mapping (model validation, an
# access decorator).
INVALID = "invalid"
FORBIDDEN = "forbidden"


class Refused(Exception):
    """A user-caused refusal: `code` for programs, `message` (translated) for people, `fields`
    ({field name: [messages]}) when particular inputs are wrong."""

    code = "refused"

    def __init__(self, message: str = "", *, code: str | None = None,
                 fields: dict[str, list[str]] | None = None):
        self.code = code or type(self).code
        self.fields = {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()}
        self.message = str(message) if message else _first(self.fields)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class Forbidden(Refused):
    """The user may not do this (their role or unit); a GET shows the 403 page."""

    code = FORBIDDEN

    def __init__(self, message: str = "", *, code: str | None = None, fields=None):
        super().__init__(message or _("你没有权限进行此操作。"), code=code, fields=fields)


def _first(fields: dict[str, list[str]]) -> str:
    for messages in fields.values():
        if messages:
            return messages[0]
    return _("操作未能完成。")


def refusal_to_form(form, refusal: Refused | ValidationError) -> None:
    """A refusal shown on the form it came from: each field's messages on that field (or at the
    top when the form has no such field), a refusal without fields at the top."""
    if isinstance(refusal, ValidationError):
        fields = (refusal.message_dict if hasattr(refusal, "error_dict")
                  else {NON_FIELD_ERRORS: refusal.messages})
    else:
        fields = refusal.fields or {NON_FIELD_ERRORS: [refusal.message]}
    for name, messages in fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def refusal_message(error: Exception) -> str:
    """The one line a page flashes for a refusal (Refused, ValidationError, PermissionDenied)."""
    return error_body(error)["message"]


def error_body(error: Exception) -> dict:
    """The API's error body, {code, message, fields}, for a Refused and for Django's own
    ValidationError and PermissionDenied (a DRF exception handler calls this)."""
    if isinstance(error, Refused):
        return {"code": error.code, "message": error.message, "fields": error.fields}
    if isinstance(error, ValidationError):
        fields = error.message_dict if hasattr(error, "error_dict") else {}
        general = (fields.pop(NON_FIELD_ERRORS, []) if fields
                   else [] if hasattr(error, "error_dict") else error.messages)
        message = general[0] if general else _first(fields) if fields else _("请检查填写的内容。")
        return {"code": INVALID, "message": message, "fields": fields}
    if isinstance(error, PermissionDenied):
        return {"code": FORBIDDEN, "message": _("你没有权限进行此操作。"), "fields": {}}
    raise TypeError(f"not a refusal: {error!r}")  # a bug stays a bug


def error_status(error: Exception) -> int:
    """The HTTP status that goes with error_body: 403 for a permission, 400 otherwise."""
    return 403 if isinstance(error, Forbidden | PermissionDenied) else 400
