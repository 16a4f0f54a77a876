"""The plan's member limit is one check (billing.limits) on every path that adds or
reactivates a member, counting active members of this company only."""

import pytest
from django.db import connection
from django.utils import translation
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.services import user_deactivate
from billing.limits import (
    PlanLimitRefused,
    active_member_count,
    member_limit_check,
    member_reactivate,
)
from tests.billing.helpers import member_limit_set_all
from tests.toolkit.conftest import login
from toolkit.org.models import Member, OrgUnit, UnitKind
from toolkit.org.services import member_upsert

ALPHA = "alpha.localhost"


@pytest.fixture
def limit(db):
    """limit(n): every test company (and the trial plan) allows n members."""
    return member_limit_set_all


def _refusal_says_plan_and_limit(refusal, limit: int) -> None:
    assert refusal.code == "member_limit_reached"
    assert str(refusal) == (f"已达到套餐“试用版”的党员上限 {limit} 人，不能再增加党员。"
                            "请管理员在“套餐与账单”（/billing/）升级套餐。")


def test_wizard_secretary_over_the_limit_is_refused_and_nothing_is_written(org_a, limit):
    limit(6)  # org_a has six members already
    with schema_context("alpha"), pytest.raises(PlanLimitRefused) as caught:
        member_upsert(name="新书记", mobile="13800000001", unit=org_a.branches[0])
    _refusal_says_plan_and_limit(caught.value, 6)
    with schema_context("alpha"):
        assert not User.objects.filter(mobile="13800000001").exists()
        assert Member.objects.count() == 6
        member_upsert(name="老党员", mobile=org_a.members[2].user.mobile,
                      unit=org_a.branches[1])  # someone already counted: no new place taken


def test_wizard_page_shows_the_limit_and_creates_no_unit(client, org_a, limit):
    limit(6)
    login(client, ALPHA, "admin")
    response = client.post("/setup/", {
        "name": "第三党支部", "kind": UnitKind.BRANCH, "parent": org_a.committee.pk,
        "secretary_name": "新书记", "secretary_mobile": "13800000001"}, HTTP_HOST=ALPHA)
    assert response.status_code == 200
    assert "已达到套餐“试用版”的党员上限 6 人" in response.content.decode()
    connection.set_schema_to_public()
    with schema_context("alpha"):
        assert not OrgUnit.objects.filter(name="第三党支部").exists()  # all or nothing


def test_reactivation_over_the_limit_is_refused(org_a, limit):
    with schema_context("alpha"):
        user_deactivate(target=org_a.members[5].user, by=org_a.admin)
        limit(6)
        member_upsert(name="新党员", mobile="13800000001", unit=org_a.branches[0])  # the 6th
        with pytest.raises(PlanLimitRefused) as caught:
            member_reactivate(target=org_a.members[5].user, by=org_a.admin)
        _refusal_says_plan_and_limit(caught.value, 6)
        assert not User.objects.get(pk=org_a.members[5].user.pk).is_active


def test_reactivation_page_shows_the_limit(client, org_a, limit):
    with schema_context("alpha"):
        user_deactivate(target=org_a.members[5].user, by=org_a.admin)
    limit(5)
    login(client, ALPHA, "admin")
    response = client.post(f"/members/{org_a.members[5].pk}/reactivate/", HTTP_HOST=ALPHA,
                           follow=True)
    assert "已达到套餐“试用版”的党员上限 5 人" in response.content.decode()
    connection.set_schema_to_public()
    with schema_context("alpha"):
        assert not User.objects.get(pk=org_a.members[5].user.pk).is_active


def test_deactivated_members_do_not_count(org_a, limit):
    limit(6)
    with schema_context("alpha"):
        assert active_member_count() == 6
        with pytest.raises(PlanLimitRefused):
            member_upsert(name="新党员", mobile="13800000001", unit=org_a.branches[0])
        user_deactivate(target=org_a.members[5].user, by=org_a.admin)
        assert active_member_count() == 5
        member_upsert(name="新党员", mobile="13800000001", unit=org_a.branches[0])
        assert active_member_count() == 6


def test_the_admin_and_other_roles_do_not_count(org_a, limit):
    with schema_context("alpha"):
        assert User.objects.exclude(role=Role.MEMBER).exists()  # the company admin
        limit(6)
        member_limit_check(adding=0)  # full, and adding nobody is fine
        with pytest.raises(PlanLimitRefused):
            member_limit_check(adding=1)


def test_another_companys_members_never_count(org_a, org_b, limit):
    with schema_context("beta"):
        for n in range(4):
            member_upsert(name=f"乙{n}", mobile=f"1370000000{n}", unit=org_b.branches[0])
        assert active_member_count() == 10
    limit(7)
    with schema_context("alpha"):
        assert active_member_count() == 6
        member_upsert(name="新党员", mobile="13800000001", unit=org_a.branches[0])
    with schema_context("beta"), pytest.raises(PlanLimitRefused):
        member_upsert(name="乙新", mobile="13700000009", unit=org_b.branches[0])


def test_the_refusal_is_translated(org_a, limit):
    limit(6)
    with schema_context("alpha"), translation.override("en"), \
            pytest.raises(PlanLimitRefused) as caught:
        member_upsert(name="新党员", mobile="13800000001", unit=org_a.branches[0])
    assert str(caught.value) == ("The Trial plan's limit of 6 members has been reached: "
                                 "no more members can be added. An admin can upgrade under "
                                 "Plan and billing (/billing/).")
