"""A deactivated member cannot sign in and is told why (only with the right password); their
points and history stay; reactivation lets them in again."""

from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import AuditAction, AuditEntry, User
from tests.toolkit.conftest import login
from toolkit.org.models import Member
from toolkit.points.models import LedgerEntry, RuleCode
from toolkit.points.selectors import balance_of
from toolkit.points.services import points_award

ALPHA = "alpha.localhost"


def _login_page(client, username, password):
    response = client.post("/login/", {"username": username, "password": password},
                           HTTP_HOST=ALPHA)
    connection.set_schema_to_public()
    return response


def test_deactivated_member_is_refused_with_a_clear_message_and_keeps_everything(client, org_a):
    member = org_a.members[3]
    with schema_context("alpha"):
        points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=30)
    other = client.__class__()
    login(other, ALPHA, member.user.username)  # a session open before the deactivation

    login(client, ALPHA, "admin")
    assert client.post(f"/members/{member.pk}/deactivate/", HTTP_HOST=ALPHA).status_code == 302
    listed = client.get("/members/?state=deactivated", HTTP_HOST=ALPHA).content.decode()
    assert member.user.full_name in listed and "已停用" in listed
    client.logout()

    refused = _login_page(client, member.user.username, "pw-123456")
    assert refused.status_code == 200 and "账号已停用，请联系管理员" in refused.content.decode()
    wrong = _login_page(client, member.user.username, "not-the-password")
    assert wrong.status_code == 200 and "已停用" not in wrong.content.decode()
    assert "正确的" in wrong.content.decode()  # the usual wrong-password message
    assert other.get("/points/", HTTP_HOST=ALPHA).status_code == 302  # that session is over

    with schema_context("alpha"):
        assert Member.objects.filter(pk=member.pk).exists()
        assert balance_of(member=member) == 30
        assert LedgerEntry.objects.filter(member=member).exists()
        assert list(AuditEntry.objects.values_list("action", flat=True)) == [
            AuditAction.DEACTIVATED]

    # Everyone else's pages still show the deactivated member's history without failing.
    login(client, ALPHA, org_a.members[2].user.username)
    for path in ("/points/", "/points/?period=year", "/org/", "/dashboard/", "/"):
        assert client.get(path, HTTP_HOST=ALPHA).status_code == 200, path
    assert member.user.full_name in client.get("/points/", HTTP_HOST=ALPHA).content.decode()
    client.logout()

    login(client, ALPHA, "admin")
    assert client.post(f"/members/{member.pk}/reactivate/", HTTP_HOST=ALPHA).status_code == 302
    client.logout()
    login(client, ALPHA, member.user.username)
    assert client.get("/points/", HTTP_HOST=ALPHA).status_code == 200
    with schema_context("alpha"):
        assert AuditEntry.objects.first().action == AuditAction.REACTIVATED


def test_a_deactivated_name_on_another_company_is_just_unknown(client, org_a, org_b):
    member = org_a.members[3]
    with schema_context("alpha"):
        User.objects.filter(pk=member.user_id).update(is_active=False)
    # The same username does not exist on beta: the usual message, nothing about alpha.
    response = client.post("/login/", {"username": member.user.username,
                                       "password": "pw-123456"}, HTTP_HOST="beta.localhost")
    assert response.status_code == 200 and "已停用" not in response.content.decode()
