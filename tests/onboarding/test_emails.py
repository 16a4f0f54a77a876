from django.core import mail

from onboarding.services import application_reject, application_submit
from tests.onboarding.conftest import application_data


def test_plain_text_mail_says_what_was_typed_not_html_entities(public_tenant, committed, staff):
    with committed():
        application = application_submit(**application_data(company_name="A&B <公司>",
                                                            contact_name="周&李"))
    with committed():
        application_reject(application=application, reviewer=staff, reason="材料 <不全> & 过期")
    received, rejected = mail.outbox
    assert "A&B <公司>" in received.subject and "A&B <公司>" in received.body
    assert received.body.startswith("周&李，您好")
    assert "理由：材料 <不全> & 过期" in rejected.body
    for message in (received, rejected):
        assert "&amp;" not in message.subject + message.body
        assert "&lt;" not in message.subject + message.body
