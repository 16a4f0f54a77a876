"""The admin resets a member's password: the member signs in with the temporary one and is
held on the password page until they choose their own. Anyone changes their own password."""

import re

from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import AuditAction, AuditEntry, User
from tests.toolkit.conftest import login

ALPHA = "alpha.localhost"


def _reset(client, member, password=""):
    login(client, ALPHA, "admin")
    response = client.post(f"/members/{member.pk}/password/", {"password": password},
                           HTTP_HOST=ALPHA)
    client.logout()
    connection.set_schema_to_public()
    return response


def _change(client, old, new1, new2):
    return client.post("/account/password/", {"old_password": old, "new_password1": new1,
                                              "new_password2": new2}, HTTP_HOST=ALPHA)


def test_a_reset_member_is_held_on_the_change_page_until_they_change_it(client, org_a):
    member = org_a.members[3]
    shown = _reset(client, member)
    assert shown.status_code == 200 and "no-cache" in shown["Cache-Control"]
    temporary = re.search(r'id="temp-password">([^<]+)<', shown.content.decode()).group(1)
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}", temporary)
    with schema_context("alpha"):
        assert AuditEntry.objects.get().action == AuditAction.PASSWORD_RESET
        assert temporary not in AuditEntry.objects.get().detail

    refused = client.post("/login/", {"username": member.user.username, "password": "pw-123456"},
                          HTTP_HOST=ALPHA)
    assert refused.status_code == 200  # the old password is gone
    login(client, ALPHA, member.user.username, temporary)
    for path in ("/", "/points/", "/org/", "/life/", "/mall/", "/members/"):
        response = client.get(path, HTTP_HOST=ALPHA)
        assert response.status_code == 302 and response["Location"] == "/account/password/", path
    page = client.get("/account/password/", HTTP_HOST=ALPHA)
    assert page.status_code == 200 and 'id="forced"' in page.content.decode()

    changed = _change(client, temporary, "Hongqi-2026!", "Hongqi-2026!")
    assert changed.status_code == 302
    assert client.get("/", HTTP_HOST=ALPHA).status_code == 200  # still signed in, free again
    assert client.get("/points/", HTTP_HOST=ALPHA).status_code == 200
    with schema_context("alpha"):
        assert not User.objects.get(pk=member.user_id).must_change_password
    client.logout()
    login(client, ALPHA, member.user.username, "Hongqi-2026!")


def test_logout_and_the_language_switch_stay_open_while_held(client, org_a):
    member = org_a.members[3]
    _reset(client, member, password="Linshi-2026")
    login(client, ALPHA, member.user.username, "Linshi-2026")
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_HOST=ALPHA)
    assert switched.status_code == 302 and switched["Location"] == "/"
    assert client.post("/logout/", HTTP_HOST=ALPHA).status_code == 302
    assert client.get("/points/", HTTP_HOST=ALPHA)["Location"].startswith("/login/")


def test_a_weak_temporary_password_is_refused_on_the_page(client, org_a):
    member = org_a.members[3]
    response = _reset(client, member, password="123")
    assert response.status_code == 400 and "密码" in response.content.decode()
    with schema_context("alpha"):
        user = User.objects.get(pk=member.user_id)
        assert user.check_password("pw-123456") and not user.must_change_password


def test_the_admin_cannot_reset_or_deactivate_themselves_here(client, org_a):
    from toolkit.org.models import Member

    with schema_context("alpha"):
        own = Member.objects.create(user=org_a.admin, unit=org_a.branches[0])
    login(client, ALPHA, "admin")
    page = client.get(f"/members/{own.pk}/", HTTP_HOST=ALPHA).content.decode()
    assert 'id="reset"' not in page and 'id="state"' not in page
    for action in ("password/", "deactivate/"):
        response = client.post(f"/members/{own.pk}/{action}", {}, HTTP_HOST=ALPHA, follow=True)
        assert "不能" in response.content.decode()
    with schema_context("alpha"):
        admin = User.objects.get(pk=org_a.admin.pk)
        assert admin.is_active and admin.check_password("pw-123456")
        assert not admin.must_change_password


def test_a_user_changes_their_own_password_and_stays_signed_in(client, org_a):
    member = org_a.members[2]
    login(client, ALPHA, member.user.username)
    wrong = _change(client, "not-it", "Hongqi-2026!", "Hongqi-2026!")
    assert wrong.status_code == 200 and "旧密码不正确" in wrong.content.decode()
    mismatch = _change(client, "pw-123456", "Hongqi-2026!", "Other-2026!")
    assert mismatch.status_code == 200 and "两个密码不一致" in mismatch.content.decode()
    done = _change(client, "pw-123456", "Hongqi-2026!", "Hongqi-2026!")
    assert done.status_code == 302
    assert client.get("/points/", HTTP_HOST=ALPHA).status_code == 200
    with schema_context("alpha"):
        assert User.objects.get(pk=member.user_id).check_password("Hongqi-2026!")
        assert AuditEntry.objects.get().action == AuditAction.PASSWORD_CHANGED


def test_the_password_page_asks_anonymous_visitors_to_sign_in(client, org_a):
    response = client.get("/account/password/", HTTP_HOST=ALPHA)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
