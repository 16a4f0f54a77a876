import pytest
from django.core import mail

from onboarding.models import Application
from onboarding.services import ApplicationRefused, application_submit
from tests.onboarding.conftest import VALID_CODES, application_data


def test_submitted_application_is_saved_and_confirmed_by_email(public_tenant, committed):
    with committed():
        application = application_submit(**application_data())
    assert Application.objects.get().credit_code == VALID_CODES[0]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhou@example.cn"]
    assert "星火物流有限公司" in message.subject
    assert f"编号 {application.pk}" in message.body


@pytest.mark.parametrize("overrides, field, message", [
    ({"credit_code": "91350100M000100Y44"}, "credit_code", "校验位不正确"),
    ({"credit_code": "1234"}, "credit_code", "应为 18 位"),
    ({"mobile": "12345678901"}, "mobile", "11 位中国大陆手机号"),
    ({"mobile": "1391234567"}, "mobile", "11 位中国大陆手机号"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(public_tenant, committed,
                                                                overrides, field, message):
    with committed(), pytest.raises(ApplicationRefused) as caught:
        application_submit(**application_data(**overrides))
    assert caught.value.code == "application_invalid"
    assert message in " ".join(caught.value.fields[field])
    assert Application.objects.count() == 0
    assert mail.outbox == []


def test_a_credit_code_applies_once(public_tenant):
    application_submit(**application_data())
    with pytest.raises(ApplicationRefused) as caught:
        application_submit(**application_data(company_name="另一家",
                                              credit_code=" 91350100m000100y43"))
    assert caught.value.code == "application_invalid"
    assert "已提交过申请" in caught.value.fields["credit_code"][0]
    assert Application.objects.count() == 1


def test_the_public_form_shows_translated_errors_on_the_fields(client, public_tenant):
    data = application_data(credit_code="91350100M000100Y44", mobile="123")
    data.pop("preferred_batch")
    response = client.post("/apply/", data, HTTP_HOST="localhost")
    body = response.content.decode()
    assert response.status_code == 200
    assert "校验位不正确" in body and "11 位中国大陆手机号" in body
    assert Application.objects.count() == 0
    client.cookies["django_language"] = "en"
    body = client.post("/apply/", data, HTTP_HOST="localhost").content.decode()
    assert "check character" in body


def test_the_public_form_leads_to_a_confirmation_page(client, public_tenant):
    data = application_data()
    data.pop("preferred_batch")
    response = client.post("/apply/", data, HTTP_HOST="localhost", follow=True)
    body = response.content.decode()
    assert "申请已提交" in body and "zhou@example.cn" in body


def test_the_credit_code_is_checked_together_with_the_other_fields(client, public_tenant):
    data = application_data(credit_code="91350100M000100Y44", mobile="123", email="")
    data.pop("preferred_batch")
    body = client.post("/apply/", data, HTTP_HOST="localhost").content.decode()
    assert "校验位不正确" in body and "11 位中国大陆手机号" in body and "这个字段是必填项" in body
    assert Application.objects.count() == 0
