"""Shared pieces of the rate limits (settings: RATELIMIT_* in saas/settings.py)."""

from django.conf import settings
from django.shortcuts import render


def configured_rate(group: str, request) -> str:
    """`rate=` for @ratelimit: the group's rate from settings.RATELIMIT_RATES, read per
    request so an operator (or a test) can change it."""
    return settings.RATELIMIT_RATES[group]


def refused(request, exception):
    """RATELIMIT_VIEW: a page in the visitor's language, status 429."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response
