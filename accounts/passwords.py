"""Password validators, as Django's, with their messages in the user's language."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from core.errors import Refused


class PasswordRefused(Refused):
    """A password the validators refuse; the reasons are on the `password` field."""


def password_check(*, password: str, user) -> None:
    """Django's password validators, as a refusal (the services' one error type)."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise PasswordRefused(code="password_too_weak",
                              fields={"password": error.messages}) from error


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 words the too-short message with `%d` while its own catalogues translate the
    `%(min_length)d` wording, so the message came out in English on Chinese pages. This asks
    for the wording the catalogues have (the one Django used before 5.2)."""

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
