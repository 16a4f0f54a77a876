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
