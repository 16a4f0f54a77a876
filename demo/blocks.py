"""The demo's 5S blocks with a history (made, re-paired, transferred) and this month's acting
secretary with a duty log and a pending application, through the services as people's
actions would. Each runs once per company."""

import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from demo.names import chinese_names
from toolkit.acting import services as acting
from toolkit.blocks import services as blocks
from toolkit.blocks.models import Block
from toolkit.org.models import ActingSecretary, Member, OrgUnit, Position, UnitKind
from toolkit.periods import add_months, month_start

DEPARTMENTS = ["生产部", "质检部", "仓储部", "设备部", "行政部", "财务部"]
AREAS = [("一车间东区", "1F 东区 A1–A8 工位"), ("二车间装配线", "2F 装配线 1–3 号工位"),
         ("成品仓库", "仓库 B 区货架 1–12"), ("质检实验室", "3F 实验室全部区域"),
         ("办公区", "5F 开放办公区 C 区"), ("设备维修间", "1F 西侧维修间")]


@transaction.atomic
def blocks_demo_ensure(*, seed: str) -> None:
    if Block.objects.exists():
        return
    rng = random.Random(f"{seed}-blocks")
    admin = User.objects.get(role=Role.COMPANY_ADMIN)
    members = list(Member.objects.select_related("user").exclude(unit=None).order_by("id"))
    employees = iter(chinese_names(60, seed=hash_seed(seed)))

    def paired(n):
        return [{"name": next(employees), "department": rng.choice(DEPARTMENTS)}
                for _ in range(n)]

    made = []
    owners = members[::max(len(members) // len(AREAS), 1)]
    for (name, scope), member in zip(AREAS, owners, strict=False):  # fewer owners: fewer areas
        made.append(blocks.block_create(by=member.user, responsible=member, name=name,
                                        scope=scope, paired=paired(rng.randint(3, 5))))
    for block in made[:3]:  # someone changed posts: the pairing is updated
        blocks.block_pairing_change(block=block, by=admin,
                                    paired=block.paired[1:] + paired(2))
    if len(made) > 1:  # a member moved on: the block is handed over within the branch
        block = made[-1]
        others = [m for m in members
                  if m.unit_id == block.unit_id and m.pk != block.responsible_id]
        if others:
            blocks.block_transfer(block=block, by=admin, to=others[0])


def hash_seed(seed: str) -> int:
    return sum(ord(c) for c in seed) % 1000 + 500  # names unlike the members' own


@transaction.atomic
def acting_demo_ensure(*, seed: str) -> None:
    if ActingSecretary.objects.exists():
        return
    admin = User.objects.get(role=Role.COMPANY_ADMIN)
    branch = OrgUnit.objects.filter(kind=UnitKind.BRANCH).order_by("order", "id").first()
    if branch is None:
        return
    members = list(Member.objects.select_related("user").filter(unit=branch).exclude(
        position__in=[Position.SECRETARY, Position.DEPUTY_SECRETARY]).order_by("id"))
    if len(members) < 2:
        return
    now = timezone.now()
    this_month = month_start(timezone.localdate(now))
    acting.acting_appoint(unit=branch, member=members[0], month=this_month, by=admin)
    for kind, text in (("meeting", "主持召开支委会，研究本月主题党日安排"),
                       ("task", "发布擂台任务：整理车间 5S 区块标识"),
                       ("note", "走访结对职工，收集意见建议 6 条")):
        acting.duty_log_add(member=members[0], kind=kind, text=text, at=now)
    acting.acting_apply(member=members[1], unit=branch, month=add_months(this_month, 1),
                        note="希望下月锻炼一下组织能力")
