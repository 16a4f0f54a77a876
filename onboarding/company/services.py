"""The company's side of onboarding (runs in the company's schema): the admin's invitation
and the figures reported up to the incubator."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction, Role, User
from accounts.passwords import password_check
from accounts.services import audit_record
from core import emails
from core.errors import Refused
from onboarding.company.models import Invitation
from onboarding.company.signals import admin_invited, admin_joined, progress_changed
from tenants.models import Company
from tenants.selectors import company_primary_url, current_company
from tenants.tokens import TokenExpired, TokenInvalid, schema_token, schema_token_value
from toolkit.org import selectors as org
from toolkit.org import services as org_services
from toolkit.org.models import OrgUnit

_SALT = "onboarding.invitation"


class InvitationRefused(Refused):
    """The link is forged, expired or used; the message is shown on the page."""


@transaction.atomic
def admin_invite(*, company: Company, full_name: str, email: str, mobile: str,
                 port: str = "", resend: bool = False) -> Invitation | None:
    """Makes the company admin (no password yet) and mails a one-time link. Once only, unless
    `resend` (staff asked again because the link expired or got lost, or the admin is someone
    else): then the older links stop working, the admin's name, e-mail and mobile become the
    ones given, and a new link is sent, as long as the admin has not set a password."""
    admin = User.objects.select_for_update().filter(role=Role.COMPANY_ADMIN).first()
    if admin is not None and (not resend or admin.has_usable_password()):
        return None
    others = User.objects.exclude(pk=admin.pk if admin else None)
    if mobile and others.filter(mobile=mobile).exists():
        raise InvitationRefused(code="admin_mobile_taken",
                                fields={"mobile": [_("该手机号已被本公司的其他账号使用。")]})
    if admin is None:
        admin = User.objects.create(username="admin", full_name=full_name, email=email,
                                    mobile=mobile, role=Role.COMPANY_ADMIN,
                                    password=make_password(None))
    else:
        admin.full_name, admin.email, admin.mobile = full_name, email, mobile
        admin.save(update_fields=["full_name", "email", "mobile"])
    Invitation.objects.filter(user=admin, used_at__isnull=True).update(used_at=timezone.now())
    invitation = Invitation.objects.create(user=admin, email=email)
    audit_record(actor=None, target=admin, action=AuditAction.ACTIVATION_SENT,
                 detail=_("孵化器邀请管理员：%(email)s") % {"email": email})
    site = company_primary_url(company=company, port=port)
    emails.send_later(to=email, template="admin_invitation", context={
        "company": company, "full_name": full_name, "mobile": mobile, "site": site,
        "link": f"{site}invite/{invitation_token(invitation)}/",
        "hours": settings.INVITATION_MAX_AGE // 3600,
    })
    admin_invited.send(sender=Company, company=company, note=email)
    return invitation


def admin_invite_again(*, company: Company, port: str = "") -> Invitation | None:
    """A fresh link to the admin already invited, with the details they were invited with;
    None when there is no admin yet or they have set a password."""
    admin = User.objects.filter(role=Role.COMPANY_ADMIN).first()
    if admin is None or not admin.email:
        return None
    return admin_invite(company=company, full_name=admin.full_name, email=admin.email,
                        mobile=admin.mobile, port=port, resend=True)


def invitation_token(invitation: Invitation) -> str:
    return schema_token(invitation.pk, salt=_SALT)


def invitation_for_token(token: str) -> Invitation:
    try:
        pk = schema_token_value(token, salt=_SALT, max_age=settings.INVITATION_MAX_AGE)
    except TokenExpired as error:
        raise InvitationRefused(_("邀请链接已过期，请联系孵化器工作人员重新发送。"),
                                code="invitation_expired") from error
    except TokenInvalid as error:
        raise InvitationRefused(_("邀请链接无效。"), code="invitation_invalid") from error
    invitation = Invitation.objects.select_related("user").filter(pk=pk).first()
    if invitation is None:
        raise InvitationRefused(_("邀请链接无效。"), code="invitation_invalid")
    if invitation.used_at is not None or invitation.user.has_usable_password():
        raise InvitationRefused(_("邀请链接已经用过了，请直接登录。"), code="invitation_used")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().select_related("user").get(
        pk=invitation.pk)
    if invitation.used_at is not None:  # a second tab, at the same moment
        raise InvitationRefused(_("邀请链接已经用过了，请直接登录。"), code="invitation_used")
    user = invitation.user
    # The admin may have set a password another way meanwhile (a reset by SMS): the e-mailed
    # link must not replace it, or whoever holds the e-mail takes the account over.
    if user.has_usable_password() or not user.is_active:
        raise InvitationRefused(_("邀请链接已经用过了，请直接登录。"), code="invitation_used")
    password_check(password=password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit_record(actor=user, target=user, action=AuditAction.ACTIVATED)
    company = current_company()
    progress_changed.send(sender=Company, company=company, figures={"admin_joined": True})
    admin_joined.send(sender=Company, company=company, note=user.get_full_name())
    return user


def setup_unit_create(**fields) -> OrgUnit:
    """The setup wizard adds a unit (with its secretary); the incubator's roll-up follows."""
    unit = org_services.unit_create(**fields)
    progress_refresh()
    return unit


def setup_unit_delete(*, unit: OrgUnit) -> None:
    org_services.unit_delete(unit=unit)
    progress_refresh()


def progress_refresh() -> None:
    """Reports this company's organisation figures up to the incubator's roll-up."""
    progress_changed.send(sender=Company, company=current_company(),
                          figures=org.organisation_counts())
