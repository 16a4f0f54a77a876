from django.db.models import QuerySet

from accounts.models import AuditEntry, User


def audit_entries(*, target: User | None = None) -> QuerySet[AuditEntry]:
    """The current schema's account audit, newest first."""
    qs = AuditEntry.objects.select_related("actor", "target")
    return qs.filter(target=target) if target is not None else qs
