"""Reads about accounts."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from accounts.models import AuditEntry, User


@dataclass(frozen=True)
class Lockout:
    username: str
    ip_address: str
    failures: int
    last_failure: datetime
    until: datetime
    full_name: str


def lockouts_current(*, now: datetime | None = None) -> list[Lockout]:
    """The (username, IP) pairs locked out right now in this schema. Axes counts the failures
    of attempts newer than the cool-off; each failure moves an attempt's time forward, so a
    pair is free again a cool-off after its last failure."""
    since = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    rows = (AccessAttempt.objects.filter(attempt_time__gte=since)
            .values("username", "ip_address")
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by("-last"))
    names = dict(User.objects.filter(username__in=[row["username"] for row in rows])
                 .values_list("username", "full_name"))
    return [Lockout(username=row["username"] or "", ip_address=row["ip_address"] or "",
                    failures=row["failures"], last_failure=row["last"],
                    until=row["last"] + settings.AXES_COOLOFF_TIME,
                    full_name=names.get(row["username"], ""))
            for row in rows]


def audit_entries(*, target: User | None = None) -> QuerySet[AuditEntry]:
    """The current schema's account audit, newest first."""
    qs = AuditEntry.objects.select_related("actor", "target")
    return qs.filter(target=target) if target is not None else qs
