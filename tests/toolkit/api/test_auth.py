"""Logging in through the API: a knox token per device, in the company's own schema; the
page's lockouts and throttles apply; deactivated users and forced password changes refused."""

import pytest
from django_tenants.utils import schema_context
from knox.models import AuthToken

from tests.toolkit.api.conftest import api_login

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"


def test_a_token_from_company_a_is_nothing_on_company_b(client, api, org_a, org_b):
    mobile = org_a.members[2].user.mobile
    token = api_login(client, A, mobile)
    me = api("get", A, "/api/v1/me/", token)
    assert me.status_code == 200 and me.json()["mobile"] == mobile
    # The same user id exists on B (per-schema sequences), yet A's token is unknown there.
    on_b = api("get", B, "/api/v1/me/", token)
    assert on_b.status_code == 401
    assert on_b.json()["code"] in {"authentication_failed", "not_authenticated"}
    with schema_context("beta"):
        assert not AuthToken.objects.exists()
    with schema_context("alpha"):
        assert AuthToken.objects.count() == 1


def test_logout_revokes_this_device_and_logoutall_every_device(client, api, org_a):
    mobile = org_a.members[2].user.mobile
    phone, tablet, laptop = (api_login(client, A, mobile) for _ in range(3))
    assert api("post", A, "/api/v1/auth/logout/", phone).status_code == 204
    assert api("get", A, "/api/v1/me/", phone).status_code == 401
    assert api("get", A, "/api/v1/me/", tablet).status_code == 200
    assert api("post", A, "/api/v1/auth/logoutall/", tablet).status_code == 204
    assert api("get", A, "/api/v1/me/", laptop).status_code == 401


def test_wrong_passwords_lock_out_the_same_pair_as_the_page(client, api, org_a, settings):
    mobile = org_a.members[2].user.mobile
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        refused = api("post", A, "/api/v1/auth/login/", data={"mobile": mobile,
                                                              "password": "wrong"})
        assert refused.status_code == 400 and refused.json()["code"] == "invalid_login"
    locked = api("post", A, "/api/v1/auth/login/", data={"mobile": mobile, "password": "wrong"})
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    # The right password is refused too, through the API and on the page: one lockout.
    right = api("post", A, "/api/v1/auth/login/", data={"mobile": mobile,
                                                        "password": "pw-123456"})
    assert right.status_code == 429 and right.json()["code"] == "locked_out"
    page = client.post("/login/", {"username": mobile, "password": "pw-123456"}, HTTP_HOST=A)
    assert page.status_code == 429


def test_the_per_ip_failure_throttle_covers_the_api_login(api, org_a, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "login-failures-ip": "3/15m"}
    for member in org_a.members[:3]:  # three members, one wrong password each
        api("post", A, "/api/v1/auth/login/", data={"mobile": member.user.mobile,
                                                    "password": "wrong"})
    refused = api("post", A, "/api/v1/auth/login/", data={
        "mobile": org_a.members[4].user.mobile, "password": "pw-123456"})
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_attempts"


def test_a_deactivated_user_gets_no_token(api, org_a):
    user = org_a.members[2].user
    with schema_context("alpha"):
        user.is_active = False
        user.save(update_fields=["is_active"])
    refused = api("post", A, "/api/v1/auth/login/", data={"mobile": user.mobile,
                                                          "password": "pw-123456"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "inactive" and "停用" in refused.json()["message"]
    with schema_context("alpha"):
        assert not AuthToken.objects.exists()


def test_a_user_who_must_change_password_gets_a_clear_code(client, api, org_a):
    user = org_a.members[2].user
    token = api_login(client, A, user.mobile)
    with schema_context("alpha"):
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])
    refused = api("post", A, "/api/v1/auth/login/", data={"mobile": user.mobile,
                                                          "password": "pw-123456"})
    assert refused.status_code == 403 and refused.json()["code"] == "password_change_required"
    # A token from before the reset is refused the same way.
    earlier = api("get", A, "/api/v1/me/", token)
    assert earlier.status_code == 403 and earlier.json()["code"] == "password_change_required"


def test_devices_are_limited_and_an_expired_token_frees_its_place(client, api, org_a):
    import datetime

    from django.utils import timezone
    from knox.settings import knox_settings

    user = org_a.members[2].user
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    for _ in range(limit):
        api_login(client, A, user.mobile)
    refused = api("post", A, "/api/v1/auth/login/", data={"mobile": user.mobile,
                                                          "password": "pw-123456"})
    assert refused.status_code == 403 and refused.json()["code"] == "too_many_devices"
    with schema_context("alpha"):
        oldest = AuthToken.objects.order_by("created").first()
        AuthToken.objects.filter(pk=oldest.pk).update(
            expiry=timezone.now() - datetime.timedelta(seconds=1))
    api_login(client, A, user.mobile)
