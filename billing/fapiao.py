"""发票 (增值税发票): the admin asks for one against a paid invoice, staff issue it with its
number and PDF (checked by content), the admin downloads it. Stripe has no part in it."""

import filetype
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.entitlements import account_for
from billing.models import Fapiao, FapiaoKind, Invoice
from billing.services import BillingRefused
from tenants.models import Company

MAX_PDF_BYTES = 5 * 1024 * 1024


def invoices_paid_of(company: Company):
    return Invoice.objects.filter(account__company_id=company.pk, status="paid")


@transaction.atomic
def fapiao_request(*, company: Company, invoice_id: int, kind: str) -> Fapiao:
    invoice = invoices_paid_of(company).filter(pk=invoice_id).first()
    if invoice is None:  # another company's, or not paid: the same answer
        raise BillingRefused(_("只能为本单位已付款的账单申请发票。"), code="fapiao_invoice_invalid")
    if kind not in FapiaoKind.values:
        raise BillingRefused(_("请选择发票类型。"), code="fapiao_kind_invalid")
    account = account_for(company)
    if not account.invoice_title or not account.tax_id:
        raise BillingRefused(_("请先填写开票信息（抬头和税号）。"), code="fapiao_details_missing")
    if kind == FapiaoKind.SPECIAL and not (account.invoice_address and account.invoice_bank):
        raise BillingRefused(_("专票还需要地址、电话和开户行及账号。"),
                             code="fapiao_details_missing")
    try:
        with transaction.atomic():
            return Fapiao.objects.create(
                invoice=invoice, kind=kind, title=account.invoice_title, tax_id=account.tax_id,
                address=account.invoice_address, bank=account.invoice_bank)
    except IntegrityError as error:
        raise BillingRefused(_("这张账单已经申请过发票。"), code="fapiao_already_requested") \
            from error


@transaction.atomic
def fapiao_issue(*, fapiao: Fapiao, number: str, pdf) -> Fapiao:
    """Staff record the issued 发票: its number and its PDF (a PDF by content, not by name)."""
    fapiao = Fapiao.objects.select_for_update().get(pk=fapiao.pk)
    if fapiao.issued_at:
        raise BillingRefused(_("这张发票已经开具。"), code="fapiao_already_issued")
    if not number.strip():
        raise BillingRefused(_("请填写发票号码。"), code="fapiao_number_missing")
    if pdf is None or pdf.size > MAX_PDF_BYTES:
        raise BillingRefused(_("请上传不超过 5 MB 的发票 PDF。"), code="fapiao_pdf_invalid")
    head = pdf.read(2048)
    pdf.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime != "application/pdf":
        raise BillingRefused(_("上传的文件不是 PDF。"), code="fapiao_pdf_invalid")
    fapiao.number = number.strip()[:40]
    fapiao.pdf.save(f"{fapiao.invoice.account.company_id}/{fapiao.pk}.pdf", pdf, save=False)
    fapiao.issued_at = timezone.now()
    fapiao.save()
    return fapiao


def fapiao_of(*, company: Company, fapiao_id: int) -> Fapiao | None:
    """The company's own issued 发票, or None (another company's is as good as missing)."""
    return (Fapiao.objects.filter(pk=fapiao_id, invoice__account__company_id=company.pk,
                                  issued_at__isnull=False).first())
