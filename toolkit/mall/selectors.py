import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from toolkit.mall.models import Redemption, Reward
from toolkit.org.models import Member
from toolkit.points.selectors import balance_of, may_redeem


def rewards() -> QuerySet[Reward]:
    return Reward.objects.filter(active=True)


def rewards_for_admin() -> QuerySet[Reward]:
    """Every reward, on the shelf or not (the admin's list)."""
    return Reward.objects.all()


def redemptions() -> QuerySet[Redemption]:
    return Redemption.objects.select_related("member__user", "reward")


def redemptions_of(*, member: Member) -> QuerySet[Redemption]:
    return redemptions().filter(member=member)


class MonthCount(NamedTuple):
    month: str  # YYYY-MM
    count: int


def rewards_given_by_month() -> list[MonthCount]:
    """An aggregate for the dashboard's chart: rewards given per month."""
    rows = (Redemption.objects.annotate(m=TruncMonth("created_at")).values("m")
            .annotate(n=Count("id")).order_by("m"))
    return [MonthCount(f"{row['m']:%Y-%m}", row["n"]) for row in rows]


@dataclass(frozen=True)
class RedeemStanding:
    """What the redeem rule needs to know about a member this month, read once for a page of
    rewards (or under the service's lock for one)."""

    eligible: bool  # in last month's top ten: holds this month's right
    redeemed: Redemption | None  # this month's redemption, if any (one a month)
    balance: int


def redeem_standing(*, member: Member, month: datetime.date) -> RedeemStanding:
    month = month.replace(day=1)
    return RedeemStanding(
        eligible=may_redeem(member=member, month=month),
        redeemed=(Redemption.objects.select_related("reward")
                  .filter(member=member, month=month).first()),
        balance=balance_of(member=member))


class RedeemRefusal(str):
    """The redeem rule's "no": it reads as its translated message (pages show it as it is) and
    carries the refusal's stable code (the service raises with it, the API returns it)."""

    code: str

    def __new__(cls, message: str, *, code: str):
        refusal = super().__new__(cls, message)
        refusal.code = code
        return refusal


def redeem_refusal(*, standing: RedeemStanding | None, reward: Reward) -> RedeemRefusal | None:
    """The redeem rule: why this member may not redeem this reward now, or None if they may
    (`standing` None: the user is no member, e.g. the admin). The service `reward_redeem`
    refuses with this message; the mall page shows the button only when it is None."""
    if standing is None:
        return RedeemRefusal(_("只有党员可以兑换积分奖品"), code="not_a_member")
    if not reward.active or reward.stock < 1:
        return RedeemRefusal(_("此奖品已兑完"), code="reward_out_of_stock")
    if not standing.eligible:
        return RedeemRefusal(_("上月终评未进入前十名，本月暂不能兑换"), code="not_top_ten")
    if standing.redeemed is not None:
        return RedeemRefusal(_("本月已经兑换过了，每月限兑一次"),
                             code="already_redeemed_this_month")
    if standing.balance < reward.cost:
        return RedeemRefusal(_("积分不足：当前 %(have)s 分，需要 %(need)s 分。") % {
            "have": standing.balance, "need": reward.cost}, code="redeem_points_insufficient")
    return None


@dataclass(frozen=True)
class RewardOffer:
    reward: Reward
    refusal: str | None  # None: the member may redeem it now

    @property
    def redeemable(self) -> bool:
        return self.refusal is None


def reward_offers(*, standing: RedeemStanding | None) -> list[RewardOffer]:
    """An aggregate for the mall page: each active reward with the redeem rule's answer for
    the member whose standing this is (one query however many rewards)."""
    return [RewardOffer(reward=reward, refusal=redeem_refusal(standing=standing, reward=reward))
            for reward in rewards()]
