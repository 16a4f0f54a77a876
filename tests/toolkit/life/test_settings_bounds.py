"""The organisational-life settings take only values the pages can use: no frequency of zero,
no due day outside the month, no negative dues, no new rows from the formset."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.life import selectors as life_selectors
from toolkit.life.models import ComplianceRule

HOST = "alpha.localhost"


def _settings_post(rules, **changes) -> dict:
    data = {"rules-TOTAL_FORMS": len(rules), "rules-INITIAL_FORMS": len(rules),
            "dues-student": "0.20", "dues-unemployed": "0.20", "dues-retired": "0.50",
            "dues-due_day": "25"}
    for index, rule in enumerate(rules):
        data.update({f"rules-{index}-id": rule.pk, f"rules-{index}-warn_days": rule.warn_days,
                     f"rules-{index}-every_months": rule.every_months})
    data.update(changes)
    return data


@pytest.fixture
def rules(org_a):
    with schema_context("alpha"):
        return list(ComplianceRule.objects.order_by("id"))


@pytest.mark.parametrize("changes", [
    {"rules-0-every_months": "0"}, {"rules-0-every_months": "13"},
    {"rules-0-warn_days": "400"},
    {"dues-due_day": "0"}, {"dues-due_day": "31"}, {"dues-student": "-1"},
])
def test_values_the_pages_cannot_use_are_refused(client, rules, changes):
    login(client, HOST, "admin")
    response = client.post("/life/settings/", _settings_post(rules, **changes), HTTP_HOST=HOST)
    assert response.status_code == 200  # the form again, with the error
    with schema_context("alpha"):
        assert list(ComplianceRule.objects.order_by("id")) == rules
        assert [r.every_months for r in ComplianceRule.objects.order_by("id")] == [
            r.every_months for r in rules]
        assert life_selectors.settings_row().due_day == 25
    # And every page that reads the settings still opens.
    for page in ("/life/compliance/", "/life/dues/manage/", "/"):
        connection.set_schema_to_public()
        assert client.get(page, HTTP_HOST=HOST).status_code == 200, page


def test_a_posted_extra_row_creates_no_frequency_rule(client, rules):
    login(client, HOST, "admin")
    n = len(rules)
    data = _settings_post(rules, **{"rules-TOTAL_FORMS": n + 1, f"rules-{n}-every_months": "1",
                                    f"rules-{n}-warn_days": "7"})
    response = client.post("/life/settings/", data, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "会议频次是固定的，不能新增。" in response.content.decode()
    with schema_context("alpha"):
        assert ComplianceRule.objects.count() == n and not ComplianceRule.objects.filter(
            kind="").exists()
