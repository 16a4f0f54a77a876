"""The redeem rule is one function: the service refuses by it and the mall page shows its
button by it; the template holds no rule of its own."""

import pytest
from django.template.loader import render_to_string
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.mall.models import Redemption, Reward
from toolkit.mall.selectors import (
    RedeemStanding,
    RewardOffer,
    redeem_refusal,
    redeem_standing,
)
from toolkit.periods import month_start
from toolkit.points.models import RedemptionRight, RuleCode
from toolkit.points.services import points_award

NOW = month_start()
REDEEM_BUTTON = "兑换保温杯</button>"


def _standing(**changes) -> RedeemStanding:
    values = {"eligible": True, "redeemed": None, "balance": 100} | changes
    return RedeemStanding(**values)


@pytest.mark.parametrize("changes, reward, reason", [
    ({}, {"stock": 0}, "已兑完"),
    ({}, {"active": False}, "已兑完"),
    ({"eligible": False}, {}, "未进入前十名"),
    ({"redeemed": Redemption(month=NOW)}, {}, "每月限兑一次"),
    ({"balance": 10}, {}, "积分不足"),
])
def test_redeem_refused_reasons(changes, reward, reason):
    reward = Reward(name="保温杯", cost=30, **({"stock": 5, "active": True} | reward))
    assert reason in redeem_refusal(standing=_standing(**changes), reward=reward)


def test_redeem_allowed_for_an_eligible_member_with_points_and_stock():
    reward = Reward(name="保温杯", cost=30, stock=1, active=True)
    assert redeem_refusal(standing=_standing(balance=30), reward=reward) is None


def test_no_member_may_redeem_without_a_standing():
    assert redeem_refusal(standing=None, reward=Reward(name="保温杯", cost=1, stock=1))


def _render(offer: RewardOffer, standing: RedeemStanding) -> str:
    return render_to_string("mall/mall.html", {"member": object(), "standing": standing,
                                               "offers": [offer]})


def test_the_page_shows_the_button_exactly_when_the_rule_says_yes():
    """The template follows the offer alone: a standing that looks fine with a refusal shows
    no button, a standing that looks hopeless with no refusal shows it."""
    reward = Reward(pk=1, name="保温杯", cost=30, stock=5, active=True)
    refused = _render(RewardOffer(reward=reward, refusal="上月终评未进入前十名"),
                      _standing(balance=999))
    assert REDEEM_BUTTON not in refused and "上月终评未进入前十名" in refused
    allowed = _render(RewardOffer(reward=reward, refusal=None),
                      _standing(eligible=False, balance=0))
    assert REDEEM_BUTTON in allowed


def test_the_mall_page_asks_the_rule(client, org_a):
    member = org_a.members[2]
    with schema_context("alpha"):
        Reward.objects.create(name="保温杯", cost=30, stock=5)
        points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=100)
    login(client, "alpha.localhost", member.user.username)
    page = client.get("/mall/", HTTP_HOST="alpha.localhost").content.decode()
    assert REDEEM_BUTTON not in page and "未进入前十名" in page
    with schema_context("alpha"):
        RedemptionRight.objects.create(member=member, closed_month=NOW, valid_month=NOW)
        assert redeem_refusal(standing=redeem_standing(member=member, month=NOW),
                              reward=Reward.objects.get()) is None
    page = client.get("/mall/", HTTP_HOST="alpha.localhost").content.decode()
    assert REDEEM_BUTTON in page
