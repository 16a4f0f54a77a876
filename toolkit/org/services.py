"""Writes to a company's organisation (the current schema)."""

import datetime
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.names import name_sort_key
from billing.limits import member_limit_check
from core.errors import Refused
from core.validators import validate_mobile
from toolkit.org.models import Member, MemberStatus, OrgUnit, Position, UnitKind


class OrgRefused(Refused):
    """A change to the organisation that is not allowed; fields name the inputs at fault."""


# Which kind of unit may sit under which (党委 → 党总支/党支部 → 党小组).
ALLOWED_PARENTS = {
    UnitKind.COMMITTEE: {None},
    UnitKind.GENERAL_BRANCH: {None, UnitKind.COMMITTEE},
    UnitKind.BRANCH: {None, UnitKind.COMMITTEE, UnitKind.GENERAL_BRANCH},
    UnitKind.GROUP: {UnitKind.BRANCH},
}


@transaction.atomic
def unit_create(*, name: str, kind: str, parent: OrgUnit | None = None,
                secretary_name: str = "", secretary_mobile: str = "") -> OrgUnit:
    name = name.strip()
    if not name:
        raise OrgRefused(code="unit_name_missing", fields={"name": [_("请填写组织名称。")]})
    if (parent.kind if parent else None) not in ALLOWED_PARENTS[kind]:
        raise OrgRefused(code="unit_parent_not_allowed", fields={"parent": [
            _("“%(kind)s”不能设在“%(parent)s”之下。") % {
                "kind": UnitKind(kind).label, "parent": parent.name if parent else _("最上级")}]})
    taken = OrgRefused(code="unit_name_taken",
                       fields={"name": [_("同一上级下已有“%(name)s”。") % {"name": name}]})
    if OrgUnit.objects.filter(parent=parent, name=name).exists():
        raise taken
    order = OrgUnit.objects.filter(parent=parent).count() + 1
    try:
        with transaction.atomic():
            unit = OrgUnit.objects.create(name=name, kind=kind, parent=parent, order=order)
    except IntegrityError as error:  # the same form sent twice at once: the constraint decides
        raise taken from error
    if secretary_name.strip():
        secretary = member_upsert(name=secretary_name, mobile=secretary_mobile, unit=unit,
                                  position=Position.SECRETARY)
        unit.secretary = secretary
        unit.save(update_fields=["secretary"])
    return unit


@transaction.atomic
def unit_delete(*, unit: OrgUnit) -> None:
    if unit.children.exists() or unit.members.exists():
        raise OrgRefused(_("“%(name)s”下还有下级组织或党员，不能删除。") % {"name": unit.name},
                         code="unit_not_empty")
    if unit.acting_secretaries.exists():  # 今天我来当书记: the schedule's history stays
        raise OrgRefused(_("“%(name)s”有代理书记记录，不能删除。") % {"name": unit.name},
                         code="unit_has_acting_secretaries")
    unit.delete()


@transaction.atomic
def member_upsert(*, name: str, mobile: str, unit: OrgUnit, position: str = Position.MEMBER,
                  status: str = MemberStatus.FULL) -> Member:
    """One person by mobile number: made if new, placed in `unit` either way."""

    try:
        validate_mobile(mobile)
    except ValidationError as error:
        raise OrgRefused(code="member_mobile_invalid",
                         fields={"secretary_mobile": error.messages}) from error
    user = User.objects.filter(mobile=mobile).first()
    if user is None:
        member_limit_check(adding=1)
        user = User.objects.create(username=mobile, mobile=mobile, full_name=name.strip(),
                                   role=Role.MEMBER, password=make_password(None))
    member, _created = Member.objects.update_or_create(
        user=user, defaults={"unit": unit, "position": position, "status": status})
    return member


@transaction.atomic
def member_create(*, full_name: str, mobile: str, unit: OrgUnit, position: str, status: str
                  ) -> Member:
    """The admin adds one new person (the API): a number already in use is refused, where
    member_upsert would move that person; the plan limit applies through member_upsert."""
    full_name, mobile = full_name.strip(), mobile.strip()
    if not full_name:
        raise OrgRefused(code="member_name_missing", fields={"full_name": [_("请填写姓名。")]})
    _check_new_mobile(user=User(), mobile=mobile, validate=validate_mobile)
    return member_upsert(name=full_name, mobile=mobile, unit=unit, position=position,
                         status=status)


def members_bulk_upsert(*, rows: list[dict], on_progress: Callable[[int], None] | None = None,
                        chunk: int = 1000) -> tuple[int, int]:
    """Writes validated import rows (matched by mobile: never a duplicate person); returns
    (created, updated). Call inside a transaction: all rows or none."""
    created = updated = 0
    unusable = make_password(None)  # imported members get their own password later
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        mobiles = [row["mobile"] for row in part]
        # Matched by mobile, or by a username that is the number (made before it was recorded).
        existing = {}
        for user in User.objects.filter(Q(mobile__in=mobiles) | Q(username__in=mobiles)):
            existing[user.mobile if user.mobile in mobiles else user.username] = user
        new_rows = [r for r in part if r["mobile"] not in existing]
        member_limit_check(adding=len(new_rows))  # the import checked too: this is the writer
        new_users = User.objects.bulk_create([
            User(username=r["mobile"], mobile=r["mobile"], full_name=r["name"],
                 name_sort=name_sort_key(r["name"]), role=Role.MEMBER, password=unusable)
            for r in new_rows
        ])
        users = existing | {u.mobile: u for u in new_users}
        members = {m.user_id: m for m in Member.objects.filter(user__in=users.values())}
        to_create, to_update = [], []
        for row in part:
            user = users[row["mobile"]]
            fields = _member_fields(row)
            member = members.get(user.pk)
            if member is None:
                to_create.append(Member(user=user, **fields))
            else:
                for key, value in fields.items():
                    setattr(member, key, value)
                to_update.append(member)
        Member.objects.bulk_create(to_create)
        Member.objects.bulk_update(to_update, ["unit", "gender", "status", "position", "joined_on"])
        renamed = []
        for row in part:
            user = existing.get(row["mobile"])
            if user is not None and user.full_name != row["name"]:
                user.full_name, user.name_sort = row["name"], name_sort_key(row["name"])
                renamed.append(user)
        User.objects.bulk_update(renamed, ["full_name", "name_sort"])
        created += len(to_create)
        updated += len(to_update)
        if on_progress:
            on_progress(start + len(part))
    return created, updated


def _member_fields(row: dict) -> dict:
    return {
        "unit_id": row["unit_id"],
        "gender": row.get("gender") or "",
        "status": row["status"],
        "position": row["position"],
        "joined_on": (datetime.date.fromisoformat(row["joined_on"]) if row.get("joined_on")
                      else None),
    }


@transaction.atomic
def member_transfer(*, member: Member, to_unit: OrgUnit, by, note: str = "") -> Member:
    """Moves a member to another unit; the move is kept in MemberTransfer."""
    from toolkit.org.models import MemberTransfer

    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.unit_id == to_unit.pk:
        raise OrgRefused(_("已经在“%(unit)s”了。") % {"unit": to_unit.name}, code="already_in_unit")
    MemberTransfer.objects.create(member=member, from_unit=member.unit, to_unit=to_unit,
                                  moved_by=by, note=note.strip())
    # An office belongs to the unit left behind: the member arrives as an ordinary member.
    OrgUnit.objects.filter(secretary=member).update(secretary=None)
    if member.position in OFFICES:
        member.position = Position.MEMBER
    member.unit = to_unit
    member.save(update_fields=["unit", "position"])
    return member


OFFICES = {Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.ORGANISATION,
           Position.PUBLICITY, Position.DISCIPLINE}


@transaction.atomic
def member_update(*, member: Member, by: User, full_name: str, mobile: str, email: str,
                  gender: str, status: str, position: str) -> Member:
    """The admin corrects a member's details (not their unit: that is a transfer). A username
    that was the old mobile number follows the new one, so they still sign in with their phone
    number. Every change is written to the account audit."""
    from accounts.models import AuditAction
    from accounts.services import audit_record

    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    user = member.user
    full_name, mobile, email = full_name.strip(), mobile.strip(), email.strip()
    if not full_name:
        raise OrgRefused(code="member_name_missing", fields={"full_name": [_("请填写姓名。")]})
    if mobile != user.mobile:
        _check_new_mobile(user=user, mobile=mobile, validate=validate_mobile)
    changes = _changes(user, {"full_name": full_name, "mobile": mobile, "email": email})
    changes += _changes(member, {"gender": gender, "status": status, "position": position})
    if not changes:
        return member
    if user.mobile != mobile and user.username == user.mobile:
        user.username = mobile
    user.full_name, user.mobile, user.email = full_name, mobile, email
    try:
        with transaction.atomic():
            user.save(update_fields=["username", "full_name", "mobile", "email"])
    except IntegrityError as error:  # the same number saved for someone else just now
        raise OrgRefused(code="member_mobile_taken",
                         fields={"mobile": [_("该手机号已被本公司的其他账号使用。")]}) from error
    if member.position == Position.SECRETARY and position != Position.SECRETARY:
        OrgUnit.objects.filter(secretary=member).update(secretary=None)
    member.gender, member.status, member.position = gender, status, position
    member.save(update_fields=["gender", "status", "position"])
    if position == Position.SECRETARY and member.unit and member.unit.secretary_id is None:
        member.unit.secretary = member
        member.unit.save(update_fields=["secretary"])
    audit_record(actor=by, target=user, action=AuditAction.MEMBER_EDITED, detail="；".join(changes))
    return member


def _check_new_mobile(*, user: User, mobile: str, validate) -> None:
    try:
        validate(mobile)
    except ValidationError as error:
        raise OrgRefused(code="member_mobile_invalid", fields={"mobile": error.messages}) from error
    taken = User.objects.exclude(pk=user.pk).filter(Q(mobile=mobile) | Q(username=mobile))
    if taken.exists():
        raise OrgRefused(code="member_mobile_taken",
                         fields={"mobile": [_("该手机号已被本公司的其他账号使用。")]})


def _changes(row, values: dict) -> list[str]:
    """"Label: old → new" for each field whose value differs (choices by their labels)."""
    changes = []
    for field_name, new in values.items():
        old = getattr(row, field_name)
        if old != new:
            field = row._meta.get_field(field_name)
            labels = dict(field.choices or [])
            changes.append(f"{field.verbose_name}：{labels.get(old, old) or '—'} → "
                           f"{labels.get(new, new) or '—'}")
    return changes
