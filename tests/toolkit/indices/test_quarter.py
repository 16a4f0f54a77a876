"""A vanguard quarter on real data: the drafts (hand-computed, a mid-quarter joiner, ties),
the flow's order, stars, isolation between companies and members, and the home page's
reminders."""

import datetime
from decimal import Decimal as D

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from core.errors import Forbidden
from tests.toolkit.api.conftest import api_login
from tests.toolkit.conftest import login
from toolkit.indices import selectors, services
from toolkit.indices.models import IndexItem, ItemRecord, MemberIndex, Quarter, Step
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award, points_correct

A, B = "alpha.localhost", "beta.localhost"
Q2 = datetime.date(2026, 4, 1)
TODAY = datetime.date(2026, 7, 3)  # Q2 is over


def at(month: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, 10))


def _quarter(org) -> Quarter:
    """members[2] (branch 1): 2×10 + 1.5×5 + 20 + item 5 = 52.50 (its Q1 task and its −3
    correction, dated today, fall outside Q2); members[3] (branch 2): 2×10 + 1.5×5 + 19 =
    46.50; members[5] joined in May: 2×10 × 3/2 = 30.00."""
    m = org.members
    services.index_settings_save(values={"w_study": D(2), "w_org_life": D("1.5"),
                                         "w_negative": D(2), "star_share": 10})
    praise = IndexItem.objects.create(name="表彰", kind="positive", points=D(5))
    ItemRecord.objects.create(quarter=Q2, member=m[2], item=praise, recorded_by=org.admin)
    points_award(member=m[2], rule=RuleCode.STUDY, amount=10, at=at(4))
    points_award(member=m[2], rule=RuleCode.MEETING_ATTENDANCE, amount=5, at=at(5))
    points_award(member=m[2], rule=RuleCode.TASK_ACCEPTED, amount=20, at=at(6))
    points_award(member=m[2], rule=RuleCode.TASK_ACCEPTED, amount=9, at=at(3))  # Q1: not counted
    points_correct(member=m[2], amount=-3, note="缺席", by=org.admin, category="negative")
    points_award(member=m[2], rule=RuleCode.QUIZ, amount=0, at=at(5))
    points_award(member=m[3], rule=RuleCode.STUDY, amount=10, at=at(4))
    points_award(member=m[3], rule=RuleCode.MEETING_ATTENDANCE, amount=5, at=at(4))
    points_award(member=m[3], rule=RuleCode.TASK_ACCEPTED, amount=19, at=at(5))
    user = m[5].user
    user.date_joined = at(5, 20)
    user.save(update_fields=["date_joined"])
    points_award(member=m[5], rule=RuleCode.STUDY, amount=10, at=at(6))
    return services.quarter_open(start=Q2)  # today: deadlines from today


def test_drafts_are_the_hand_computed_scores(org_a):
    with schema_context("alpha"):
        quarter = _quarter(org_a)
        drafts = dict(MemberIndex.objects.filter(quarter=quarter)
                      .values_list("member_id", "draft"))
        m = org_a.members
        assert drafts[m[2].pk] == D("52.50")
        assert drafts[m[3].pk] == D("46.50")
        assert drafts[m[5].pk] == D("30.00")
        assert drafts[m[0].pk] == D("0.00") and len(drafts) == 6
        joiner = MemberIndex.objects.get(quarter=quarter, member=m[5])
        assert joiner.breakdown["months"] == 2
        assert quarter.formula["weights"]["study"] == "2.00"
        assert quarter.formula["items"] == [{"name": "表彰", "points": "5.00"}]
        # the formula in force is kept: changing the settings leaves the quarter as it was
        services.index_settings_save(values={"w_study": D(9)})
        assert Quarter.objects.get(pk=quarter.pk).formula["weights"]["study"] == "2.00"


def test_a_quarter_not_over_or_opened_twice_is_refused(org_a):
    with schema_context("alpha"):
        with pytest.raises(services.IndexRefused) as early:
            services.quarter_open(start=Q2, today=datetime.date(2026, 6, 30))
        assert early.value.code == "index_quarter_not_over"
        services.quarter_open(start=Q2, today=TODAY)
        with pytest.raises(services.IndexRefused) as twice:
            services.quarter_open(start=Q2, today=TODAY)
        assert twice.value.code == "index_quarter_exists"


def _run_to_confirm(org, quarter):
    """Everybody self-assesses and is reviewed: members by their branch secretary, the
    secretaries by the admin."""
    m = org.members
    for member in m:
        result = MemberIndex.objects.get(quarter=quarter, member=member)
        services.index_self_assess(result=result, member=member, text="认真学习")
    for member in m:
        result = MemberIndex.objects.get(quarter=quarter, member=member)
        reviewer = org.admin if member.unit.secretary_id == member.pk else \
            member.unit.secretary.user
        services.index_review(result=result, by=reviewer, adjustment=D(0), reason="")


def test_the_flow_runs_in_order_and_ties_both_become_stars(org_a):
    m = org_a.members
    with schema_context("alpha"):
        quarter = _quarter(org_a)
        mine = MemberIndex.objects.get(quarter=quarter, member=m[3])
        # Not yet: review before the self-assessment (its deadline not passed), confirm before
        # review, stars before everything is confirmed.
        with pytest.raises(services.IndexRefused) as early:
            services.index_review(result=mine, by=m[1].user, adjustment=D(0), reason="")
        assert early.value.code == "index_step_out_of_order"
        with pytest.raises(services.IndexRefused) as skip:
            services.index_confirm(quarter=quarter, by=org_a.admin, result_ids=[mine.pk])
        assert skip.value.code == "index_step_out_of_order"
        with pytest.raises(services.IndexRefused):
            services.stars_name(quarter=quarter, by=org_a.admin)
        # A member writes only their own self-assessment, once.
        with pytest.raises(Forbidden):
            services.index_self_assess(result=mine, member=m[2], text="代写")
        services.index_self_assess(result=mine, member=m[3], text="本季度完成任务两项")
        with pytest.raises(services.IndexRefused):
            services.index_self_assess(result=mine, member=m[3], text="再改")
        # Nobody reviews themselves or outside their units; a member confirms nothing.
        own = MemberIndex.objects.get(quarter=quarter, member=m[1])
        services.index_self_assess(result=own, member=m[1], text="书记自评")
        with pytest.raises(Forbidden):
            services.index_review(result=own, by=m[1].user, adjustment=D(0), reason="")
        with pytest.raises(Forbidden):
            services.index_review(result=mine, by=m[0].user, adjustment=D(0), reason="")
        with pytest.raises(Forbidden):
            services.index_review(result=mine, by=m[5].user, adjustment=D(0), reason="")
        with pytest.raises(services.IndexRefused) as reasonless:
            services.index_review(result=mine, by=m[1].user, adjustment=D(6), reason="")
        assert reasonless.value.code == "index_adjust_reason_missing"
        services.index_review(result=mine, by=m[1].user, adjustment=D(6), reason="带头攻关")
        with pytest.raises(Forbidden):
            services.index_confirm(quarter=quarter, by=m[3].user)
        assert services.index_confirm(quarter=quarter, by=org_a.admin) == 1
        mine.refresh_from_db()
        assert mine.step == Step.DONE and mine.final == D("52.50")  # 46.50 + 6
        # The rest run; 10 % of six is one place, and 52.50 is tied: two stars.
        for member in m:
            result = MemberIndex.objects.get(quarter=quarter, member=member)
            if result.step == Step.SELF:
                services.index_self_assess(result=result, member=member, text="好")
        for result in MemberIndex.objects.filter(quarter=quarter, step=Step.REVIEW):
            reviewer = org_a.admin if result.member.unit.secretary_id == result.member_id \
                else result.member.unit.secretary.user
            services.index_review(result=result, by=reviewer, adjustment=D(0), reason="")
        services.index_confirm(quarter=quarter, by=org_a.admin)
        assert services.stars_name(quarter=quarter, by=org_a.admin) == 2
        assert {r.member_id for r in selectors.stars()} == {m[2].pk, m[3].pk}
        assert selectors.star_quarters_of(member=m[3]) == ["2026Q2"]
        assert [r.quarter.label for r in selectors.history_of(member=m[3])] == ["2026Q2"]


def test_an_overdue_self_assessment_no_longer_holds_up_the_review(org_a):
    m = org_a.members
    with schema_context("alpha"):
        quarter = _quarter(org_a)
        Quarter.objects.filter(pk=quarter.pk).update(
            self_deadline=timezone.localdate() - datetime.timedelta(days=1))
        result = MemberIndex.objects.get(quarter=quarter, member=m[2])
        with pytest.raises(services.IndexRefused) as late:
            services.index_self_assess(result=result, member=m[2], text="迟到")
        assert late.value.code == "index_deadline_passed"
        services.index_review(result=result, by=m[0].user, adjustment=D(0), reason="")
        assert MemberIndex.objects.get(pk=result.pk).step == Step.CONFIRM


def test_the_pages_run_a_quarter_and_home_tells_who_owes_a_step(client, org_a):
    m = org_a.members
    with schema_context("alpha"):
        quarter = _quarter(org_a)
        result = MemberIndex.objects.get(quarter=quarter, member=m[2])
    member = Client()
    login(member, A, m[2].user.mobile)
    home = member.get("/", HTTP_HOST=A).content.decode()
    assert "先锋指数自评" in home and f"{quarter.self_deadline:%Y-%m-%d}" in home
    assert member.post("/indices/", {"text": "学习党章"}, HTTP_HOST=A).status_code == 302
    assert "先锋指数自评" not in member.get("/", HTTP_HOST=A).content.decode()
    secretary = Client()
    login(secretary, A, m[0].user.mobile)
    home = secretary.get("/", HTTP_HOST=A).content.decode()
    assert "先锋指数支部审核" in home and f"{quarter.review_deadline:%Y-%m-%d}" in home
    page = secretary.get("/indices/review/", HTTP_HOST=A).content.decode()
    assert "学习党章" in page
    assert secretary.post(f"/indices/review/{result.pk}/",
                          {"adjustment": "2", "reason": "表现突出"}, HTTP_HOST=A).status_code == 302
    admin = Client()
    login(admin, A, "admin")
    assert "先锋指数党委确认" in admin.get("/", HTTP_HOST=A).content.decode()
    assert admin.post("/indices/confirm/all/", {}, HTTP_HOST=A).status_code == 302
    with schema_context("alpha"):
        result.refresh_from_db()
        assert result.step == Step.DONE and result.final == D("54.50")
    # A member cannot reach the review or the committee's pages.
    assert member.get("/indices/review/", HTTP_HOST=A).status_code == 403
    assert member.get("/indices/confirm/", HTTP_HOST=A).status_code == 403
    assert member.post("/indices/confirm/all/", {}, HTTP_HOST=A).status_code == 403
    assert member.get("/indices/settings/", HTTP_HOST=A).status_code in (302, 403)


def test_a_member_cannot_see_another_members_self_assessment(client, org_a):
    m = org_a.members
    with schema_context("alpha"):
        quarter = _quarter(org_a)
        theirs = MemberIndex.objects.get(quarter=quarter, member=m[4])
        services.index_self_assess(result=theirs, member=m[4], text="隐私自评内容")
    other = Client()
    login(other, A, m[2].user.mobile)
    for path in ("/indices/", "/indices/stars/", "/"):
        assert "隐私自评内容" not in other.get(path, HTTP_HOST=A).content.decode()
    token = api_login(Client(), A, m[2].user.mobile)
    mine = other.get("/api/v1/indices/mine/", HTTP_HOST=A,
                     HTTP_AUTHORIZATION=f"Token {token}").json()
    assert mine["index"]["id"] != theirs.pk and mine["index"]["draft"] == "52.50"
    # The other branch's secretary does not see it either.
    secretary = Client()
    login(secretary, A, m[1].user.mobile)
    assert "隐私自评内容" not in secretary.get("/indices/review/", HTTP_HOST=A).content.decode()


def test_company_a_indices_are_nothing_on_b(client, org_a, org_b):
    with schema_context("alpha"):
        quarter = _quarter(org_a)
        result = MemberIndex.objects.get(quarter=quarter, member=org_a.members[2])
    b_secretary = Client()
    login(b_secretary, B, org_b.members[0].user.mobile)
    assert b_secretary.post(f"/indices/review/{result.pk}/", {"adjustment": "0"},
                            HTTP_HOST=B).status_code == 404
    b_admin = Client()
    login(b_admin, B, "admin")
    page = b_admin.get("/indices/confirm/", HTTP_HOST=B).content.decode()
    assert org_a.members[2].user.full_name not in page and "还没有计算过先锋指数" in page
    token = api_login(Client(), B, org_b.members[2].user.mobile)
    assert b_admin.get("/api/v1/indices/mine/", HTTP_HOST=B,
                       HTTP_AUTHORIZATION=f"Token {token}").json() == {"index": None}
    # A's token is nothing on B (the endpoint walker checks every endpoint the same way).
    a_token = api_login(Client(), A, org_a.members[2].user.mobile)
    assert b_admin.get("/api/v1/indices/history/", HTTP_HOST=B,
                       HTTP_AUTHORIZATION=f"Token {a_token}").status_code == 401
