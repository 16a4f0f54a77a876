"""The demo's finished vanguard quarter (drafts, self-assessments, reviews, confirmation,
党员之星) and its fortress index, for the quarter that ended last. Runs once per company,
through the services as people's actions would (points dated in that quarter)."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from toolkit.indices import selectors as indices
from toolkit.indices import services
from toolkit.indices.fortress import fortress_settle_quarter
from toolkit.indices.models import ItemKind, ItemRecord, MemberIndex, Quarter
from toolkit.org.models import Member
from toolkit.periods import add_months, quarter_start
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award

SELF_ASSESSMENTS = ["本季度按时参加组织生活，认真完成学习任务。",
                    "积极认领擂台任务，带头参加志愿服务。",
                    "学习有进步，下季度要多分享党课。"]


@transaction.atomic
def indices_demo_ensure(*, seed: str) -> None:
    if Quarter.objects.exists():
        return
    rng = random.Random(f"{seed}-indices")
    admin = User.objects.get(role=Role.COMPANY_ADMIN)
    start = add_months(quarter_start(), -3)
    members = list(Member.objects.select_related("user", "unit").order_by("id"))
    praise = services.index_item_save(name="受到表彰", kind=ItemKind.POSITIVE, points=Decimal(5))
    absent = services.index_item_save(name="无故缺席组织生活", kind=ItemKind.NEGATIVE,
                                      points=Decimal(3))
    for member in members:
        for _ in range(rng.randint(2, 8)):
            day = add_months(start, rng.randint(0, 2)) + datetime.timedelta(
                days=rng.randint(0, 27))
            when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))
            rule = rng.choice([RuleCode.STUDY, RuleCode.MEETING_ATTENDANCE,
                               RuleCode.TASK_ACCEPTED])
            points_award(member=member, rule=rule, at=when,
                         amount=rng.randint(5, 20) if rule == RuleCode.TASK_ACCEPTED else None)
    # Items belong to the quarter they were given in; that quarter is past now, so they are
    # written as they were then (the service takes items for the current quarter only).
    for member in rng.sample(members, min(3, len(members))):
        ItemRecord.objects.create(quarter=start, member=member, item=praise,
                                  note="季度表彰", recorded_by=admin)
    ItemRecord.objects.create(quarter=start, member=members[-1], item=absent,
                              note="缺席主题党日", recorded_by=admin)
    quarter = services.quarter_open(start=start)
    results = list(MemberIndex.objects.filter(quarter=quarter).select_related("member__user",
                                                                              "member__unit"))
    for result in results:
        services.index_self_assess(result=result, member=result.member,
                                   text=rng.choice(SELF_ASSESSMENTS))
    for result in results:
        secretary = result.member.unit.secretary if result.member.unit else None
        reviewer = (secretary.user if secretary is not None
                    and indices.may_review(user=secretary.user, result=result) else admin)
        adjust = Decimal(2) if rng.random() < 0.15 else Decimal(0)
        services.index_review(result=result, by=reviewer, adjustment=adjust,
                              reason="带头完成急难任务" if adjust else "")
    services.index_confirm(quarter=quarter, by=admin)
    services.stars_name(quarter=quarter, by=admin)
    fortress_settle_quarter(start=start)
