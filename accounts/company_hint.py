"""The last company a person logged in to, as a hint for the incubator's public pages: an
offline training session's check-in (training.sessions_views) puts that company first.

Trainees have no public account (their users live in their company's schema), so the public
site cannot know their company. A login on a company's site leaves a cookie for the parent
domain (settings.BASE_DOMAIN) that holds the company's slug only, signed with
django.core.signing (a forged or altered one is ignored): no name, no user id, nothing
personal. It is a hint to order a list, never a credential."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django_tenants.utils import get_public_schema_name

from tenants.selectors import current_company

HINT_COOKIE = "last_company"
HINT_SALT = "accounts.company_hint"
HINT_AGE = 365 * 24 * 60 * 60


def company_hint_set(*, request: HttpRequest, response: HttpResponse) -> None:
    """After a login on a company's site: the hint names that company. Nothing on the public
    site."""
    if connection.schema_name == get_public_schema_name():
        return
    response.set_signed_cookie(HINT_COOKIE, current_company().slug, salt=HINT_SALT,
                               max_age=HINT_AGE, domain=settings.BASE_DOMAIN, httponly=True,
                               samesite="Lax", secure=request.is_secure())


def company_hint_of(*, request: HttpRequest) -> str:
    """The slug the hint names, or "" (none, expired, or not signed by this site)."""
    return request.get_signed_cookie(HINT_COOKIE, default="", salt=HINT_SALT,
                                     max_age=HINT_AGE)
