from django.db.models import QuerySet

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
