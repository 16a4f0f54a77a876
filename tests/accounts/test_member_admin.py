"""The company admin edits members at /members/; every change is in the audit; only the admin
of this company gets in."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import AuditAction, AuditEntry, User
from tests.toolkit.conftest import login
from toolkit.org.models import Member, OrgUnit, Position

ALPHA = "alpha.localhost"


def _edit(client, member, **changes):
    with schema_context("alpha"):
        member = Member.objects.select_related("user").get(pk=member.pk)
        data = {"full_name": member.user.full_name, "mobile": member.user.mobile,
                "email": member.user.email, "gender": member.gender, "status": member.status,
                "position": member.position}
    data.update(changes)
    return client.post(f"/members/{member.pk}/", data, HTTP_HOST=ALPHA)


def test_admin_edits_a_member_and_the_audit_lists_the_changed_fields(client, org_a):
    member = org_a.members[3]
    old_mobile = member.user.mobile
    login(client, ALPHA, "admin")
    response = _edit(client, member, full_name="李红梅", mobile="13612345678",
                     email="li@example.cn", gender="female", status="probationary")
    assert response.status_code == 302
    with schema_context("alpha"):
        user = User.objects.get(pk=member.user_id)
        assert (user.full_name, user.mobile, user.email) == ("李红梅", "13612345678",
                                                             "li@example.cn")
        assert user.username == "13612345678"  # the login follows the mobile it was
        assert Member.objects.get(pk=member.pk).status == "probationary"
        entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.target_id, entry.action) == (
        org_a.admin.pk, member.user_id, AuditAction.MEMBER_EDITED)
    for expected in ("姓名", "李红梅", f"{old_mobile} → 13612345678", "预备党员", "女"):
        assert expected in entry.detail
    assert "职务" not in entry.detail  # unchanged fields are not listed

    audit = client.get("/members/audit/", HTTP_HOST=ALPHA).content.decode()
    assert "修改资料" in audit and "李红梅" in audit and "预备党员" in audit

    client.logout()
    login(client, ALPHA, "13612345678")  # the member signs in with the new number
    home = client.get("/", HTTP_HOST=ALPHA).content.decode()
    assert "李红梅" in home


def test_a_mobile_of_another_account_is_refused_on_the_field(client, org_a):
    login(client, ALPHA, "admin")
    taken = org_a.members[1].user.mobile
    response = _edit(client, org_a.members[3], mobile=taken)
    assert response.status_code == 200 and "已被本公司的其他账号使用" in response.content.decode()
    bad = _edit(client, org_a.members[3], mobile="12345")
    assert bad.status_code == 200
    with schema_context("alpha"):
        assert User.objects.get(pk=org_a.members[3].user_id).mobile != taken
        assert not AuditEntry.objects.exists()


def test_a_secretary_demoted_leaves_the_office_empty(client, org_a):
    secretary = org_a.members[0]
    login(client, ALPHA, "admin")
    assert _edit(client, secretary, position=Position.MEMBER).status_code == 302
    with schema_context("alpha"):
        assert OrgUnit.objects.get(pk=org_a.branches[0].pk).secretary is None


def test_the_list_finds_members_by_name_mobile_branch_and_state(client, org_a):
    login(client, ALPHA, "admin")
    first, other = org_a.members[2], org_a.members[3]
    with schema_context("alpha"):
        User.objects.filter(pk=other.user_id).update(is_active=False)

    def names(**query):
        page = client.get("/members/", query, HTTP_HOST=ALPHA).content.decode()
        return {m.user.full_name for m in org_a.members if m.user.full_name in page}

    assert names() == {m.user.full_name for m in org_a.members}
    assert names(q=first.user.full_name) == {first.user.full_name}
    assert names(q=first.user.mobile[-4:]) == {first.user.full_name}
    branch_two = {m.user.full_name for m in org_a.members if m.unit_id == org_a.branches[1].pk}
    assert names(unit=org_a.branches[1].pk) == branch_two
    assert names(state="deactivated") == {other.user.full_name}
    assert other.user.full_name not in names(state="active")


@pytest.mark.parametrize("who", ["member", "secretary"])
def test_members_and_secretaries_get_403_on_every_admin_page(client, org_a, who):
    user = org_a.members[0 if who == "secretary" else 3].user
    target = org_a.members[4]
    login(client, ALPHA, user.username)
    for path in ("/members/", "/members/audit/", f"/members/{target.pk}/"):
        assert client.get(path, HTTP_HOST=ALPHA).status_code == 403, path
    for action in ("", "password/", "deactivate/", "reactivate/"):
        path = f"/members/{target.pk}/{action}"
        assert client.post(path, {"password": "Temp-2026-x"}, HTTP_HOST=ALPHA).status_code == 403
    with schema_context("alpha"):
        assert User.objects.get(pk=target.user_id).is_active
        assert not AuditEntry.objects.exists()


def test_the_admin_of_another_company_gets_404_for_these_members(client, org_a, org_b):
    login(client, "beta.localhost", "admin")
    with schema_context("alpha"):  # a member only alpha has (ids are per schema)
        extra = User.objects.create(username="13700000009", mobile="13700000009",
                                    full_name="仅甲有")
        alpha_only = Member.objects.create(user=extra, unit=org_a.branches[0])
    with schema_context("beta"):
        assert not Member.objects.filter(pk=alpha_only.pk).exists()
    for action in ("", "password/", "deactivate/"):
        response = client.post(f"/members/{alpha_only.pk}/{action}", {},
                               HTTP_HOST="beta.localhost")
        assert response.status_code == 404
    assert client.get(f"/members/audit/?member={alpha_only.pk}",
                      HTTP_HOST="beta.localhost").status_code == 404
    with schema_context("alpha"):
        assert User.objects.get(pk=extra.pk).is_active


def test_the_audit_of_one_company_never_shows_another_companys_entries(client, org_a, org_b):
    from accounts.services import audit_record

    with schema_context("alpha"):
        audit_record(actor=org_a.admin, target=org_a.members[2].user,
                     action=AuditAction.DEACTIVATED, detail="甲公司的秘密记录")
    login(client, "beta.localhost", "admin")
    page = client.get("/members/audit/", HTTP_HOST="beta.localhost").content.decode()
    assert "甲公司的秘密记录" not in page and "还没有操作记录" in page


@pytest.mark.parametrize("path", ["/members/audit/?member=%C2%B2",
                                  "/members/activation/?unit=%C2%B2"])
def test_a_superscript_digit_in_a_filter_is_not_a_500(client, org_a, path):
    login(client, "alpha.localhost", "admin")
    client.raise_request_exception = False
    assert client.get(path, HTTP_HOST="alpha.localhost").status_code == 200
