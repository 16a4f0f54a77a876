from django.db.models import QuerySet

from billing.entitlements import feature_allowed
from billing.models import Feature
from tenants.selectors import current_company
from toolkit.screen.models import DisplayToken
from toolkit.screen.tokens import token_digest

MAX_TOKEN_LENGTH = 100


def tokens() -> QuerySet[DisplayToken]:
    return DisplayToken.objects.select_related("created_by")


def token_for(*, raw: str) -> DisplayToken | None:
    """The live token `raw` names in this company, or None (unknown, revoked, or another
    company's: the table is this schema's)."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    return DisplayToken.objects.filter(digest=token_digest(raw), revoked_at__isnull=True).first()


def screen_allowed() -> bool:
    """The big screen is a paid feature: it goes dark when the company's plan lacks it or its
    paid features are paused (billing, 0027); the token stays valid for when it comes back."""
    return feature_allowed(current_company(), Feature.BIG_SCREEN)
