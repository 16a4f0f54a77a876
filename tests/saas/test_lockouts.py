"""Login lockouts (django-axes): per company, per (username, IP) pair, unlockable by the
company's admin."""

from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role
from tests.toolkit.conftest import login

PASSWORD = "pw-123456"


def _post_login(client, host, username, password, ip="10.0.0.1"):
    response = client.post("/login/", {"username": username, "password": password},
                           HTTP_HOST=host, REMOTE_ADDR=ip)
    connection.set_schema_to_public()
    return response


def _hammer(client, host, username, times=30, ip="10.0.0.1"):
    return [_post_login(client, host, username, "wrong-password", ip=ip).status_code
            for _ in range(times)]


def test_thirty_wrong_passwords_lock_the_pair_out_with_a_chinese_page(client, org_a, settings):
    member = org_a.members[2].user.username
    statuses = _hammer(client, "alpha.localhost", member)
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[:limit - 1] == [200] * (limit - 1)  # the form again, with its error
    assert set(statuses[limit - 1:]) == {429}

    refused = _post_login(client, "alpha.localhost", member, PASSWORD)
    body = refused.content.decode()
    assert refused.status_code == 429 and "密码错误次数过多" in body and "之后再试" in body
    assert int(refused["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "_auth_user_id" not in client.session


def test_the_same_number_on_another_company_still_logs_in(client, org_a, org_b):
    member = org_a.members[2].user.username
    with schema_context("beta"):
        from accounts.models import User

        User.objects.filter(pk=org_b.members[2].user.pk).update(username=member)
    _hammer(client, "alpha.localhost", member)
    assert _post_login(client, "beta.localhost", member, PASSWORD).status_code == 302


def test_another_ip_is_not_locked_out(client, org_a):
    member = org_a.members[2].user.username
    _hammer(client, "alpha.localhost", member, ip="10.0.0.1")
    assert _post_login(client, "alpha.localhost", member, PASSWORD,
                       ip="10.0.0.2").status_code == 302


def test_forwarded_for_counts_only_behind_a_configured_proxy(client, org_a, settings):
    member = org_a.members[2].user.username
    for _ in range(settings.AXES_FAILURE_LIMIT):  # a forged header changes nothing by default
        client.post("/login/", {"username": member, "password": "wrong"},
                    HTTP_HOST="alpha.localhost", REMOTE_ADDR="10.0.0.9",
                    HTTP_X_FORWARDED_FOR=f"172.16.0.{_}")
    assert _post_login(client, "alpha.localhost", member, PASSWORD, ip="10.0.0.9"
                       ).status_code == 429

    settings.TRUSTED_PROXY_COUNT = 1  # one proxy at 10.0.0.9: clients are what it appended
    behind = client.post("/login/", {"username": member, "password": PASSWORD},
                         HTTP_HOST="alpha.localhost", REMOTE_ADDR="10.0.0.9",
                         HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert behind.status_code == 302


def test_the_admin_sees_and_lifts_a_lockout(client, org_a):
    member = org_a.members[2].user
    _hammer(client, "alpha.localhost", member.username, times=8)
    login(client, "alpha.localhost", "admin")
    page = client.get("/security/lockouts/", HTTP_HOST="alpha.localhost")
    body = page.content.decode()
    assert page.status_code == 200 and member.full_name in body and "10.0.0.1" in body
    assert "失败 8 次" in body

    unlocked = client.post("/security/lockouts/unlock/",
                           {"username": member.username, "ip_address": "10.0.0.1"},
                           HTTP_HOST="alpha.localhost", follow=True)
    assert "已解除" in unlocked.content.decode()
    assert "目前没有被锁定的账号" in unlocked.content.decode()
    client.logout()
    assert _post_login(client, "alpha.localhost", member.username, PASSWORD).status_code == 302


def test_a_member_cannot_open_or_use_the_unlock_page(client, org_a):
    login(client, "alpha.localhost", org_a.members[3].user.username)
    assert client.get("/security/lockouts/", HTTP_HOST="alpha.localhost").status_code == 403
    assert client.post("/security/lockouts/unlock/", {"username": "x", "ip_address": "1.1.1.1"},
                       HTTP_HOST="alpha.localhost").status_code == 403


def test_another_companys_admin_does_not_see_the_lockout(client, org_a, org_b):
    member = org_a.members[2].user
    _hammer(client, "alpha.localhost", member.username, times=6)
    login(client, "beta.localhost", "admin")
    body = client.get("/security/lockouts/", HTTP_HOST="beta.localhost").content.decode()
    assert member.username not in body and "目前没有被锁定的账号" in body
    # …and cannot lift it: the unlock works on beta's own records only.
    client.post("/security/lockouts/unlock/", {"username": member.username,
                                               "ip_address": "10.0.0.1"},
                HTTP_HOST="beta.localhost")
    client.logout()
    assert _post_login(client, "alpha.localhost", member.username, PASSWORD).status_code == 429


def test_staff_lockouts_on_the_public_site_stay_in_public(client, public_tenant, org_a):
    from accounts.services import user_create

    user_create(username="staff1", password=PASSWORD, full_name="王晓燕", role=Role.STAFF)
    _hammer(client, "localhost", "staff1", times=6)
    assert _post_login(client, "localhost", "staff1", PASSWORD).status_code == 429
    with schema_context("alpha"):
        from axes.models import AccessAttempt

        assert not AccessAttempt.objects.exists()


def test_one_address_trying_every_member_is_throttled(client, org_a, org_b, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "login-failures-ip": "8/15m"}
    usernames = [m.user.username for m in org_a.members]
    for attempt in range(8):  # never five on one member: no lockout, but eight in all
        response = _post_login(client, "alpha.localhost", usernames[attempt % 6], "guess")
        assert response.status_code == 200
    spared = org_a.members[5].user.username  # tried once only: no pair lockout
    refused = _post_login(client, "alpha.localhost", spared, PASSWORD)
    assert refused.status_code == 429 and "短时间内请求次数过多" in refused.content.decode()
    # Another address, and the same address on another company, are not affected.
    assert _post_login(client, "alpha.localhost", spared, PASSWORD, ip="10.0.0.2"
                       ).status_code == 302
    client.logout()
    assert _post_login(client, "beta.localhost", org_b.members[5].user.username, PASSWORD
                       ).status_code == 302


def test_an_unlock_with_junk_is_refused_on_the_page(client, org_a):
    login(client, "alpha.localhost", "admin")
    for junk in ({"username": "x", "ip_address": "not-an-ip"}, {"username": "", "ip_address": ""},
                 {}):
        page = client.post("/security/lockouts/unlock/", junk, HTTP_HOST="alpha.localhost",
                           follow=True)
        assert page.status_code == 200 and "请选择要解锁的记录" in page.content.decode()


def test_a_forged_forwarded_for_never_reaches_the_lockout_table(client, org_a, settings):
    settings.TRUSTED_PROXY_COUNT = 2  # miscounted: the client's own entry would be taken
    response = client.post("/login/", {"username": "admin", "password": "wrong"},
                           HTTP_HOST="alpha.localhost", REMOTE_ADDR="10.0.0.9",
                           HTTP_X_FORWARDED_FOR="<script>, 10.0.0.8")
    assert response.status_code == 200
    with schema_context("alpha"):
        from axes.models import AccessAttempt

        assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.9"]


def test_the_django_admin_login_is_throttled_per_address_too(client, public_tenant, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "login-failures-ip": "8/15m"}
    for attempt in range(8):  # four staff names, twice each: no pair is locked out
        response = client.post("/admin/login/", {"username": f"staff{attempt % 4}",
                                                 "password": "guess"}, HTTP_HOST="localhost")
        assert response.status_code == 200
    refused = client.post("/admin/login/", {"username": "staff9", "password": "guess"},
                          HTTP_HOST="localhost")
    assert refused.status_code == 429
