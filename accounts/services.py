import secrets

from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ActivationCode, AuditAction, AuditEntry, Role, User
from accounts.passwords import password_check
from core.errors import Refused

# A temporary password read out or copied by hand: no 0/O, 1/l/I look-alikes.
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


class AccountActionRefused(Refused):
    """An admin action on an account that is not allowed; the message is shown on the page."""


@transaction.atomic
def user_create(*, username: str, password: str, full_name: str, role: str = Role.MEMBER,
                mobile: str = "", email: str = "") -> User:
    """Creates an account in the current schema (public or a company's)."""
    user = User(username=username, full_name=full_name, role=role, mobile=mobile, email=email,
                is_staff=role == Role.STAFF)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def audit_record(*, actor: User | None, target: User, action: str, detail: str = ""
                 ) -> AuditEntry:
    """The one way to write the account audit (current schema). `actor` is None for the system
    or the person themselves acting without a session (e.g. accepting an invitation)."""
    return AuditEntry.objects.create(actor=actor, target=target, action=AuditAction(action),
                                     detail=detail[:500])


def password_generate() -> str:
    """A readable temporary password such as "kx7m-p3vd" (about 40 bits)."""
    return "-".join("".join(secrets.choice(_READABLE) for _ in range(4)) for _ in range(2))


@transaction.atomic
def password_reset_by_admin(*, target: User, by: User, password: str = "") -> str:
    """Gives `target` a temporary password (the one typed, or a generated one, returned so it
    can be shown once); they must choose their own at the next sign-in. Their open sessions
    end, since the password hash changed."""
    if target.pk == by.pk:
        raise AccountActionRefused(_("不能在这里重置自己的密码，请使用“修改密码”。"),
                                   code="own_password_reset")
    password = password or password_generate()
    password_check(password=password, user=target)
    target.set_password(password)
    target.must_change_password = True
    target.save(update_fields=["password", "must_change_password"])
    audit_record(actor=by, target=target, action=AuditAction.PASSWORD_RESET)
    return password


@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """The user's own new password (already checked by the form); clears must_change_password."""
    forced = user.must_change_password
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=user, target=user, action=AuditAction.PASSWORD_CHANGED,
                 detail=_("替换了临时密码") if forced else "")
    return user


@transaction.atomic
def user_deactivate(*, target: User, by: User) -> User:
    """The account can no longer sign in; nothing of theirs is deleted (points, hours, history
    stay). Their open sessions end (Django refuses an inactive user's session)."""
    if target.pk == by.pk:
        raise AccountActionRefused(_("不能停用自己的账号。"), code="own_account_deactivation")
    target = User.objects.select_for_update().get(pk=target.pk)
    if not target.is_active:
        raise AccountActionRefused(_("该账号已经停用。"), code="account_already_inactive")
    target.is_active = False
    target.save(update_fields=["is_active"])
    # Open activation codes die with the account: reactivation must not bring them back.
    ActivationCode.objects.filter(user=target, used_at__isnull=True,
                                  revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(actor=by, target=target, action=AuditAction.DEACTIVATED)
    return target


@transaction.atomic
def user_reactivate(*, target: User, by: User) -> User:
    target = User.objects.select_for_update().get(pk=target.pk)
    if target.is_active:
        raise AccountActionRefused(_("该账号没有停用。"), code="account_not_inactive")
    target.is_active = True
    target.save(update_fields=["is_active"])
    audit_record(actor=by, target=target, action=AuditAction.REACTIVATED)
    return target


@transaction.atomic
def lockout_clear(*, username: str, ip_address: str) -> int:
    """Lets a locked-out (username, IP) pair try again now; returns the attempts removed."""
    return axes_reset(username=username, ip=ip_address)
