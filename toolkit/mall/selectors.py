from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from toolkit.mall.models import Redemption, Reward
from toolkit.org.models import Member


def rewards() -> QuerySet[Reward]:
    return Reward.objects.filter(active=True)


def redemptions() -> QuerySet[Redemption]:
    return Redemption.objects.select_related("member__user", "reward")


def redemptions_of(member: Member) -> QuerySet[Redemption]:
    return redemptions().filter(member=member)


def rewards_given_by_month() -> list[tuple[str, int]]:
    rows = (Redemption.objects.annotate(m=TruncMonth("created_at")).values("m")
            .annotate(n=Count("id")).order_by("m"))
    return [(f"{row['m']:%Y-%m}", row["n"]) for row in rows]
