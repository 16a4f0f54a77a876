"""The demo incubator: staff, a trainer, and companies with their organisation and members.

Idempotent: a second run finds what the first made and adds only what is missing. It grows
with each capability so the demo always shows everything built.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.names import name_sort_key
from billing.entitlements import feature_allowed
from billing.models import Feature
from demo.billing import billing_demo_ensure
from demo.blocks import acting_demo_ensure, blocks_demo_ensure
from demo.groups_projects import groups_demo_ensure, projects_demo_ensure, screen_demo_token
from demo.indices import indices_demo_ensure
from demo.member_lessons import member_lessons_demo_ensure
from demo.names import chinese_names, mobiles
from demo.quiz import quiz_demo_ensure
from demo.toolkit import toolkit_demo_ensure
from demo.training import training_demo_ensure
from onboarding import services as onboarding_services
from onboarding.models import Application, IncubationBatch, Industry, ToolkitHandbook
from onboarding.services import progress_report
from tenants import services as tenant_services
from tenants.models import Company, CompanyStatus, Plan
from toolkit.org.models import Gender, Member, MemberStatus, OrgUnit, Position, UnitKind
from toolkit.org.selectors import organisation_counts
from toolkit.org.services import members_bulk_upsert

DEMO_PASSWORD = "demo-2026"
NEWCOMERS = 4  # per company: imported, not activated yet
TRAINER = "trainer"  # the demo batch's trainer (shared training)


@dataclass
class DemoCompany:
    name: str
    slug: str
    committee: tuple[str, str]  # (kind, name) of the top unit
    branches: list[str]
    mobile_prefix: str
    members: int = 36
    plan: str = Plan.STANDARD


DEMO_COMPANIES = [
    # The first demo company has every feature (its big screen, duels); the second the
    # standard plan, to show what a plan leaves out.
    DemoCompany("云集示范", "yunji-demo", (UnitKind.COMMITTEE, "云集示范党委"),
                ["运营党支部", "技术党支部", "客服党支部"], "1390000", members=40,
                plan=Plan.PROFESSIONAL),
    DemoCompany("华联科技", "hualian-tech", (UnitKind.GENERAL_BRANCH, "华联科技党总支"),
                ["研发党支部", "市场党支部"], "1380000", members=32),
]


@dataclass
class DemoSummary:
    staff: list[str] = field(default_factory=list)
    companies: list[tuple[Company, int]] = field(default_factory=list)
    screens: dict[str, str] = field(default_factory=dict)  # schema → a display token


def demo_seed() -> DemoSummary:
    tenant_services.public_tenant_ensure(domains=[settings.BASE_DOMAIN, "127.0.0.1"])
    summary = DemoSummary()
    password = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 per user would take minutes
    summary.staff = _public_users_ensure(password=password)
    batch = _batch_ensure()
    for spec in DEMO_COMPANIES:
        company = _company_ensure(spec)
        with schema_context(company.schema_name):
            _organisation_ensure(spec, password=password)
            toolkit_demo_ensure(seed=spec.slug)
            indices_demo_ensure(seed=spec.slug)
            blocks_demo_ensure(seed=spec.slug)  # 5S 区块链
            acting_demo_ensure(seed=spec.slug)  # 今天我来当书记
            member_lessons_demo_ensure()  # 共享党课
            quiz_demo_ensure(seed=spec.slug)  # 党建知识问答
            groups_demo_ensure(seed=spec.slug)
            projects_demo_ensure(seed=spec.slug)
            if feature_allowed(company, Feature.BIG_SCREEN):  # not in the standard plan
                summary.screens[company.schema_name] = screen_demo_token()
            _newcomers_ensure(spec)
            progress_report(company=company, admin_joined=True, **organisation_counts())
            count = Member.objects.count()
        onboarding_services.batch_enrol(batch=batch, company=company)
        _toolkit_issue_once(company)
        summary.companies.append((company, count))
    _applications_ensure(batch)
    billing_demo_ensure(companies=[company for company, _count in summary.companies],
                        starts_on=min(batch.starts_on, datetime.date.today()),
                        ends_on=batch.ends_on)
    training_demo_ensure(batch=batch, trainer=User.objects.get(username=TRAINER),
                         companies=[company for company, _count in summary.companies])
    return summary


def _toolkit_issue_once(company: Company) -> None:
    """Staff issue each demo company's toolkit once: `make run`'s worker renders its handbook
    (a few seconds), so the batch page and the admin's handbook page have a version to show."""
    if not ToolkitHandbook.objects.filter(company=company).exists():
        onboarding_services.toolkit_issue(company=company,
                                          by=User.objects.get(username="staff"))


def _batch_ensure() -> IncubationBatch:
    batch, _created = IncubationBatch.objects.get_or_create(
        name="2026年第一期", defaults={"starts_on": datetime.date(2026, 9, 1),
                                      "ends_on": datetime.date(2026, 12, 31)})
    IncubationBatch.objects.get_or_create(
        name="2027年第一期", defaults={"starts_on": datetime.date(2027, 3, 1),
                                      "ends_on": datetime.date(2027, 6, 30)})
    return batch


# Waiting in the staff's review queue (valid GB 32100 codes, made up for the demo).
DEMO_APPLICATIONS = [
    ("星火物流有限公司", "91330100MA2B3C4D5E", Industry.LOGISTICS, "周建国", "13700000001", 46, 3),
    ("青禾农业科技有限公司", "91510100MA6C7D8E9F", Industry.AGRICULTURE, "林晓梅", "13700000002",
     18, 1),
]


def _applications_ensure(batch: IncubationBatch) -> None:
    from onboarding.creditcode import check_character

    for name, code, industry, contact, mobile, members, branches in DEMO_APPLICATIONS:
        code = code[:17] + check_character(code[:17])
        Application.objects.get_or_create(credit_code=code, defaults={
            "company_name": name, "industry": industry, "contact_name": contact,
            "mobile": mobile, "email": f"{mobile}@example.cn", "has_party_org": branches > 0,
            "party_members": members, "party_branches": branches, "preferred_batch": batch,
        })


def _public_users_ensure(*, password: str) -> list[str]:
    people = [("staff", "王晓燕", Role.STAFF), (TRAINER, "李建国", Role.TRAINER)]
    for username, full_name, role in people:
        User.objects.get_or_create(username=username, defaults={
            "full_name": full_name, "role": role, "password": password,
            "is_staff": role == Role.STAFF, "is_superuser": role == Role.STAFF,
        })
    return [username for username, _name, _role in people]


def _company_ensure(spec: DemoCompany) -> Company:
    company = Company.objects.filter(slug=spec.slug).first()
    if company is None:
        company = tenant_services.company_create(name=spec.name, slug=spec.slug, plan=spec.plan)
    if company.status in (CompanyStatus.PENDING, CompanyStatus.FAILED):
        company = tenant_services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
    if company.status == CompanyStatus.PROVISIONING:
        company = tenant_services.company_provision(company_id=company.pk)
    return company


@transaction.atomic
def _organisation_ensure(spec: DemoCompany, *, password: str) -> int:
    if Member.objects.exists():
        return Member.objects.count()
    kind, top_name = spec.committee
    top = OrgUnit.objects.create(name=top_name, kind=kind)
    branches = [OrgUnit.objects.create(name=name, kind=UnitKind.BRANCH, parent=top, order=i)
                for i, name in enumerate(spec.branches, start=1)]
    User.objects.create(username="admin", full_name=f"{spec.name}管理员", role=Role.COMPANY_ADMIN,
                        password=password, email=f"admin@{spec.slug}.example.cn")
    rng = random.Random(spec.slug)
    names = chinese_names(spec.members, seed=len(spec.slug) * 7919 + spec.members)
    # Members for a year: their months of dues and meetings are theirs (arrears count from
    # the day someone joined the company).
    joined = timezone.now() - datetime.timedelta(days=365)
    users = User.objects.bulk_create([
        User(username=mobile, full_name=name, name_sort=name_sort_key(name), mobile=mobile,
             role=Role.MEMBER, password=password, date_joined=joined)
        for name, mobile in zip(names, mobiles(spec.members, prefix=spec.mobile_prefix),
                                strict=True)
    ])
    statuses = [MemberStatus.FULL] * 7 + [MemberStatus.PROBATIONARY, MemberStatus.ACTIVIST,
                                          MemberStatus.CANDIDATE]
    members = []
    for index, user in enumerate(users):
        branch = branches[index % len(branches)]
        is_secretary = index < len(branches)
        status = MemberStatus.FULL if is_secretary else rng.choice(statuses)
        members.append(Member(
            user=user, unit=branch, gender=rng.choice([Gender.MALE, Gender.FEMALE]),
            status=status, position=Position.SECRETARY if is_secretary else _position_for(status),
            joined_on=None if status in (MemberStatus.ACTIVIST, MemberStatus.CANDIDATE)
            else datetime.date(rng.randint(1995, 2025), rng.randint(1, 12), rng.randint(1, 28)),
        ))
    Member.objects.bulk_create(members)
    for branch, secretary in zip(branches, members[: len(branches)], strict=True):
        branch.secretary = secretary
        branch.save(update_fields=["secretary"])
    top.secretary = members[0]
    top.save(update_fields=["secretary"])
    return len(members)


def _newcomers_ensure(spec: DemoCompany) -> None:
    """A few members imported last week who have not activated their accounts yet, so the
    admin's 党员激活 page has someone to invite (their SMS codes show in `make run`'s output).
    They come in through the member import's own write path: no password, like any import."""
    numbers = mobiles(NEWCOMERS, prefix=spec.mobile_prefix[:-1] + "9")
    if User.objects.filter(mobile__in=numbers).exists():
        return
    taken = set(User.objects.values_list("full_name", flat=True))
    names = [name for name in chinese_names(NEWCOMERS * 4, seed=len(spec.slug) * 104729)
             if name not in taken][:NEWCOMERS]
    branch = OrgUnit.objects.filter(kind=UnitKind.BRANCH).order_by("order", "id").first()
    members_bulk_upsert(rows=[
        {"mobile": mobile, "name": name, "unit_id": branch.pk, "status": MemberStatus.FULL,
         "position": Position.MEMBER}
        for name, mobile in zip(names, numbers, strict=True)])


def _position_for(status: str) -> str:
    return {MemberStatus.PROBATIONARY: Position.PROBATIONARY,
            MemberStatus.ACTIVIST: Position.ACTIVIST,
            MemberStatus.CANDIDATE: Position.ACTIVIST}.get(status, Position.MEMBER)
