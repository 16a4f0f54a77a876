"""The client's IP address, for login lockouts and rate limits alike.

Behind a reverse proxy REMOTE_ADDR is the proxy's own address, so every visitor would share
one lockout and one rate-limit bucket. X-Forwarded-For is trusted only when the operator says
how many proxies they run (TRUSTED_PROXY_COUNT): a client can write anything into that header,
so we take the address the outermost trusted proxy appended, never the leftmost one.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if hop.strip()]
        if len(hops) >= count and _is_ip(hops[-count]):  # a miscounted proxy passes junk on
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
