"""Rewards past any sensible cost or stock are form errors, not a 500."""

import pytest
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.mall.models import Reward


@pytest.mark.parametrize("cost, stock", [("99999999999999999999", "1"),
                                         ("10", "99999999999999999999"), ("100001", "1")])
def test_a_reward_past_the_limits_is_a_form_error(client, org_a, cost, stock):
    login(client, "alpha.localhost", "admin")
    response = client.post("/mall/manage/", {"name": "笔记本", "description": "", "cost": cost,
                                             "stock": stock}, HTTP_HOST="alpha.localhost")
    assert response.status_code == 200 and response.context["form"].errors
    with schema_context("alpha"):
        assert not Reward.objects.exists()
