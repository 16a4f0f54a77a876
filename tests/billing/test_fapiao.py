"""发票: the admin asks for one against a paid invoice, staff mark it issued with its number
and a PDF (checked by content), the admin downloads it; another company's admin cannot."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from billing import fapiao, local, services
from billing.models import Fapiao, Invoice
from billing.services import BillingRefused
from tenants.models import Company
from tests.billing.helpers import plan_of
from tests.toolkit.conftest import login

A, B = "alpha.localhost", "beta.localhost"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _paid(schema: str) -> Invoice:
    company = Company.objects.get(schema_name=schema)
    price = services.price_ensure(plan=plan_of("standard"), interval="month")
    local.checkout_complete(company=company, price=price, pay=True)
    services.details_update(company=company, invoice_title=f"{company.name}抬头",
                            tax_id="91110000X", invoice_address="", invoice_bank="", email="")
    return Invoice.objects.get(account__company=company, status="paid")


def test_request_issue_download_and_isolation(client, org_a, org_b):
    invoice = _paid("alpha")
    beta = Company.objects.get(schema_name="beta")
    with pytest.raises(BillingRefused) as caught:  # B's admin, A's invoice by id
        fapiao.fapiao_request(company=beta, invoice_id=invoice.pk, kind="general")
    assert caught.value.code == "fapiao_invoice_invalid"
    with pytest.raises(BillingRefused):  # 专票 needs the bank details too
        fapiao.fapiao_request(company=invoice.account.company, invoice_id=invoice.pk,
                              kind="special")
    login(client, A, "admin")
    client.post("/billing/fapiao/request/", {"invoice": invoice.pk, "kind": "general"},
                HTTP_HOST=A)
    connection.set_schema_to_public()
    requested = Fapiao.objects.get(invoice=invoice)
    assert requested.title == "甲公司抬头" and requested.kind == "general"
    fake = SimpleUploadedFile("发票.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(BillingRefused) as caught:
        fapiao.fapiao_issue(fapiao=requested, number="12345678", pdf=fake)
    assert caught.value.code == "fapiao_pdf_invalid"
    fapiao.fapiao_issue(fapiao=requested, number="12345678",
                        pdf=SimpleUploadedFile("发票.pdf", PDF, "application/pdf"))
    page = client.get("/billing/", HTTP_HOST=A).content.decode()
    connection.set_schema_to_public()
    assert "下载发票" in page and "12345678" in page
    download = client.get(f"/billing/fapiao/{requested.pk}/", HTTP_HOST=A)
    connection.set_schema_to_public()
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.logout()
    login(client, B, "admin")
    other = client.get(f"/billing/fapiao/{requested.pk}/", HTTP_HOST=B)
    connection.set_schema_to_public()
    assert other.status_code == 404
