"""The one limits service: terms come from the account (the plan as bought), staff's plan
edits reach a subscription at its renewal, storage is a running total refused past the quota,
and paid features pause after the grace period while organisational life goes on."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from django_tenants.utils import schema_context

from billing import local, services
from billing.entitlements import (
    account_for,
    billing_status,
    feature_allowed,
    paid_features_paused,
)
from billing.gateway import DECLINED_CARD, gateway
from billing.limits import PaidFeaturePaused, PlanLimitRefused, storage_add, storage_release
from billing.models import BillingAccount, Feature, SponsoredPeriod
from billing.sync import account_sync
from tenants.models import Company
from tests.billing.helpers import member_limit_set_all, plan_of
from tests.toolkit.conftest import login
from toolkit.org.services import member_upsert

ROW = ["张三", "男", "13900000001", "第一党支部", "正式党员", "2015-07-01", ""]


@pytest.fixture
def alpha(org_a):
    return Company.objects.get(schema_name="alpha")


def _expire_trial(company) -> None:
    account_for(company)  # its trial, made with the account
    SponsoredPeriod.objects.filter(company=company).update(
        starts_on=timezone.localdate() - timedelta(days=60),
        ends_on=timezone.localdate() - timedelta(days=30))


def test_a_new_company_starts_on_its_plan_with_a_trial(company_a):
    account = account_for(company_a)
    assert account.plan.code == "trial" and account.member_limit == 100
    assert SponsoredPeriod.objects.get(company=company_a).kind == "trial"
    assert all(feature_allowed(company_a, feature) for feature in Feature.values)


def test_staff_plan_edit_reaches_a_subscription_at_renewal_not_before(company_a):
    standard = plan_of("standard")
    price = services.price_ensure(plan=standard, interval="month")
    local.checkout_complete(company=company_a, price=price, pay=True)
    assert account_for(company_a).member_limit == 1000
    services.plan_save(plan=standard, code="standard", name="标准版", price_month_fen=99900,
                       price_year_fen=999000, member_limit=1500,
                       storage_quota_bytes=standard.storage_quota_bytes,
                       features=standard.features, is_public=True)
    account = BillingAccount.objects.get(company=company_a)
    account_sync(account=account)
    assert account.member_limit == 1000  # the period bought goes on with its terms
    BillingAccount.objects.filter(pk=account.pk).update(
        terms_period_start=timezone.now() - timedelta(days=40))  # a period began since
    account = BillingAccount.objects.get(company=company_a)
    account_sync(account=account)
    assert account.member_limit == 1500


def test_storage_is_a_running_total_refused_past_the_quota(company_a):
    account = account_for(company_a)
    BillingAccount.objects.filter(pk=account.pk).update(storage_quota_bytes=1000)
    with schema_context("alpha"):
        storage_add(size=600)
        with pytest.raises(PlanLimitRefused) as caught:
            storage_add(size=401)
        assert caught.value.code == "storage_limit_reached"
        assert "存储空间上限" in str(caught.value) and "/billing/" in str(caught.value)
        storage_add(size=400)
        storage_release(size=500)
    assert BillingAccount.objects.get(pk=account.pk).storage_used_bytes == 500


def test_an_upload_over_the_quota_is_refused_and_nothing_kept(alpha, org_a):
    from toolkit.arena.models import Evidence

    account = account_for(alpha)
    BillingAccount.objects.filter(pk=account.pk).update(storage_quota_bytes=10)
    from toolkit.learning.hours import hours_credit

    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 " + b"x" * 100, "application/pdf")
    with schema_context("alpha"), pytest.raises(PlanLimitRefused):
        hours_credit(member=org_a.members[0], hours=2, source="external", title="外训",
                     occurred_on=timezone.localdate(), evidence=pdf)
    with schema_context("alpha"):
        assert not Evidence.objects.exists()
    assert BillingAccount.objects.get(pk=account.pk).storage_used_bytes == 0


def test_over_the_member_limit_adding_is_refused_with_the_way_to_upgrade(org_a):
    member_limit_set_all(6)
    with schema_context("alpha"), pytest.raises(PlanLimitRefused) as caught:
        member_upsert(name="新党员", mobile="13800000001", unit=org_a.branches[0])
    assert "党员上限 6 人" in str(caught.value) and "升级套餐" in str(caught.value)


def test_paid_features_pause_after_grace_and_org_life_goes_on(alpha, org_a):
    from toolkit.documents.services import handbook_request

    _expire_trial(alpha)
    assert not feature_allowed(alpha, Feature.HANDBOOK_PDF)
    with schema_context("alpha"), pytest.raises(PaidFeaturePaused):
        handbook_request(by=org_a.admin)
    with schema_context("alpha"):  # adding a member is organisational life: allowed
        member_upsert(name="新党员", mobile="13800000001", unit=org_a.branches[0])
    services.sponsorship_grant(companies=[alpha], starts_on=timezone.localdate(),
                               ends_on=timezone.localdate() + timedelta(days=90), note="孵化期")
    assert feature_allowed(alpha, Feature.HANDBOOK_PDF)


def test_imports_pause_after_grace(alpha, org_a):
    from onboarding.company import import_services
    from tests.onboarding.rosters import csv_bytes

    _expire_trial(alpha)
    with schema_context("alpha"), pytest.raises(PaidFeaturePaused):
        import_services.member_import_preview(data=csv_bytes([ROW]), file_name="名单.csv",
                                              uploaded_by=org_a.admin)


def test_the_api_pauses_after_grace(client, alpha, org_a):
    from tests.toolkit.api.conftest import api_login

    token = api_login(client, "alpha.localhost", "admin")
    ok = client.get("/api/v1/members/", HTTP_HOST="alpha.localhost",
                    HTTP_AUTHORIZATION=f"Token {token}")
    assert ok.status_code == 200
    _expire_trial(alpha)
    paused = client.get("/api/v1/members/", HTTP_HOST="alpha.localhost",
                        HTTP_AUTHORIZATION=f"Token {token}")
    assert paused.status_code == 403 and paused.json()["code"] == "paid_feature_paused"


def test_the_big_screen_and_new_duels_pause_after_grace_and_come_back(client, alpha, org_a):
    from toolkit.quiz.duels import duel_create
    from toolkit.screen.services import display_token_create

    with schema_context("alpha"):
        _row, raw = display_token_create(by=org_a.admin, name="大厅")
    data = f"/screen/d/{raw}/data/"
    assert client.get(data, HTTP_HOST="alpha.localhost").status_code == 200
    _expire_trial(alpha)
    paused = client.get(data, HTTP_HOST="alpha.localhost")
    assert paused.status_code == 403 and paused.json()["code"] == "paid_feature_paused"
    assert client.get(f"/screen/d/{raw}/", HTTP_HOST="alpha.localhost").status_code == 403
    with schema_context("alpha"), pytest.raises(PaidFeaturePaused):
        duel_create(challenger=org_a.members[1])
    services.sponsorship_grant(companies=[alpha], starts_on=timezone.localdate(),
                               ends_on=timezone.localdate() + timedelta(days=90), note="孵化期")
    assert client.get(data, HTTP_HOST="alpha.localhost").status_code == 200


def _past_grace(company) -> BillingAccount:
    """Subscribed, then the renewal's card declined: past due, and now past the grace period."""
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    assert local.checkout_complete(company=company, price=price, pay=True)
    account = account_for(company)
    gateway().local_card_set(account.stripe_customer_id, number=DECLINED_CARD)
    assert not local.renewal_bill(company=company)
    account = BillingAccount.objects.get(pk=account.pk)
    assert billing_status(account) == "past_due" and not paid_features_paused(account)
    account.past_due_since = timezone.now() - timedelta(days=account.grace_days, hours=1)
    account.save(update_fields=["past_due_since"])  # forgets the company's cached features
    assert paid_features_paused(account)
    assert not feature_allowed(company, Feature.TRAINING_SEATS)
    return account


def _hours_of(member) -> Decimal:
    from toolkit.learning.models import HoursEntry

    return HoursEntry.objects.filter(member=member).aggregate(total=Sum("hours"))["total"]


def test_after_the_grace_period_members_log_in_meet_pay_dues_and_earn_points(alpha, org_a,
                                                                            client):
    from toolkit.learning.hours import hours_credit
    from toolkit.life import services as life
    from toolkit.life.models import Attendance, DuesCategory, DuesPayment, MeetingKind
    from toolkit.points.models import LedgerEntry
    from toolkit.points.selectors import balance_of

    member, now = org_a.members[2], timezone.now()  # in 第1党支部
    with schema_context("alpha"):
        earlier = life.meeting_create(
            unit=org_a.branches[0], kind=MeetingKind.THEME_DAY, title="上月主题党日",
            starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=2),
            by=org_a.members[0].user)
        life.attendance_checkin(code=life.checkin_code(earlier), member=member)
        hours_credit(member=member, hours=Decimal("3"), source="external", title="外训",
                     occurred_on=timezone.localdate())
        points, hours = balance_of(member=member), _hours_of(member)
        entries = LedgerEntry.objects.filter(member=member).count()
    assert points > 0 and hours == Decimal("3")

    _past_grace(alpha)

    login(client, "alpha.localhost", member.user.username)  # asserts the sign-in succeeded
    assert client.get("/", HTTP_HOST="alpha.localhost").status_code == 200
    with schema_context("alpha"):
        assert (balance_of(member=member), _hours_of(member)) == (points, hours)  # nothing lost
        assert LedgerEntry.objects.filter(member=member).count() == entries
        meeting = life.meeting_create(
            unit=org_a.branches[0], kind=MeetingKind.THEME_DAY, title="主题党日",
            starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=2),
            by=org_a.members[0].user)
        life.attendance_checkin(code=life.checkin_code(meeting), member=member)
        assert Attendance.objects.filter(meeting=meeting, member=member).exists()
        after_meeting = balance_of(member=member)
        assert after_meeting > points  # attendance still scores
        life.dues_profile_save(member=member, category=DuesCategory.EMPLOYED,
                               monthly_wage=Decimal("6000"))
        month = timezone.localdate().replace(day=1)
        payment = life.dues_payment_record(
            member=member, month=month, by=org_a.admin,
            paid_at=timezone.make_aware(datetime.combine(month, time(9))))
        assert payment.on_time and DuesPayment.objects.filter(member=member).count() == 1
        assert balance_of(member=member) > after_meeting  # dues paid on time still score
        assert _hours_of(member) == hours
    connection.set_schema_to_public()


def test_after_the_grace_period_new_training_seats_pause_and_taken_ones_stay(alpha, org_a):
    from tests.toolkit.learning.conftest import course_build, deliver
    from toolkit.learning.models import Enrolment
    from toolkit.learning.services import company_course_adopt, enrolments_sync
    from training.models import Adoption, Course

    taken = course_build(title="党章学习", kinds=("text",))
    deliver(taken, companies=[alpha])
    with schema_context("alpha"):
        assert enrolments_sync() == len(org_a.members)  # seats while paid for

    _past_grace(alpha)

    delivered = course_build(title="党史学习", kinds=("text",))
    deliver(delivered, companies=[alpha])
    open_course = course_build(title="自选课程", kinds=("text",))
    Course.objects.filter(pk=open_course.course.pk).update(open_to_adopt=True)
    with schema_context("alpha"):
        assert enrolments_sync() == 0
        with pytest.raises(PaidFeaturePaused) as paused:
            company_course_adopt(course=open_course.course, by=org_a.admin)
        assert paused.value.code == "paid_feature_paused"
        assert not Enrolment.objects.filter(course__in=[delivered.course,
                                                        open_course.course]).exists()
        assert Enrolment.objects.filter(course=taken.course).count() == len(org_a.members)
    assert not Adoption.objects.filter(course=open_course.course).exists()
