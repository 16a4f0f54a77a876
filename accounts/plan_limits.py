"""The plan's member limit, checked in one place by every path that adds or reactivates a
member: the roster import, the setup wizard's secretaries (member_upsert), reactivating an
account, and the API later.

The limit counts ACTIVE members: accounts with the member role that can sign in. A
deactivated member frees a place; reactivating them takes it again.
"""

from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.errors import Refused
from tenants.locks import company_xact_lock
from tenants.models import Plan
from tenants.plans import member_limit
from tenants.selectors import current_company

LOCK = "member_limit"


class PlanLimitRefused(Refused):
    """The company's plan has no room for more members; the message names the plan and limit."""


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
    company = current_company()
    limit = member_limit(company.plan)
    if active_member_count() + adding > limit:
        raise PlanLimitRefused(
            _("已达到套餐“%(plan)s”的党员上限 %(limit)s 人，不能再增加党员。")
            % {"plan": Plan(company.plan).label, "limit": limit},
            code="member_limit_reached")
