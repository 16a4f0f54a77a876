"""One address that fails to log in too often, under any usernames, is refused for a while.

The lockouts (django-axes) are keyed on the (username, IP) pair so that a stranger cannot lock
a member out; on their own they would let one address try one password on every member of a
company (five tries each). This counts failed logins per address, per company (the cache keys
carry the schema), and answers that address's next login POSTs with the 429 page before any
password is checked. The limit is far above what an office behind one address produces.
"""

from functools import lru_cache

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django_ratelimit.core import get_usage

from core.ratelimits import configured_rate, refused

GROUP = "login-failures-ip"


def _failures(request, *, count: bool) -> dict | None:
    return get_usage(request, group=GROUP, key="ip", rate=configured_rate, increment=count)


@receiver(user_login_failed, dispatch_uid="core.login_throttle.count")
def login_failure_count(sender, credentials, request=None, **kwargs):
    if request is not None:
        _failures(request, count=True)


def login_spent(request) -> bool:
    """The rate's count of failures has been reached (the next one would exceed it). The page
    (below) and the API's login (api/auth.py) both ask this."""
    usage = _failures(request, count=False)
    return usage is not None and (usage["should_limit"] or usage["count"] >= usage["limit"])


def _login_paths(request) -> frozenset[str]:
    """The site's login, and on the public site the Django admin's too (staff accounts)."""
    public = getattr(request, "tenant", None) is not None and request.tenant.is_public
    # The host's URLconf (public) is only installed after the middleware has run.
    return _paths(get_urlconf() or settings.ROOT_URLCONF, request.urlconf if public else None,
                  get_script_prefix())


@lru_cache(maxsize=64)
def _paths(urlconf, public_urlconf, _prefix) -> frozenset[str]:
    # Reversed once per URLconf and script prefix, not on every POST (the webhook's too).
    paths = {reverse("login", urlconf=urlconf)}
    if public_urlconf is not None:
        paths.add(reverse("admin:login", urlconf=public_urlconf))
    return frozenset(paths)


class LoginThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.method == "POST" and request.path_info in _login_paths(request)
                and login_spent(request)):
            return refused(request, None)
        return self.get_response(request)
