"""Onboarding on the incubator's side: applications, review, provisioning, batches."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing import services as billing_services
from core import emails
from core.errors import Refused
from core.tasks import task_send
from core.validators import validate_mobile
from onboarding import creditcode

# The one way into a company's schema: its own services, run in schema_context (0005, 0010).
from onboarding.company.services import admin_invite, admin_invite_again
from onboarding.models import (
    Application,
    ApplicationStatus,
    BatchEnrolment,
    CompanyEvent,
    CompanyProgress,
    EventKind,
    HandbookState,
    IncubationBatch,
    ProjectFigureTotal,
    ToolkitHandbook,
)
from onboarding.validators import validate_credit_code
from tenants import services as tenant_services
from tenants.models import Company, CompanyStatus, Plan

# The company's handbook service, run in its schema (staff download its current handbook;
# docs/decisions/0015-handbook.md).
from toolkit.documents.services import handbook_staff_download


class ApplicationRefused(Refused):
    """An application form or a batch the service will not record; fields name the inputs."""


class ReviewRefused(Refused):
    """A review action that does not fit the application's state; shown to staff."""


@transaction.atomic
def application_submit(*, company_name: str, credit_code: str, industry: str, contact_name: str,
                       mobile: str, email: str, has_party_org: bool, party_members: int,
                       party_branches: int, preferred_batch: IncubationBatch | None
                       ) -> Application:
    code = creditcode.normalise(credit_code)
    errors: dict[str, list[str]] = {}
    for field, validator, value in (("credit_code", validate_credit_code, code),
                                    ("mobile", validate_mobile, mobile)):
        try:
            validator(value)
        except ValidationError as error:
            errors[field] = error.messages
    if "credit_code" not in errors and Application.objects.filter(credit_code=code).exists():
        errors["credit_code"] = [_("该统一社会信用代码已提交过申请，请勿重复提交。")]
    if errors:
        raise ApplicationRefused(code="application_invalid", fields=errors)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                company_name=company_name.strip(), credit_code=code, industry=industry,
                contact_name=contact_name.strip(), mobile=mobile, email=email,
                has_party_org=has_party_org, party_members=party_members,
                party_branches=party_branches, preferred_batch=preferred_batch,
            )
    except IntegrityError as error:  # the same code submitted twice at once
        raise ApplicationRefused(code="credit_code_already_applied", fields={
            "credit_code": [_("该统一社会信用代码已提交过申请，请勿重复提交。")]}) from error
    emails.send_later(to=application.email, template="application_received",
                      context={"application": application})
    return application


@transaction.atomic
def application_reject(*, application: Application, reviewer, reason: str) -> Application:
    application = _locked_submitted(application)
    if not reason.strip():
        raise ReviewRefused(code="reject_reason_missing",
                            fields={"reason": [_("请填写驳回理由，申请人会收到它。")]})
    application.status = ApplicationStatus.REJECTED
    application.reject_reason = reason.strip()
    application.reviewed_by, application.reviewed_at = reviewer, timezone.now()
    application.save()
    emails.send_later(to=application.email, template="application_rejected",
                      context={"application": application})
    return application


@transaction.atomic
def application_approve(*, application: Application, reviewer, slug: str,
                        batch: IncubationBatch | None, plan: str = Plan.TRIAL,
                        port: str = "") -> Application:
    """Creates the company and starts provisioning; the admin is invited when it is live.
    `port` is the site's port, for the link in the invitation e-mail."""
    application = _locked_submitted(application)
    company = tenant_services.company_create(name=application.company_name, slug=slug, plan=plan)
    application.status = ApplicationStatus.APPROVED
    application.reviewed_by, application.reviewed_at = reviewer, timezone.now()
    application.company = company
    application.site_port = port
    application.save()
    if batch is not None:
        batch_enrol(batch=batch, company=company)
    CompanyProgress.objects.create(company=company)
    CompanyEvent.objects.create(company=company, kind=EventKind.APPROVED,
                                note=reviewer.get_full_name())
    tenant_services.company_provision_start(company=company)
    return application


def application_provision_retry(*, application: Application) -> Application:
    company = application.company
    if company is None or company.status != CompanyStatus.FAILED:
        raise ReviewRefused(_("只有开通失败的公司可以重试。"), code="retry_not_failed")
    tenant_services.company_provision_start(company=company)
    return application


@transaction.atomic
def application_admin_invite(*, company: Company) -> None:
    """When an approved company goes live: record it and invite its admin (once)."""
    application = Application.objects.filter(company=company).first()
    if application is None:
        return  # a company made by staff directly: no applicant to invite
    if not CompanyEvent.objects.filter(company=company, kind=EventKind.PROVISIONED).exists():
        CompanyEvent.objects.create(company=company, kind=EventKind.PROVISIONED,
                                    note=company.provision_step)
    with schema_context(company.schema_name):
        admin_invite(company=company, full_name=application.contact_name,
                     email=application.email, mobile=application.mobile,
                     port=application.site_port)


def application_admin_reinvite(*, application: Application) -> bool:
    """Sends the admin a fresh link (the old ones stop working); False once they joined."""
    company = application.company
    if company is None or company.status != CompanyStatus.ACTIVE:
        raise ReviewRefused(_("公司开通后才能发送邀请。"), code="company_not_active")
    with transaction.atomic(), schema_context(company.schema_name):
        return admin_invite(company=company, full_name=application.contact_name,
                            email=application.email, mobile=application.mobile,
                            port=application.site_port, resend=True) is not None


def company_admin_invite(*, company: Company, full_name: str, email: str, mobile: str,
                         port: str = "") -> bool:
    """Staff invite the admin of any live company (one they made directly has no applicant),
    or invite again with a fresh link, possibly to another person or address: the older links
    stop working. Runs the company's own service in its schema. False once the admin joined."""
    if company.status != CompanyStatus.ACTIVE:
        raise ReviewRefused(_("公司开通后才能发送邀请。"), code="company_not_active")
    with transaction.atomic(), schema_context(company.schema_name):
        return admin_invite(company=company, full_name=full_name.strip(), email=email,
                            mobile=mobile, port=port, resend=True) is not None


def company_admin_invite_again(*, company: Company, port: str = "") -> bool:
    """The same admin, a fresh link (the older ones stop working). False once they joined or
    when nobody was invited yet."""
    if company.status != CompanyStatus.ACTIVE:
        raise ReviewRefused(_("公司开通后才能发送邀请。"), code="company_not_active")
    with transaction.atomic(), schema_context(company.schema_name):
        return admin_invite_again(company=company, port=port) is not None


def _locked_submitted(application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ReviewRefused(_("这份申请已经审核过了。"), code="application_already_reviewed")
    return application


@transaction.atomic
def batch_create(*, name: str, starts_on, ends_on) -> IncubationBatch:
    if ends_on < starts_on:
        raise ApplicationRefused(code="batch_ends_before_start",
                                 fields={"ends_on": [_("结束日期不能早于开始日期。")]})
    # The unique name decides, not a check before the insert: a double submit (two requests
    # at once) gets the same refusal as a second one later.
    try:
        with transaction.atomic():
            return IncubationBatch.objects.create(name=name.strip(), starts_on=starts_on,
                                                  ends_on=ends_on)
    except IntegrityError as error:
        raise ApplicationRefused(code="batch_name_taken",
                                 fields={"name": [_("已有同名批次。")]}) from error


@transaction.atomic
def batch_enrol(*, batch: IncubationBatch, company: Company) -> BatchEnrolment:
    """Puts a company in a batch (moving it out of any other)."""
    Company.objects.select_for_update().get(pk=company.pk)  # two enrolments at once: in turn
    enrolment, _created = BatchEnrolment.objects.update_or_create(company=company,
                                                                   defaults={"batch": batch})
    return enrolment


@transaction.atomic
def batch_sponsor(*, batch: IncubationBatch, starts_on, ends_on, note: str = "") -> tuple[int, int]:
    """Sponsor this batch (孵化期免费): every company enrolled in it (archived ones aside) gets
    the sponsored period, through billing's one service. Idempotent: a company that has this
    period already gets no second one. Returns (companies in the batch, periods made)."""
    companies = list(Company.objects.filter(enrolment__batch=batch)
                     .exclude(status=CompanyStatus.ARCHIVED).order_by("pk"))
    made = billing_services.sponsorship_grant(
        companies=companies, starts_on=starts_on, ends_on=ends_on,
        note=note.strip() or _("孵化批次：%(name)s") % {"name": batch.name})
    return len(companies), len(made)


@transaction.atomic
def toolkit_issue(*, company: Company, by) -> CompanyEvent:
    """Issues the company's toolkit (发放党建工具包): records it and has the company's own schema
    render its handbook (a task sent with that schema), whose progress its site reports up.
    Issuing again renders a new version (after a failure, or when the data changed)."""
    company = Company.objects.select_for_update().get(pk=company.pk)  # a double click: once
    if company.status != CompanyStatus.ACTIVE:
        raise ReviewRefused(_("公司开通后才能发放工具包。"), code="company_not_active")
    handbook = ToolkitHandbook.objects.filter(company=company).first()
    if handbook is not None and handbook.running:
        raise ReviewRefused(_("工具包手册正在生成，请稍候。"), code="handbook_running")
    ToolkitHandbook.objects.update_or_create(company=company, defaults={
        "status": HandbookState.QUEUED, "error": "", "progress": 0, "step": ""})
    enrolment = BatchEnrolment.objects.select_related("batch").filter(company=company).first()
    batch_name, issuer = (enrolment.batch.name if enrolment else ""), settings.INCUBATOR_NAME
    schema = company.schema_name

    def send() -> None:
        with schema_context(schema):  # the message carries the company's schema
            task_send("toolkit.documents.tasks.handbook_issue_task", batch_name, issuer)

    transaction.on_commit(send)
    issued = CompanyEvent.objects.filter(company=company, kind=EventKind.TOOLKIT_ISSUED).first()
    return issued or CompanyEvent.objects.create(company=company, kind=EventKind.TOOLKIT_ISSUED,
                                                 note=by.get_full_name())


def toolkit_handbook_report(*, company: Company, render_id: int, status: str, pages: int,
                            error: str, progress: int = 0, step: str = "") -> None:
    """Records what a company's site reports of its handbook (from onboarding.receivers)."""
    ToolkitHandbook.objects.update_or_create(company_id=company.pk, defaults={
        "render_id": render_id, "status": status, "pages": pages, "error": error[:300],
        "progress": progress, "step": step[:100]})


def toolkit_handbook_download(*, company: Company, staff) -> tuple[str, bytes]:
    """Staff download a company's current handbook: the company's own service, run in its
    schema, opens the file (public code never builds a company's media path)."""
    with schema_context(company.schema_name):
        return handbook_staff_download(staff_name=staff.get_full_name())


def progress_report(*, company: Company, **figures) -> None:
    """Writes a company's figures to the public roll-up (from onboarding.receivers, when the
    company's site announces them)."""
    CompanyProgress.objects.update_or_create(company_id=company.pk, defaults=figures)


@transaction.atomic
def project_totals_report(*, company: Company, totals: list[dict], at) -> None:
    """Replaces a company's service-project totals in the roll-up (from onboarding.receivers,
    when its site reports them; an empty list when it stops sharing)."""
    ProjectFigureTotal.objects.filter(company_id=company.pk).delete()
    ProjectFigureTotal.objects.bulk_create([ProjectFigureTotal(
        company_id=company.pk, project_kind=t["project_kind"],
        project_kind_label=t["project_kind_label"][:40], name=t["name"], unit=t["unit"],
        kind=t["kind"], total=t["total"], reported_at=at) for t in totals])


def event_record(*, company: Company, kind: str, note: str = "") -> CompanyEvent:
    return CompanyEvent.objects.create(company_id=company.pk, kind=kind, note=note[:200])
