import threading

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from tests.toolkit.conftest import build_org, login
from toolkit.mall.models import Redemption, Reward
from toolkit.mall.services import RedemptionRefused, redemption_fulfil, reward_redeem
from toolkit.periods import month_start
from toolkit.points.models import LedgerEntry, MemberPoints, RedemptionRight, RuleCode
from toolkit.points.selectors import balance_of
from toolkit.points.services import points_award

NOW = month_start()


def _eligible(members, points: int = 100) -> None:
    for member in members:
        points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=points)
        RedemptionRight.objects.create(member=member, closed_month=NOW, valid_month=NOW)


def test_redeem_takes_points_and_stock(org_a):
    member = org_a.members[0]
    with schema_context("alpha"):
        _eligible([member])
        reward = Reward.objects.create(name="保温杯", cost=80, stock=2)
        redemption = reward_redeem(member=member, reward=reward, month=NOW)
        assert balance_of(member=member) == 20
        assert Reward.objects.get(pk=reward.pk).stock == 1
        assert redemption.ledger_entry.amount == -80
        assert redemption_fulfil(redemption=redemption).fulfilled_at is not None


@pytest.mark.parametrize("case, message", [
    ("stock", "已兑完"), ("not_top_ten", "未进入前十名"), ("twice", "每月限兑一次"),
    ("balance", "积分不足"),
])
def test_redeem_is_refused_and_changes_nothing(org_a, case, message):
    member = org_a.members[0]
    with schema_context("alpha"):
        _eligible([member], points=100 if case != "balance" else 10)
        reward = Reward.objects.create(name="笔记本", cost=30, stock=0 if case == "stock" else 5)
        if case == "not_top_ten":
            RedemptionRight.objects.all().delete()
        if case == "twice":
            reward_redeem(member=member, reward=reward, month=NOW)
        before = (balance_of(member=member), Reward.objects.get(pk=reward.pk).stock,
                  LedgerEntry.objects.count())
        with pytest.raises(RedemptionRefused, match=message):
            reward_redeem(member=member, reward=reward, month=NOW)
        assert (balance_of(member=member), Reward.objects.get(pk=reward.pk).stock,
                LedgerEntry.objects.count()) == before


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_redemptions_never_oversell(make_company, committed_schemas):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=50, branches=2)
    with schema_context("alpha"):
        _eligible(org.members)
        reward = Reward.objects.create(name="限量纪念章", cost=60, stock=10)
    barrier = threading.Barrier(50)
    outcomes: list[str] = []

    def redeem(member):
        try:
            with schema_context("alpha"):
                barrier.wait()
                reward_redeem(member=member, reward=reward, month=NOW)
            outcomes.append("ok")
        except RedemptionRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=redeem, args=(m,)) for m in org.members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes.count("ok") == 10 and outcomes.count("refused") == 40
    with schema_context("alpha"):
        assert Reward.objects.get(pk=reward.pk).stock == 0
        assert Redemption.objects.count() == 10
        assert not MemberPoints.objects.filter(balance__lt=0).exists()
        assert MemberPoints.objects.filter(balance=40).count() == 10


def test_a_member_of_another_company_cannot_redeem_or_see_rewards(client, org_a, org_b):
    with schema_context("beta"):
        beta_reward = Reward.objects.create(name="乙公司专属奖品", cost=1, stock=9)
    with schema_context("alpha"):
        assert not Reward.objects.filter(name="乙公司专属奖品").exists()
        _eligible([org_a.members[0]])  # alpha's member may redeem… alpha's rewards only
        Reward.objects.create(name="甲公司奖品", cost=1, stock=1)
    login(client, "alpha.localhost", org_a.members[0].user.username)
    page = client.get("/mall/", HTTP_HOST="alpha.localhost").content.decode()
    assert "甲公司奖品" in page and "乙公司专属奖品" not in page
    # Beta's reward id on alpha's site is alpha's row (or nothing), never beta's.
    client.post(f"/mall/{beta_reward.pk}/redeem/", HTTP_HOST="alpha.localhost")
    with schema_context("beta"):
        assert Reward.objects.get(pk=beta_reward.pk).stock == 9
        assert not Redemption.objects.exists()


def test_the_admin_marks_redemptions_fulfilled(client, org_a):
    member = org_a.members[0]
    with schema_context("alpha"):
        _eligible([member])
        redemption = reward_redeem(member=member, reward=Reward.objects.create(
            name="笔记本", cost=30, stock=3), month=NOW)
    login(client, "alpha.localhost", "admin")
    client.post(f"/mall/redemptions/{redemption.pk}/fulfil/", HTTP_HOST="alpha.localhost")
    with schema_context("alpha"):
        assert Redemption.objects.get(pk=redemption.pk).fulfilled_at is not None
