"""The plan's limits, checked in one place by every path that adds members or stores files:
the roster import, the setup wizard's secretaries and the admin's new member (member_upsert),
reactivating an account, the API; uploads and their deletion for storage.

The member limit counts ACTIVE members: accounts with the member role that can sign in. A
deactivated member frees a place; reactivating them takes it again."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_reactivate
from billing.entitlements import account_for, account_of, feature_allowed
from billing.models import BillingAccount
from core.errors import Refused
from tenants.locks import company_xact_lock
from tenants.selectors import current_company

LOCK = "member_limit"
UPGRADE = "/billing/"


class PlanLimitRefused(Refused):
    """The company's plan has no room; the message names the limit and how to upgrade."""


class PaidFeaturePaused(Refused):
    """A paid feature is off: not in the plan, or paused by an unpaid invoice."""

    code = "paid_feature_paused"


def active_member_count() -> int:
    """The members that count against the plan (the current company's schema)."""
    return User.objects.filter(role=Role.MEMBER, is_active=True).count()


def member_limit_check(*, adding: int = 1) -> None:
    """Refuses when `adding` more active members would exceed the plan; call it inside the
    transaction that adds them. It holds the company's member-limit lock to the end of that
    transaction, so two additions at once cannot both take the last place."""
    if adding <= 0:
        return
    company_xact_lock(LOCK)
    account = account_of(current_company())
    if active_member_count() + adding > account.member_limit:
        raise PlanLimitRefused(
            _("已达到套餐“%(plan)s”的党员上限 %(limit)s 人，不能再增加党员。"
              "请管理员在“套餐与账单”（%(url)s）升级套餐。")
            % {"plan": _(account.plan.name), "limit": account.member_limit, "url": UPGRADE},
            code="member_limit_reached")


@transaction.atomic
def member_reactivate(*, target: User, by: User) -> User:
    """Reactivating a member takes a place again: the limit, then accounts' own rules."""
    current = User.objects.get(pk=target.pk)
    if current.role == Role.MEMBER and not current.is_active:
        member_limit_check(adding=1)
    return user_reactivate(target=target, by=by)


def feature_require(feature: str) -> None:
    """Refuses a paid feature the current company may not use now."""
    if not feature_allowed(current_company(), feature):
        raise PaidFeaturePaused(
            _("该功能需要有效的付费订阅：请管理员在“套餐与账单”（%(url)s）续费或升级套餐。")
            % {"url": UPGRADE})


def storage_add(*, size: int) -> None:
    """Counts `size` more stored bytes for the current company, refusing past its quota. Call
    it in the transaction that keeps the file: a rollback takes the count back too."""
    if size <= 0:
        return
    company = current_company()
    account = account_for(company)
    updated = (BillingAccount.objects
               .filter(pk=account.pk, storage_used_bytes__lte=F("storage_quota_bytes") - size)
               .update(storage_used_bytes=F("storage_used_bytes") + size))
    if not updated:
        raise PlanLimitRefused(
            _("已达到套餐“%(plan)s”的存储空间上限 %(quota)s MB，不能再上传文件。"
              "请管理员在“套餐与账单”（%(url)s）升级套餐。")
            % {"plan": _(account.plan.name), "quota": account.storage_quota_bytes // 2**20,
               "url": UPGRADE}, code="storage_limit_reached")


def storage_release(*, size: int) -> None:
    """A stored file was deleted: its bytes no longer count."""
    if size <= 0:
        return
    account = account_for(current_company())
    BillingAccount.objects.filter(pk=account.pk).update(
        storage_used_bytes=F("storage_used_bytes") - size)
