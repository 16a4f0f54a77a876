from django_tenants.utils import schema_context

from accounts.models import Role, User
from demo.services import DEMO_COMPANIES, DEMO_PASSWORD, NEWCOMERS, demo_seed
from tenants.models import Company, CompanyStatus
from toolkit.arena.models import Claim, ClaimStatus, Task
from toolkit.indices import selectors as indices
from toolkit.indices.models import MemberIndex, Step
from toolkit.life.models import Attendance, Meeting
from toolkit.mall.models import Reward
from toolkit.org.models import Member, OrgUnit
from toolkit.points.ledger import chain_check
from toolkit.points.models import LedgerEntry, MonthlyClose


def test_demo_seed_makes_the_incubator_and_is_idempotent(public_tenant, client):
    demo_seed()
    demo_seed()  # a second `make run` reuses everything
    assert set(User.objects.values_list("role", flat=True)) == {Role.STAFF, Role.TRAINER}
    assert Company.objects.filter(status=CompanyStatus.ACTIVE).exclude(
        schema_name="public").count() == len(DEMO_COMPANIES) >= 2
    for spec in DEMO_COMPANIES:
        company = Company.objects.get(slug=spec.slug)
        with schema_context(company.schema_name):
            assert Member.objects.count() == spec.members + NEWCOMERS >= 30
            # The newcomers came in through the import's path: no password until they activate.
            waiting = [user for user in User.objects.filter(role=Role.MEMBER)
                       if not user.has_usable_password()]
            assert len(waiting) == NEWCOMERS
            names = list(User.objects.filter(role=Role.MEMBER).values_list("full_name", flat=True))
            assert len(set(names)) == len(names)
            assert all(2 <= len(name) <= 3 and "\u4e00" <= name[0] <= "\u9fff" for name in names)
            assert User.objects.filter(role=Role.COMPANY_ADMIN, username="admin").exists()
            assert OrgUnit.objects.filter(parent__isnull=False).count() == len(spec.branches)
            assert not Member.objects.filter(unit__isnull=True).exists()
            # The toolkit has something to show, and its ledger verifies.
            assert Task.objects.exists() and Meeting.objects.exists() and Reward.objects.exists()
            assert MonthlyClose.objects.exists()
            # A finished quarter: every index confirmed, stars named, branches ranked.
            assert MemberIndex.objects.exists()
            assert not MemberIndex.objects.exclude(step=Step.DONE).exists()
            assert indices.stars().exists() and indices.fortress_ranking().exists()
            check = chain_check()
            assert check.intact and check.entries > 100
            # Made through the services: every attendance and accepted claim scored with its
            # source, dated in the past it stands for.
            _scored_through_the_services()


def test_demo_logins_work_on_each_company_site(public_tenant, client):
    demo_seed()
    with schema_context("yunji_demo"):
        member = Member.objects.select_related("user").first()
    response = client.post("/login/", {"username": member.user.username,
                                       "password": DEMO_PASSWORD},
                           HTTP_HOST="yunji-demo.localhost", follow=True)
    body = response.content.decode()
    assert "云集示范" in body and member.user.full_name in body


def _scored_through_the_services() -> None:
    attendances = list(Attendance.objects.select_related("meeting"))
    accepted = list(Claim.objects.filter(status=ClaimStatus.ACCEPTED))
    assert attendances and accepted
    assert all(a.meeting.starts_at <= a.checked_in_at <= a.meeting.ends_at for a in attendances)
    assert all(c.submitted_at and c.reviewed_at and c.submitted_at < c.reviewed_at
               for c in accepted)
    sources = {(e.source_type, e.source_id): e for e in LedgerEntry.objects.all()}
    for attendance in attendances:
        entry = sources[("life.attendance", str(attendance.pk))]
        assert entry.created_at == attendance.checked_in_at
    for claim in accepted:
        assert sources[("arena.claim", str(claim.pk))].created_at == claim.reviewed_at


def test_demo_has_approved_member_lessons_with_shared_views(public_tenant):
    from toolkit.learning.models import MemberLesson, MemberLessonShareCredit, MemberLessonStatus

    demo_seed()
    spec = DEMO_COMPANIES[0]
    with schema_context(Company.objects.get(slug=spec.slug).schema_name):
        lessons = MemberLesson.objects.all()
        assert lessons.count() == 3
        assert set(lessons.values_list("status", flat=True)) == {MemberLessonStatus.APPROVED}
        assert {lesson.kind for lesson in lessons} == {"video", "audio"}
        assert all(6 <= lesson.duration_seconds <= 7 for lesson in lessons)  # ffprobe, rounded up
        assert MemberLessonShareCredit.objects.exists()  # the first lesson's two colleagues
        assert LedgerEntry.objects.filter(rule_code="lesson_approved").count() == 3


def test_demo_has_5s_blocks_with_history_and_an_acting_secretary(public_tenant):
    from django.utils import timezone

    from toolkit.acting.models import DutyLogEntry
    from toolkit.blocks.models import BlockEntry
    from toolkit.blocks.selectors import chains_verify
    from toolkit.org.models import ActingSecretary
    from toolkit.org.selectors import managed_unit_ids
    from toolkit.periods import month_start

    demo_seed()
    with schema_context(Company.objects.get(slug=DEMO_COMPANIES[0].slug).schema_name):
        verification = chains_verify()
        assert verification.intact and verification.blocks >= 4
        assert set(BlockEntry.objects.values_list("kind", flat=True)) == {
            "created", "pairing", "transfer"}
        acting = ActingSecretary.objects.get(month=month_start(timezone.localdate()))
        assert acting.unit_id in managed_unit_ids(user=acting.member.user)
        assert DutyLogEntry.objects.filter(appointment=acting, points__gt=0).exists()
def test_demo_has_groups_a_service_project_and_a_working_screen_token(public_tenant, client):
    from onboarding.models import ProjectFigureTotal
    from toolkit.groups.models import Group, Work
    from toolkit.projects.selectors import company_totals

    summary = demo_seed()
    spec = DEMO_COMPANIES[0]
    company = Company.objects.get(slug=spec.slug)
    with schema_context(company.schema_name):
        assert Group.objects.count() == 2 and Work.objects.count() == 4
        assert {t.name for t in company_totals() if t.total > 0} >= {"销售量", "销售额"}
    assert ProjectFigureTotal.objects.filter(company=company).exists()
    host = f"{spec.slug}.localhost"
    token = summary.screens[company.schema_name]
    assert client.get(f"/screen/d/{token}/data/", HTTP_HOST=host).status_code == 200


def test_the_command_prints_each_company_and_a_screen_only_where_the_plan_has_one(
        public_tenant):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("demo_seed", stdout=out)
    printed = out.getvalue()
    assert all(spec.name in printed for spec in DEMO_COMPANIES)
    screens = [line for line in printed.splitlines() if "/screen/d/" in line]
    assert len(screens) == 1 and f"{DEMO_COMPANIES[0].slug}." in screens[0]


def test_the_readme_shows_what_the_demo_prints(public_tenant):
    """README.md's "It prints:" block is the command's output, line for line (the display
    token aside): a new user follows those logins first."""
    import io
    import re
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    out = io.StringIO()
    call_command("demo_seed", "--port", "8000", stdout=out)
    printed = [line.strip() for line in out.getvalue().splitlines()[1:]]
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    block = readme.split("It prints:\n\n```\n", 1)[1].split("```", 1)[0]
    shown = [line.strip() for line in block.strip().splitlines()]
    token = re.compile(r"/screen/d/[^/]+/")
    assert [token.sub("/screen/d/<display token>/", line) for line in printed] == shown
