"""The demo's toolkit activity: tasks, meetings, dues, points, rewards and a monthly close,
so every page of a demo company has something to show. Runs once per company.

Everything goes through the services, as a person's actions would (the past is dated with
their `at=`): the demo's ledger is built, and verifies, like a real one."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from toolkit.arena import services as arena
from toolkit.arena.models import Task
from toolkit.life import selectors as life_selectors
from toolkit.life import services as life
from toolkit.life.models import MeetingKind
from toolkit.mall.models import Reward
from toolkit.mall.services import reward_redeem, reward_save
from toolkit.org.models import Member, OrgUnit, UnitKind
from toolkit.periods import month_start, previous_month
from toolkit.points.close import monthly_close
from toolkit.points.models import RedemptionRight, RuleCode
from toolkit.points.selectors import balance_of
from toolkit.points.services import points_award

REWARDS = [
    ("党建主题笔记本", "红色封面，带书签", 30, 20),
    ("《习近平新时代中国特色社会主义思想学习纲要》", "精装本", 60, 10),
    ("保温杯", "不锈钢，500 毫升", 80, 8),
    ("带薪休假半天", "与部门负责人商定时间", 150, 3),
]
TASKS = [
    ("整理支部党员档案", "核对党员信息并更新台账", 20, 2),
    ("撰写一篇学习心得", "不少于 800 字", 15, 10),
    ("组织一次志愿服务", "社区、乡村振兴或助农直播均可", 40, 3),
]


@transaction.atomic
def toolkit_demo_ensure(*, seed: str) -> None:
    if Task.objects.exists():
        return
    rng = random.Random(seed)
    admin = User.objects.get(role=Role.COMPANY_ADMIN)
    branches = list(OrgUnit.objects.filter(kind=UnitKind.BRANCH).order_by("order"))
    members = list(Member.objects.select_related("user").order_by("id"))
    now = timezone.now()
    last_month, this_month = previous_month(), month_start()
    _rewards()
    _dues(members, rng, admin, last_month, this_month)
    _meetings(branches, members, rng, admin, now)
    _tasks(branches, members, admin, now, last_month)
    # Study points spread over last month, so the close has a ranking to freeze.
    for member in members:
        for _ in range(rng.randint(0, 5)):
            day = datetime.datetime.combine(last_month, datetime.time(10)) + datetime.timedelta(
                days=rng.randint(0, 27))
            points_award(member=member, rule=RuleCode.STUDY, at=timezone.make_aware(day))
    monthly_close(month=last_month)
    # Two of last month's top ten have already spent their right this month.
    for right in RedemptionRight.objects.filter(valid_month=this_month).order_by("id")[:2]:
        reward = Reward.objects.order_by("cost").first()
        if balance_of(member=right.member) >= reward.cost:
            reward_redeem(member=right.member, reward=reward, month=this_month)


def _rewards() -> None:
    for name, description, cost, stock in REWARDS:
        reward_save(name=name, description=description, cost=cost, stock=stock)


def _dues(members, rng, admin, last_month, this_month) -> None:
    settings_row = life_selectors.settings_row()
    for index, member in enumerate(members):
        wage = Decimal(rng.choice([2800, 4500, 6800, 8500, 12000, 15600]))
        life.dues_profile_save(member=member, category="employed", monthly_wage=wage)
        if index % 5 == 4:
            continue  # some are behind, so the arrears list has names
        for month in life_selectors.months_due():
            paid = timezone.make_aware(datetime.datetime.combine(
                life_selectors.due_date(month=month, dues_settings=settings_row)
                - datetime.timedelta(days=3),
                datetime.time(9)))
            life.dues_payment_record(member=member, month=month, by=admin, paid_at=paid)


def _meetings(branches, members, rng, admin, now) -> None:
    kinds = [MeetingKind.COMMITTEE, MeetingKind.THEME_DAY, MeetingKind.GROUP,
             MeetingKind.BRANCH_ASSEMBLY, MeetingKind.LESSON]
    for branch in branches:
        branch_members = [m for m in members if m.unit_id == branch.pk]
        for months_back in range(5, 0, -1):
            kind = kinds[(months_back + branch.pk) % len(kinds)]
            start = now - datetime.timedelta(days=30 * months_back - rng.randint(0, 5))
            meeting = life.meeting_create(
                unit=branch, kind=kind, title=f"{branch.name}{MeetingKind(kind).label}",
                starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                location="三楼会议室", agenda="1. 学习传达\n2. 讨论\n3. 部署下阶段工作", by=admin)
            life.meeting_minutes_save(meeting=meeting, minutes="会议按议程进行，全体党员参加讨论。",
                                      by=admin)
            code = life.checkin_code(meeting)
            for member in branch_members:
                if rng.random() < 0.8:  # scanned the code five minutes into the meeting
                    life.attendance_checkin(code=code, member=member,
                                            now=start + datetime.timedelta(minutes=5))
        start = now + datetime.timedelta(days=3)
        life.meeting_create(unit=branch, kind=MeetingKind.THEME_DAY,
                            title=f"{branch.name}主题党日：重温入党誓词", starts_at=start,
                            ends_at=start + datetime.timedelta(hours=2), location="党员活动室",
                            agenda="1. 重温入党誓词\n2. 志愿服务", by=admin)


def _tasks(branches, members, admin, now, last_month) -> None:
    for index, (title, description, points, places) in enumerate(TASKS):
        task = arena.task_publish(
            publisher=branches[index % len(branches)], title=title, description=description,
            points=points, places=places, deadline=now + datetime.timedelta(days=14), by=admin)
        for member in members[index * 3: index * 3 + min(places, 2)]:
            arena.task_claim(task=task, member=member)
    done = arena.task_publish(publisher=branches[0], title="“七一”专题宣传海报",
                              description="设计并张贴", points=25, places=5,
                              deadline=now + datetime.timedelta(days=1), by=admin)
    at = timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(15)))
    for member in members[:5]:
        claim = arena.task_claim(task=done, member=member)
        arena.claim_submit(claim=claim, member=member, text="已完成，照片见附件", files=[],
                           at=at - datetime.timedelta(hours=2))
        arena.claim_review(claim=claim, reviewer=admin, accept=True, at=at)
