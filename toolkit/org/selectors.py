from django.db.models import QuerySet

from toolkit.org.models import Member, OrgUnit


def members() -> QuerySet[Member]:
    return Member.objects.select_related("user", "unit")


def member_for_user(user) -> Member | None:
    return Member.objects.select_related("unit").filter(user_id=user.pk).first()


def units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.select_related("parent")


def units_with_member_counts() -> QuerySet[OrgUnit]:
    from django.db.models import Count

    return OrgUnit.objects.annotate(member_count=Count("members")).order_by("order", "id")


def organisation_counts() -> dict[str, int]:
    from toolkit.org.models import UnitKind

    return {
        "units": OrgUnit.objects.count(),
        "branches": OrgUnit.objects.filter(kind=UnitKind.BRANCH).count(),
        "members": Member.objects.count(),
    }


def unit_tree() -> list[tuple[OrgUnit, int]]:
    """Every unit with its depth, parents before children, siblings in order."""
    from django.db.models import Count

    units = list(OrgUnit.objects.annotate(member_count=Count("members"))
                 .select_related("secretary__user").order_by("order", "id"))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[OrgUnit, int]] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered
