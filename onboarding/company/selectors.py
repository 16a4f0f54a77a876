"""Reads for the company admin's setup pages."""

from django.db.models import QuerySet

from onboarding.company.models import MemberImport
from toolkit.org.models import OrgUnit


def imports_recent(*, limit: int = 5) -> QuerySet[MemberImport]:
    return MemberImport.objects.all()[:limit]


def rows_with_unit_names(*, rows: list[dict]) -> list[dict]:
    """An aggregate for the import preview: the roster rows (dicts, as the import keeps them)
    each with its unit's name under "unit" (one query)."""
    names = dict(OrgUnit.objects.filter(pk__in={r["unit_id"] for r in rows})
                 .values_list("id", "name"))
    return [{**row, "unit": names.get(row["unit_id"], "")} for row in rows]
