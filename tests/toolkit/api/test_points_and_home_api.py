"""Balance, history and the member home through the API read the pages' selectors."""

import pytest
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from toolkit.home.selectors import member_home
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"


def test_balance_history_and_home_agree_with_the_page_data(client, api, org_a, org_b):
    member = org_a.members[2]
    with schema_context("alpha"):
        points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=12)
        expected = member_home(member=member)
    with schema_context("beta"):  # the same member id on B has other points
        points_award(member=org_b.members[2], rule=RuleCode.TASK_ACCEPTED, amount=99)
    token = api_login(client, A, member.user.mobile)
    balance = api("get", A, "/api/v1/points/balance/", token).json()
    assert balance == {"balance": 12, "rank": expected.rank}
    history = api("get", A, "/api/v1/points/history/", token).json()
    assert [(e["amount"], e["rule_code"]) for e in history["results"]] == [
        (12, RuleCode.TASK_ACCEPTED)]
    home = api("get", A, "/api/v1/home/", token).json()
    assert home["balance"] == 12 and home["open_tasks"] == expected.open_tasks
    assert home["dues_behind"] == [d.isoformat() for d in expected.dues_behind]
