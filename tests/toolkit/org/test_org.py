import pytest
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.org import selectors, services
from toolkit.org.models import Member, MemberTransfer


def test_moving_a_member_keeps_the_history(org_a):
    member = org_a.members[2]
    with schema_context("alpha"):
        services.member_transfer(member=member, to_unit=org_a.branches[1], by=org_a.admin,
                                 note="岗位调整")
        services.member_transfer(member=member, to_unit=org_a.branches[0], by=org_a.admin)
        history = list(selectors.transfers_of(member=Member.objects.get(pk=member.pk)))
        assert [(t.from_unit.name, t.to_unit.name) for t in reversed(history)] == [
            ("第1党支部", "第2党支部"), ("第2党支部", "第1党支部")]
        with pytest.raises(services.OrgRefused) as caught:
            services.member_transfer(member=member, to_unit=org_a.branches[0], by=org_a.admin)
        assert caught.value.code == "already_in_unit"
        assert MemberTransfer.objects.count() == 2


def test_a_secretary_moved_away_leaves_the_office_behind(org_a):
    from toolkit.org.models import OrgUnit, Position

    secretary = org_a.members[0]
    with schema_context("alpha"):
        services.member_transfer(member=secretary, to_unit=org_a.branches[1], by=org_a.admin)
        moved = Member.objects.get(pk=secretary.pk)
        assert moved.position == Position.MEMBER
        assert OrgUnit.objects.get(pk=org_a.branches[0].pk).secretary is None
        assert selectors.managed_unit_ids(user=moved.user) == []


def test_the_map_is_a_chart_every_member_can_browse(client, org_a):
    login(client, "alpha.localhost", org_a.members[3].user.username)
    page = client.get("/org/", HTTP_HOST="alpha.localhost").content.decode()
    assert 'id="org-chart"' in page and "echarts.min.js" in page
    with schema_context("alpha"):
        chart = selectors.org_chart()
    assert chart["name"] == "alpha党委"
    assert [c["name"] for c in chart["children"]] == ["第1党支部", "第2党支部"]
    assert len(chart["children"][0]["children"]) == 3  # members as leaves


def test_the_map_of_another_company_is_not_shown(client, org_a, org_b):
    login(client, "alpha.localhost", org_a.members[3].user.username)
    page = client.get("/org/", HTTP_HOST="alpha.localhost").content.decode()
    with schema_context("beta"):
        beta_names = [m.user.full_name for m in Member.objects.select_related("user")]
    assert not any(name in page for name in beta_names if name not in
                   [m.user.full_name for m in org_a.members])


def test_only_the_admin_moves_members(client, org_a):
    login(client, "alpha.localhost", org_a.members[0].user.username)  # a secretary
    assert client.get(f"/org/members/{org_a.members[2].pk}/move/",
                      HTTP_HOST="alpha.localhost").status_code == 403
