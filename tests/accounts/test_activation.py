"""Activation: the admin issues one-time codes; a member opens the link (or types the code),
confirms their number with an SMS code, sets a password and is signed in. Every kind of bad
code is refused, and nothing crosses from one company to another."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.activation import activation_issue
from accounts.models import ActivationChannel, ActivationCode
from tests.accounts.conftest import last_code, new_member, texts_to
from tests.toolkit.conftest import login

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"
PASSWORD = "Dangjian-2026!"
SITE = "http://alpha.localhost/"


@pytest.fixture
def newcomer(org_a):
    return new_member("alpha", org_a.branches[0], name="林晓梅", mobile="13712340001")


def issue(schema, users, channel=ActivationChannel.PRINT, by=None):
    with schema_context(schema):
        return activation_issue(users=users, channel=channel, by=by, site=SITE)


def code_of(issued) -> str:
    return issued.codes[0][1]


def open_code(client, code, host=A):
    return client.get(f"/activate/{code}/", HTTP_HOST=host)


def activate(client, committed, mobile, *, host=A, password=PASSWORD):
    with committed():
        client.post("/activate/confirm/", {"action": "send"}, HTTP_HOST=host)
    return client.post("/activate/confirm/", {
        "action": "activate", "sms_code": last_code(mobile), "password1": password,
        "password2": password}, HTTP_HOST=host)


def test_member_activates_with_code_sms_and_password(client, newcomer, committed):
    code = code_of(issue("alpha", [newcomer.user]))
    response = open_code(client, code)
    assert response.status_code == 302 and response["Location"] == "/activate/confirm/"
    page = client.get("/activate/confirm/", HTTP_HOST=A)
    assert "林晓梅" in page.content.decode() and "137****0001" in page.content.decode()
    response = activate(client, committed, "13712340001")
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/", HTTP_HOST=A)
    assert home.wsgi_request.user.username == "13712340001"
    with schema_context("alpha"):
        user = get_user_model().objects.get(pk=newcomer.user.pk)
        assert user.check_password(PASSWORD)
        assert ActivationCode.objects.get(user=user).used_at is not None
    client.logout()
    assert client.post("/login/", {"username": "13712340001", "password": PASSWORD},
                       HTTP_HOST=A).status_code == 302


def test_typed_code_works_with_dashes_and_lower_case(client, newcomer):
    code = code_of(issue("alpha", [newcomer.user]))
    typed = f"{code[:5].lower()}-{code[5:].lower()}"
    response = client.post("/activate/", {"code": typed}, HTTP_HOST=A)
    assert response.status_code == 302 and response["Location"] == "/activate/confirm/"


def test_used_code_is_refused(client, newcomer, committed):
    code = code_of(issue("alpha", [newcomer.user]))
    open_code(client, code)
    activate(client, committed, "13712340001")
    client.logout()
    response = open_code(client, code)
    assert response.status_code == 400 and "已经激活" in response.content.decode()


def test_a_new_code_revokes_the_older_one(client, newcomer):
    old = code_of(issue("alpha", [newcomer.user]))
    new = code_of(issue("alpha", [newcomer.user], channel=ActivationChannel.SMS))
    response = open_code(client, old)
    assert response.status_code == 400 and "已作废" in response.content.decode()
    assert open_code(client, new).status_code == 302


def test_expired_code_is_refused(client, newcomer):
    code = code_of(issue("alpha", [newcomer.user]))
    with schema_context("alpha"):
        ActivationCode.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = open_code(client, code)
    assert response.status_code == 400 and "已过期" in response.content.decode()


def test_forged_code_is_refused(client, newcomer):
    issue("alpha", [newcomer.user])
    for forged in ("ABCDEFGHJK", "x", "../../etc", "A" * 200):
        response = client.post("/activate/", {"code": forged[:20]}, HTTP_HOST=A)
        assert response.status_code == 400 and "激活码无效" in response.content.decode()


def test_a_code_of_company_a_is_nothing_on_company_b(client, newcomer, org_b):
    # The same person exists on B too: still, A's code means nothing there.
    twin = new_member("beta", org_b.branches[0], name="林晓梅", mobile="13712340001")
    code = code_of(issue("alpha", [newcomer.user]))
    response = open_code(client, code, host=B)
    assert response.status_code == 400 and "激活码无效" in response.content.decode()
    with schema_context("beta"):
        assert not get_user_model().objects.get(pk=twin.user.pk).has_usable_password()


def test_wrong_sms_code_is_refused_and_the_page_says_why(client, newcomer, committed):
    open_code(client, code_of(issue("alpha", [newcomer.user])))
    with committed():
        client.post("/activate/confirm/", {"action": "send"}, HTTP_HOST=A)
    wrong = f"{(int(last_code('13712340001')) + 1) % 10 ** 6:06d}"
    response = client.post("/activate/confirm/", {
        "action": "activate", "sms_code": wrong, "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST=A)
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    with schema_context("alpha"):
        assert not get_user_model().objects.get(pk=newcomer.user.pk).has_usable_password()


def test_weak_password_is_refused_in_chinese_and_the_code_still_works(client, newcomer,
                                                                      committed):
    open_code(client, code_of(issue("alpha", [newcomer.user])))
    response = activate(client, committed, "13712340001", password="123456")
    assert response.status_code == 200
    assert "密码" in response.content.decode() and "常见" in response.content.decode()
    response = client.post("/activate/confirm/", {
        "action": "activate", "sms_code": last_code("13712340001"), "password1": PASSWORD,
        "password2": PASSWORD}, HTTP_HOST=A)
    assert response.status_code == 302


def test_guessing_codes_is_stopped_per_address(client, newcomer):
    code = code_of(issue("alpha", [newcomer.user]))
    for _ in range(20):
        client.post("/activate/", {"code": "ABCDEFGHJK"}, HTTP_HOST=A)
    response = open_code(client, code)  # even the right code, from this address, for now
    assert response.status_code == 400 and "错误次数过多" in response.content.decode()


def test_sms_code_sending_is_limited_per_number(client, newcomer, committed):
    open_code(client, code_of(issue("alpha", [newcomer.user])))
    with committed():
        client.post("/activate/confirm/", {"action": "send"}, HTTP_HOST=A)
        response = client.post("/activate/confirm/", {"action": "send"}, HTTP_HOST=A,
                               follow=True)
    assert "等一分钟后再" in response.content.decode()
    assert len(texts_to("13712340001")) == 1


def test_admin_invites_by_sms_and_email(client, org_a, committed):
    texted = new_member("alpha", org_a.branches[0], name="林晓梅", mobile="13712340001")
    new_member("alpha", org_a.branches[1], name="陈志强", mobile="13712340002",
               email="chen@example.cn")
    login(client, A, "admin")
    with committed():
        client.post("/members/activation/invite/", {"channel": "sms", "member": texted.pk},
                    HTTP_HOST=A)
        response = client.post("/members/activation/invite/", {"channel": "email"},
                               HTTP_HOST=A, follow=True)
    sms = texts_to("13712340001")[-1]
    assert re.search(r"http://alpha\.localhost/activate/[A-Z0-9]{10}/", sms)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["chen@example.cn"]
    link = re.search(r"http://alpha\.localhost/activate/([A-Z0-9]{10})/", mail.outbox[0].body)
    assert "1 人没有登记电子邮箱" in response.content.decode()  # 林晓梅: no address
    client.logout()
    assert open_code(client, link.group(1)).status_code == 302


def test_admin_sees_who_is_active_invited_and_not_yet(client, org_a):
    waiting = new_member("alpha", org_a.branches[0], name="林晓梅", mobile="13712340001")
    new_member("alpha", org_a.branches[0], name="吴敏", mobile="13712340003")
    issue("alpha", [waiting.user], channel=ActivationChannel.SMS)
    login(client, A, "admin")
    page = client.get(f"/members/activation/?unit={org_a.branches[0].pk}", HTTP_HOST=A)
    text = page.content.decode()
    assert page.status_code == 200
    assert re.search(r"林晓梅.*?已邀请 · 短信", text, re.S)
    assert re.search(r"吴敏.*?未邀请", text, re.S)
    assert text.count("已激活</span>") == 3  # the branch's members made with passwords


def test_print_sheet_has_a_card_with_qr_image_per_member_not_yet_in(client, org_a):
    new_member("alpha", org_a.branches[0], name="林晓梅", mobile="13712340001")
    new_member("alpha", org_a.branches[1], name="吴敏", mobile="13712340003")
    login(client, A, "admin")
    page = client.post("/members/activation/invite/", {"channel": "print"}, HTTP_HOST=A)
    text = page.content.decode()
    assert text.count('class="code-card"') == 2  # only the two without a password
    assert text.count('src="data:image/png;base64,') == 2
    assert "林晓梅" in text and "第1党支部" in text and "吴敏" in text
    assert "http://alpha.localhost/activate/" in text
    with schema_context("alpha"):
        assert ActivationCode.objects.filter(channel="print").count() == 2


def test_members_and_secretaries_may_not_manage_activation(client, org_a):
    secretary, member = org_a.members[0], org_a.members[3]
    for person in (secretary, member):
        login(client, A, person.user.username)
        assert client.get("/members/activation/", HTTP_HOST=A).status_code == 403
        assert client.post("/members/activation/invite/", {"channel": "print"},
                           HTTP_HOST=A).status_code == 403
        client.logout()


def test_admin_of_b_sees_nothing_of_a(client, org_a, org_b):
    only_a = new_member("alpha", org_a.branches[0], name="林晓梅", mobile="13712340001")
    extra_unit = org_a.committee  # exists on A; B has as many units, so use ids beyond B's
    with schema_context("alpha"):
        from toolkit.org.models import OrgUnit, UnitKind

        unit_only_a = OrgUnit.objects.create(name="仅甲的支部", kind=UnitKind.BRANCH,
                                             parent=extra_unit)
    login(client, B, "admin")
    overview = client.get("/members/activation/", HTTP_HOST=B).content.decode()
    assert "林晓梅" not in overview and "仅甲的支部" not in overview
    assert client.get(f"/members/activation/?unit={unit_only_a.pk}",
                      HTTP_HOST=B).status_code == 404
    assert client.post("/members/activation/invite/", {"channel": "print", "member": only_a.pk},
                       HTTP_HOST=B).status_code == 404
    assert client.post("/members/activation/invite/", {"channel": "print",
                                                       "unit": unit_only_a.pk},
                       HTTP_HOST=B).status_code == 404
    sheet = client.post("/members/activation/invite/", {"channel": "print"},
                        HTTP_HOST=B).content.decode()
    assert "林晓梅" not in sheet
    with schema_context("alpha"):
        assert not ActivationCode.objects.exists()


def test_a_sheet_too_big_for_one_print_is_refused_without_issuing(client, org_a, monkeypatch):
    from toolkit.org import activation_views as admin_views

    monkeypatch.setattr(admin_views, "PRINT_MAX", 1)
    new_member("alpha", org_a.branches[0], name="林晓梅", mobile="13712340001")
    new_member("alpha", org_a.branches[1], name="吴敏", mobile="13712340003")
    login(client, A, "admin")
    page = client.post("/members/activation/invite/", {"channel": "print"}, HTTP_HOST=A,
                       follow=True)
    assert "一次最多打印 1 张激活码（共 2 人未激活）" in page.content.decode()
    with schema_context("alpha"):
        assert not ActivationCode.objects.exists()
    sheet = client.post("/members/activation/invite/", {"channel": "print",
                                                        "unit": org_a.branches[0].pk},
                        HTTP_HOST=A).content.decode()
    assert sheet.count('class="code-card"') == 1


def test_a_deactivated_member_cannot_activate(client, newcomer):
    code = code_of(issue("alpha", [newcomer.user]))
    with schema_context("alpha"):
        get_user_model().objects.filter(pk=newcomer.user.pk).update(is_active=False)
    response = open_code(client, code)
    assert response.status_code == 400 and "已停用" in response.content.decode()
    with schema_context("alpha"):
        stopped = get_user_model().objects.get(pk=newcomer.user.pk)
    assert issue("alpha", [stopped]).codes == []  # and no new code is issued to them


def test_invitations_and_activation_are_in_the_admins_audit(client, org_a, committed):
    waiting = new_member("alpha", org_a.branches[0], name="林晓梅", mobile="13712340001")
    login(client, A, "admin")
    with committed():
        client.post("/members/activation/invite/", {"channel": "sms", "member": waiting.pk},
                    HTTP_HOST=A)
    code = re.search(r"/activate/([A-Z0-9]{10})/", texts_to("13712340001")[-1]).group(1)
    client.logout()
    open_code(client, code)
    activate(client, committed, "13712340001")
    client.logout()
    login(client, A, "admin")
    audit = client.get(f"/members/audit/?member={waiting.pk}", HTTP_HOST=A).content.decode()
    assert "发送激活邀请" in audit and "短信" in audit and "激活账号" in audit


def test_deactivation_kills_open_codes_for_good(client, newcomer, org_a):
    from accounts.services import user_deactivate, user_reactivate

    code = code_of(issue("alpha", [newcomer.user]))
    with schema_context("alpha"):
        user_deactivate(target=newcomer.user, by=org_a.admin)
        user_reactivate(target=newcomer.user, by=org_a.admin)
    page = client.get(f"/activate/{code}/", HTTP_HOST=A, follow=True).content.decode()
    assert "已作废" in page
