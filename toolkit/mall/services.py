"""积分商城: the month's top members spend points on rewards, once a month."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from toolkit.mall.models import Redemption, Reward
from toolkit.mall.selectors import redeem_refusal, redeem_standing
from toolkit.org.models import Member
from toolkit.points.models import RuleCode
from toolkit.points.services import PointsRefused, points_award


class RedemptionRefused(Refused):
    """Why a member may not redeem; the message is shown to the member."""


@transaction.atomic
def reward_redeem(*, member: Member, reward: Reward, month: datetime.date) -> Redemption:
    month = month.replace(day=1)
    reward = Reward.objects.select_for_update().get(pk=reward.pk)  # stock is checked locked
    # The same rule the mall page shows its buttons by; the balance is checked again, locked,
    # by points_award and the month's uniqueness by the constraint below.
    refusal = redeem_refusal(standing=redeem_standing(member=member, month=month), reward=reward)
    if refusal is not None:
        raise RedemptionRefused(refusal, code=refusal.code)
    try:
        entry = points_award(member=member, rule=RuleCode.REDEMPTION, amount=-reward.cost,
                             source=reward, note=reward.name)
    except PointsRefused as refusal:
        raise RedemptionRefused(str(refusal), code=refusal.code) from refusal
    reward.stock -= 1
    reward.save(update_fields=["stock"])
    try:
        with transaction.atomic():
            return Redemption.objects.create(member=member, reward=reward, month=month,
                                             ledger_entry=entry)
    except IntegrityError as error:  # the same member, twice at once: the constraint decides
        raise RedemptionRefused(_("本月已经兑换过了，每月限兑一次"),
                                code="already_redeemed_this_month") from error


@transaction.atomic
def redemption_fulfil(*, redemption: Redemption) -> Redemption:
    redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
    if redemption.fulfilled_at is None:
        redemption.fulfilled_at = timezone.now()
        redemption.save(update_fields=["fulfilled_at"])
    return redemption


@transaction.atomic
def reward_save(*, reward: Reward | None = None, name: str, description: str, cost: int,
                stock: int, active: bool = True) -> Reward:
    reward = reward or Reward()
    reward.name, reward.description, reward.cost, reward.stock, reward.active = (
        name.strip(), description.strip(), cost, stock, active)
    reward.full_clean()
    reward.save()
    return reward
