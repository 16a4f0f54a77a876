"""Rate limits on codes, through django-ratelimit's core on the default cache.

The cache's key function (django_tenants.cache.make_key) puts the schema name in every key,
so each company has its own counters. The services have no request, only the value counted
(a mobile number, an IP address): django-ratelimit takes it from a key function, and with
method=ALL it never looks at the request itself.
"""

import ipaddress

from django_ratelimit import ALL
from django_ratelimit.core import get_usage


def _network(value: str) -> str:
    """An IPv6 address counts as its /64: one subscriber holds a whole /64 and could otherwise
    rotate through addresses (django-ratelimit's own key="ip" does the same)."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return value  # a mobile number or an account id
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return value


def limit_hit(*, group: str, value: str, rate: str) -> bool:
    """Counts one event; True when this one is over the limit."""
    return _usage(group, value, rate, increment=True)


def limit_reached(*, group: str, value: str, rate: str) -> bool:
    """True when the limit is used up already (counts nothing)."""
    return _usage(group, value, rate, increment=False)


def _usage(group: str, value: str, rate: str, *, increment: bool) -> bool:
    value = _network(value)
    usage = get_usage(None, group=group, key=lambda _group, _request: value, rate=rate,
                      method=ALL, increment=increment)
    if usage is None:  # RATELIMIT_ENABLE = False
        return False
    if increment:
        return usage["should_limit"]
    return usage["count"] >= usage["limit"]
