import datetime
from typing import NamedTuple

from django.db.models import F, QuerySet
from django.utils import timezone

from toolkit.org.models import Member, OrgUnit, UnitKind


def by_name(*, field: str = "user__name_sort"):
    """An order_by term for members (or users, field="name_sort") by name, in pinyin order
    (accounts.names): the same on every PostgreSQL, with or without ICU."""
    return F(field)


def members() -> QuerySet[Member]:
    return Member.objects.select_related("user", "unit")


def member_for_user(*, user) -> Member | None:
    """The user's Member row in this company (None for the admin, who is no member)."""
    return Member.objects.select_related("unit").filter(user_id=user.pk).first()


def units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.select_related("parent")


def units_with_member_counts() -> QuerySet[OrgUnit]:
    from django.db.models import Count

    return OrgUnit.objects.annotate(member_count=Count("members")).order_by("order", "id")


def organisation_counts() -> dict[str, int]:
    """An aggregate for the setup pages: {"units", "branches", "members"} counts."""
    from toolkit.org.models import UnitKind

    return {
        "units": OrgUnit.objects.count(),
        "branches": OrgUnit.objects.filter(kind=UnitKind.BRANCH).count(),
        "members": Member.objects.count(),
    }


class TreeRow(NamedTuple):
    unit: OrgUnit  # annotated with member_count, its secretary loaded
    depth: int  # 0 for a root


def unit_tree() -> list[TreeRow]:
    """An aggregate of the whole tree: every unit with its depth, parents before children,
    siblings in order."""
    from django.db.models import Count

    units = list(OrgUnit.objects.annotate(member_count=Count("members"))
                 .select_related("secretary__user").order_by("order", "id"))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[TreeRow] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            ordered.append(TreeRow(unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def descendants_of(*, unit: OrgUnit) -> list[int]:
    """The ids of the unit and every unit under it, an aggregate of the tree walk (the tree
    is small: one query)."""
    return descendants_of_id(unit_id=unit.pk)


def branch_units_of(*, unit_id: int) -> list[int]:
    """The ids of the 党支部 the unit belongs to (itself, or the nearest branch above a 党小组)
    and every unit under it: a branch's board includes its groups. A unit with no branch at
    or above it (a committee) stands for itself alone, as in the monthly close's boards."""
    units = {pk: (parent_id, kind) for pk, parent_id, kind in
             OrgUnit.objects.values_list("id", "parent_id", "kind")}
    current = unit_id
    while current is not None and current in units and units[current][1] != UnitKind.BRANCH:
        current = units[current][0]
    return descendants_of_id(unit_id=current) if current in units else [unit_id]


def descendants_of_id(*, unit_id: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in OrgUnit.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [unit_id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def managed_unit_ids(*, user, at: datetime.datetime | None = None) -> list[int]:
    """Ids of the units whose tasks, meetings and dues this user runs: every unit for the
    company admin, a secretary's own unit and those under it, the unit (and those under it) a
    member acts as secretary of this month (今天我来当书记; the month of `at`, now by default,
    in Asia/Shanghai), none for anyone else. The rule behind unit_managed_by; pages use the
    ids to limit their queries."""
    from accounts.models import Role
    from toolkit.org.models import Position

    if user.role == Role.COMPANY_ADMIN:
        return list(OrgUnit.objects.values_list("id", flat=True))
    member = member_for_user(user=user)
    if member is None:
        return []
    roots = acting_unit_ids(member=member, at=at)
    if member.unit is not None and member.position in (Position.SECRETARY,
                                                       Position.DEPUTY_SECRETARY):
        roots.append(member.unit_id)
    found: list[int] = []
    for unit_id in roots:
        found.extend(pk for pk in descendants_of_id(unit_id=unit_id) if pk not in found)
    return found


def acting_unit_ids(*, member: Member, at: datetime.datetime | None = None) -> list[int]:
    """The unit(s) the member acts as secretary of in the month of `at` (Asia/Shanghai)."""
    from toolkit.org.acting import ActingSecretary

    month = timezone.localdate(at or timezone.now()).replace(day=1)
    return list(ActingSecretary.objects.filter(member=member, month=month)
                .values_list("unit_id", flat=True))


def acting_secretary_of(*, unit: OrgUnit, month: datetime.date):
    from toolkit.org.acting import ActingSecretary

    return (ActingSecretary.objects.select_related("member__user")
            .filter(unit=unit, month=month.replace(day=1)).first())


def committee_office(*, user) -> bool:
    """The committee office, which approves and assigns acting secretaries: the company admin
    or a (deputy) secretary of a 党委. Not the committee's acting secretary: choosing who acts
    is not among the rights a month passes on (decision 0025)."""
    if user.role == _company_admin_role():
        return True
    member = member_for_user(user=user)
    return member is not None and _committee_secretary(member=member)


def committee_secretary_rights(*, user, at: datetime.datetime | None = None) -> bool:
    """The committee secretary's rights (confirming the quarter's indices…): the admin, a
    (deputy) secretary of a 党委, and the 党委's acting secretary in the month of `at`."""
    if user.role == _company_admin_role():
        return True
    member = member_for_user(user=user)
    if member is None:
        return False
    from toolkit.org.models import UnitKind

    return _committee_secretary(member=member) or OrgUnit.objects.filter(
        pk__in=acting_unit_ids(member=member, at=at), kind=UnitKind.COMMITTEE).exists()


def _company_admin_role():
    from accounts.models import Role

    return Role.COMPANY_ADMIN


def _committee_secretary(*, member: Member) -> bool:
    from toolkit.org.models import Position, UnitKind

    return (member.unit is not None and member.unit.kind == UnitKind.COMMITTEE
            and member.position in (Position.SECRETARY, Position.DEPUTY_SECRETARY))


# Access rules: every page, service and template asks these; none repeats them.

def unit_managed_by(*, user, unit_id: int | None,
                    at: datetime.datetime | None = None) -> bool:
    """Who may manage a unit (publish its tasks, hold its meetings, review its claims, record
    its attendance and dues, decide its leave): see managed_unit_ids."""
    return unit_id is not None and unit_id in managed_unit_ids(user=user, at=at)


def manages_any_unit(*, user) -> bool:
    """Whether the management pages (meetings, tasks, dues) are open to this user at all."""
    return bool(managed_unit_ids(user=user))


def member_ids_in(*, unit_ids: list[int]) -> list[int]:
    """Ids of the members of these units (a form's choices are limited to them)."""
    return list(Member.objects.filter(unit_id__in=unit_ids).values_list("id", flat=True))


def unit_member_ids(*, unit: OrgUnit) -> list[int]:
    """Ids of the members of the unit and the units under it."""
    return list(Member.objects.filter(unit_id__in=descendants_of(unit=unit))
                .values_list("id", flat=True))


def org_chart() -> dict:
    """An aggregate in the shape ECharts' tree series wants: nested {name, value, children},
    members as leaves."""
    units = list(OrgUnit.objects.select_related("secretary__user").order_by("order", "id"))
    people: dict[int, list[dict]] = {}
    for member in Member.objects.select_related("user").exclude(unit=None).order_by("id"):
        people.setdefault(member.unit_id, []).append(
            {"name": member.user.get_full_name(), "value": member.get_position_display()})
    nodes = {unit.pk: {"name": unit.name, "value": unit.get_kind_display(), "children": []}
             for unit in units}
    roots = []
    for unit in units:
        node = nodes[unit.pk]
        node["children"].extend(people.get(unit.pk, []))
        (nodes[unit.parent_id]["children"] if unit.parent_id else roots).append(node)
    if len(roots) == 1:
        return roots[0]
    return {"name": "", "children": roots}


def transfers_of(*, member: Member) -> QuerySet:
    return member.transfers.select_related("from_unit", "to_unit", "moved_by")


class AccountState:
    """The member list's state filter (values as they appear in the URL)."""

    ACTIVE = "active"
    DEACTIVATED = "deactivated"
    MUST_CHANGE = "must_change"


def members_for_admin(*, q: str = "", unit: OrgUnit | None = None, state: str = ""
                      ) -> QuerySet[Member]:
    """The admin's member list: by name or mobile, within a unit (and those under it), by
    account state."""
    from django.db.models import Q

    qs = members().order_by("unit__order", "unit_id", by_name(), "id")
    if q:
        qs = qs.filter(Q(user__full_name__icontains=q) | Q(user__mobile__contains=q))
    if unit is not None:
        qs = qs.filter(unit_id__in=descendants_of(unit=unit))
    if state == AccountState.ACTIVE:
        qs = qs.filter(user__is_active=True)
    elif state == AccountState.DEACTIVATED:
        qs = qs.filter(user__is_active=False)
    elif state == AccountState.MUST_CHANGE:
        qs = qs.filter(user__must_change_password=True)
    return qs
