"""Views that let a refusal through: the member sees its translated message on the page they
came from, and nothing is written. One page per module whose view no longer catches."""

import datetime

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from tests.toolkit.conftest import login
from toolkit.arena import services as arena
from toolkit.arena.models import TaskStatus
from toolkit.life import services as life
from toolkit.life.models import LeaveRequest, MeetingKind
from toolkit.mall.models import Redemption, Reward
from toolkit.org.models import OrgUnit
from toolkit.points.models import LedgerEntry

A = "alpha.localhost"


def _post(client, path: str, data=None, back: str = "/", **headers):
    response = client.post(path, data or {}, HTTP_HOST=A, HTTP_REFERER=f"http://{A}{back}",
                           **headers)
    assert response.status_code == 302 and response["Location"] == f"http://{A}{back}"
    page = client.get(back, HTTP_HOST=A, **headers).content.decode()
    connection.set_schema_to_public()
    return page


def test_mall_refusal_is_shown_on_the_mall(client, org_a):
    with schema_context("alpha"):
        reward = Reward.objects.create(name="笔记本", cost=1, stock=5)  # no one is in the top ten
    login(client, A, org_a.members[2].user.username)
    page = _post(client, f"/mall/{reward.pk}/redeem/", back="/mall/")
    assert "上月终评未进入前十名，本月暂不能兑换" in page
    with schema_context("alpha"):
        assert not Redemption.objects.exists() and Reward.objects.get(pk=reward.pk).stock == 5


def test_arena_forbidden_on_a_post_is_shown_and_changes_nothing(client, org_a):
    with schema_context("alpha"):
        task = arena.task_publish(
            publisher=org_a.branches[0], title="整理档案", description="", points=5,
            deadline=timezone.now() + datetime.timedelta(days=2), places=1,
            by=org_a.members[0].user)
    login(client, A, org_a.members[1].user.username)  # secretary of the other branch
    page = _post(client, f"/arena/{task.pk}/close/", back=f"/arena/{task.pk}/")
    assert "你没有权限进行此操作。" in page
    with schema_context("alpha"):
        task.refresh_from_db()
        assert task.status == TaskStatus.OPEN


def test_life_refusal_is_shown_in_english_to_whoever_chose_it(client, org_a):
    with schema_context("alpha"):
        meeting = life.meeting_create(
            unit=org_a.branches[0], kind=MeetingKind.THEME_DAY, title="主题党日",
            starts_at=timezone.now() + datetime.timedelta(days=1),
            ends_at=timezone.now() + datetime.timedelta(days=1, hours=2),
            by=org_a.members[0].user)
    login(client, A, org_a.members[2].user.username)
    client.cookies["django_language"] = "en"
    page = _post(client, f"/life/{meeting.pk}/leave/", {"reason": " "},
                 back=f"/life/{meeting.pk}/")
    assert "Give a reason for the leave." in page and "请写明请假理由" not in page
    with schema_context("alpha"):
        assert not LeaveRequest.objects.exists()


def test_members_refusal_is_shown_on_the_members_page(client, org_a):
    admin_member_page = f"/members/{org_a.members[3].pk}/"
    with schema_context("alpha"):
        User.objects.filter(pk=org_a.members[3].user.pk).update(is_active=False)
    login(client, A, "admin")
    page = _post(client, f"/members/{org_a.members[3].pk}/deactivate/", back=admin_member_page)
    assert "该账号已经停用。" in page


def test_points_refusal_is_shown_on_the_rules_page(client, org_a):
    login(client, A, "admin")
    with schema_context("alpha"):
        entries = LedgerEntry.objects.count()
    page = _post(client, "/points/rules/correct/", {
        "member": org_a.members[2].pk, "amount": -50, "category": "negative", "note": "多记了"},
        back="/points/rules/")
    assert "积分不足" in page
    with schema_context("alpha"):
        assert LedgerEntry.objects.count() == entries


def test_setup_refusal_is_shown_on_the_setup_page(client, org_a):
    login(client, A, "admin")
    page = _post(client, f"/setup/units/{org_a.branches[0].pk}/delete/", back="/setup/")
    assert "“第1党支部”下还有下级组织或党员，不能删除。" in page
    with schema_context("alpha"):
        assert OrgUnit.objects.filter(pk=org_a.branches[0].pk).exists()


def test_a_refusal_never_redirects_to_another_host(client, org_a):
    with schema_context("alpha"):
        reward = Reward.objects.create(name="笔记本", cost=1, stock=5)
    login(client, A, org_a.members[2].user.username)
    response = client.post(f"/mall/{reward.pk}/redeem/", HTTP_HOST=A,
                           HTTP_REFERER="http://beta.localhost/mall/")
    assert response.status_code == 302 and response["Location"] == "/"
