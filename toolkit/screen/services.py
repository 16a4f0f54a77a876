import datetime

from django.db import transaction
from django.utils import timezone

from core.errors import Forbidden
from toolkit.screen.models import DisplayToken
from toolkit.screen.tokens import token_digest, token_new

# How often a screen's use is written down (not at every refresh).
USE_RECORD_EVERY = datetime.timedelta(minutes=5)


@transaction.atomic
def display_token_create(*, by, name: str) -> tuple[DisplayToken, str]:
    """A new display token; the raw token is returned once and never stored."""
    if not by.is_company_admin:
        raise Forbidden
    raw = token_new()
    token = DisplayToken.objects.create(name=name.strip(), digest=token_digest(raw),
                                        hint=raw[:6], created_by=by)
    return token, raw


@transaction.atomic
def display_token_revoke(*, by, token: DisplayToken) -> None:
    """Revoked at once: the screen's next refresh is refused."""
    if not by.is_company_admin:
        raise Forbidden
    DisplayToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now())


def display_token_used(*, token: DisplayToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_RECORD_EVERY:
        DisplayToken.objects.filter(pk=token.pk).update(last_used_at=now)
