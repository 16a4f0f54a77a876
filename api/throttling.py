"""The API's throttles: DRF's, counting in the `throttle` cache (saas/settings.py).

Every API request counts once per token's user (or IP when anonymous), so the counter is read
and written on every call. In production that cache is Redis, shared by every worker; in the
embedded mode (no REDIS_URL) it is each process's memory, where the file cache it used before
cost a file read, a write, a rename and a listing of the cache folder per request. Per process,
a member's fair-use limit is counted by each gunicorn worker on its own, so with 2 workers one
member may reach up to twice the rate: a fair-use limit, not a security line. The login's and
the writes' scoped rates (`api-login`, `api-write`) stay in the shared default cache, counted
once whatever the worker. Keys carry the schema either way (django_tenants.cache.make_key)."""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from rest_framework import throttling

_counts = ConnectionProxy(caches, "throttle")  # each thread's own client, as Django's `cache`


class UserRateThrottle(throttling.UserRateThrottle):
    cache = _counts


class AnonRateThrottle(throttling.AnonRateThrottle):
    cache = _counts
