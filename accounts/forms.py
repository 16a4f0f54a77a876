from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class BoundedUsernameMixin:
    """Django's AuthenticationForm sets the username's max_length after the field is built,
    so it is never validated: a 5,000-character name reached the backends, and django-axes
    failed to record it in its 255-character column (a 500). Refused here, before anything
    authenticates or counts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    """The Django admin's login (public site, superusers), with the same bound."""


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    """Tells a deactivated member why they cannot sign in, but only once their password was
    right: a wrong password gets the usual message, so the state of an account is never
    revealed to someone who does not know its password."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "inactive": _("账号已停用，请联系管理员。"),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" and self._deactivated_with_right_password():
                raise ValidationError(self.error_messages["inactive"], code="inactive") from None
            raise

    def _deactivated_with_right_password(self) -> bool:
        # The backends skip inactive users, so their password is checked here, the same way
        # ModelBackend would (by the username as typed).
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        user = User.objects.filter(username=username, is_active=False).first()
        return user is not None and user.check_password(password)

