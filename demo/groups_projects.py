"""The demo's 党员网红 and 党员达人 groups with works, a 百县千品 service project with figures and
progress reports (points paid through the hub), and a display token for the big screen. Runs
through the services, once per company (the token: see screen_demo_token)."""

import base64
import datetime
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from toolkit.groups import services as groups
from toolkit.groups.models import Group, GroupKind, Nomination, WorkKind
from toolkit.org.models import Member
from toolkit.projects import services as projects
from toolkit.projects.models import FigureKind, Project, ProjectKind
from toolkit.screen.models import DisplayToken
from toolkit.screen.services import display_token_create, display_token_revoke

GROUPS = [
    ("青年网红宣讲团", GroupKind.INFLUENCER, "用短视频讲好身边的党员故事",
     [(WorkKind.VIDEO, "一分钟看懂二十大报告"), (WorkKind.ARTICLE, "我身边的优秀共产党员")]),
    ("技术攻关达人组", GroupKind.EXPERT, "带头攻克生产一线技术难题",
     [(WorkKind.SERVICE, "为社区老人维修家电"), (WorkKind.LESSON, "安全生产微党课")]),
]
FIGURES = [("上线产品", "个", FigureKind.COUNT), ("销售量", "斤", FigureKind.WEIGHT),
           ("销售额", "元", FigureKind.MONEY), ("带动农户", "户", FigureKind.PEOPLE)]
SCREEN_NAME = "演示大屏"


# A 1×1 red PNG: the works' and reports' pictures (checked by content like any upload).
RED_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGO4qMEAAAKVAUmfh3LQAAAAAElFTkSuQmCC")


def _photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, RED_PIXEL)


@transaction.atomic
def groups_demo_ensure(*, seed: str) -> None:
    if Group.objects.exists():
        return
    rng = random.Random(f"{seed}-groups")
    admin = User.objects.get(role=Role.COMPANY_ADMIN)
    members = list(Member.objects.select_related("user").order_by("id"))
    for index, (name, kind, theme, works) in enumerate(GROUPS):
        leader = members[4 + index]
        group = groups.group_create(by=admin, name=name, kind=kind, theme=theme, leader=leader)
        for member in rng.sample(members[8:], 3):
            nomination = groups.nomination_create(by=leader.user, group=group, member=member,
                                                  reason="表现突出，群众认可")
            groups.nomination_decide(by=admin, nomination=nomination, approve=True)
        for work_kind, title in works:
            groups.work_publish(by=leader.user, group=group, kind=work_kind, title=title,
                                body=f"{title}：{theme}。", upload=_photo("作品.png"))
        for member in rng.sample(members, 10):
            groups.group_follow(member=member, group=group)
        waiting = members[-1 - index]  # one nomination waits for the committee
        if not Nomination.objects.filter(group=group, member=waiting).exists():
            groups.nomination_create(by=waiting.user, group=group, member=waiting,
                                     reason="自荐：愿意参与")


@transaction.atomic
def projects_demo_ensure(*, seed: str) -> None:
    if Project.objects.exists():
        return
    rng = random.Random(f"{seed}-projects")
    admin = User.objects.get(role=Role.COMPANY_ADMIN)
    today = timezone.localdate()
    project = projects.project_create(
        by=admin, name="百县千品·对口帮扶县农产品进企业", kind=ProjectKind.COUNTY_PRODUCTS,
        goal="组织党员帮助对口帮扶县的农产品进食堂、进工会福利、上电商平台。",
        starts_on=today - datetime.timedelta(days=60), ends_on=today + datetime.timedelta(days=300))
    figures = [projects.figure_define(by=admin, project=project, name=n, unit=u, kind=k)
               for n, u, k in FIGURES]
    participants = list(Member.objects.order_by("id")[2:10])
    for member in participants:
        projects.participant_add(by=member.user, project=project, member=member)
    for week in range(8):
        member = participants[week % len(participants)]
        projects.report_submit(
            by=member.user, project=project,
            occurred_on=today - datetime.timedelta(days=7 * week),
            note=rng.choice(["食堂采购对接", "工会福利团购", "直播带货", "走访合作社"]),
            values={figures[0].pk: Decimal(rng.randint(0, 3)),
                    figures[1].pk: Decimal(rng.randint(200, 1500)),
                    figures[2].pk: Decimal(rng.randint(3000, 20000)),
                    figures[3].pk: Decimal(rng.randint(2, 12))},
            files=[_photo("订单.png")])
    projects.sharing_set(by=admin, share=True)  # the demo companies report up to the incubator


@transaction.atomic
def screen_demo_token() -> str:
    """A fresh display token for the demo's big screen (a token is shown only when made, so
    each seeding replaces the last demo token)."""
    admin = User.objects.get(role=Role.COMPANY_ADMIN)
    for old in DisplayToken.objects.filter(name=SCREEN_NAME, revoked_at__isnull=True):
        display_token_revoke(by=admin, token=old)
    return display_token_create(by=admin, name=SCREEN_NAME)[1]
