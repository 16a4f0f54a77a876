import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django_tenants.utils import get_public_schema_name

from onboarding.models import (
    Application,
    ApplicationStatus,
    BatchEnrolment,
    CompanyEvent,
    CompanyProgress,
    EventKind,
    IncubationBatch,
    ProjectFigureTotal,
    ToolkitHandbook,
)
from tenants.models import Company, CompanyStatus


def applications(*, status: str = "", industry: str = "", batch=None, q: str = ""
                 ) -> QuerySet[Application]:
    qs = Application.objects.select_related("preferred_batch", "company")
    if status:
        qs = qs.filter(status=status)
    if industry:
        qs = qs.filter(industry=industry)
    if batch is not None:
        qs = qs.filter(preferred_batch=batch)
    if q:
        qs = qs.filter(Q(company_name__icontains=q) | Q(contact_name__icontains=q)
                       | Q(credit_code__icontains=q.upper()))
    return qs


def pending_application_count() -> int:
    """An aggregate: applications waiting for review."""
    return Application.objects.filter(status=ApplicationStatus.SUBMITTED).count()


def batches() -> QuerySet[IncubationBatch]:
    return IncubationBatch.objects.annotate(company_count=Count("enrolments"))


def enrolment_of(*, company: Company) -> BatchEnrolment | None:
    """The batch a company was put in (on approval or later), if any."""
    return BatchEnrolment.objects.select_related("batch").filter(company=company).first()


def batch_companies(*, batch: IncubationBatch) -> QuerySet[Company]:
    """The batch's companies with what staff track: status, setup, members, toolkit issued."""
    issued = CompanyEvent.objects.filter(company=OuterRef("pk"), kind=EventKind.TOOLKIT_ISSUED)
    return (Company.objects.filter(enrolment__batch=batch)
            .select_related("progress", "handbook").annotate(toolkit_issued=Exists(issued))
            .order_by("name"))


def members_total() -> int:
    """An aggregate: members across every company, as the companies reported them up."""
    return CompanyProgress.objects.aggregate(total=Sum("members"))["total"] or 0


class CompanyMembers(NamedTuple):
    company: str  # its name
    members: int


def members_by_company(*, limit: int = 12) -> list[CompanyMembers]:
    """An aggregate for the overview's chart: the companies with the most members."""
    rows = (CompanyProgress.objects.filter(members__gt=0).select_related("company")
            .order_by("-members")[:limit])
    return [CompanyMembers(row.company.name, row.members) for row in rows]


@dataclass(frozen=True)
class AdminInvitationState:
    joined: bool  # reported up by the company when its admin set a password
    last_sent_at: datetime.datetime | None
    last_email: str  # where the last invitation went


def admin_invitation_state(*, company: Company) -> AdminInvitationState:
    """What staff see of a company's admin without entering its schema: joined (reported up by
    the company) and the last invitation sent (its event; the note is the address)."""
    progress = CompanyProgress.objects.filter(company=company).first()
    last = (CompanyEvent.objects.filter(company=company, kind=EventKind.ADMIN_INVITED)
            .order_by("-created_at", "-id").first())
    return AdminInvitationState(joined=bool(progress and progress.admin_joined),
                                last_sent_at=last.created_at if last else None,
                                last_email=last.note if last else "")


@dataclass(frozen=True)
class ProjectAggregate:
    project_kind_label: str
    name: str
    unit: str
    total: object  # Decimal
    companies: int


def project_aggregates() -> list[ProjectAggregate]:
    """An aggregate of the service-project totals the companies that share them reported up
    (ProjectFigureTotal): one row per (project kind, figure, unit), summed across companies."""
    rows = (ProjectFigureTotal.objects.values("project_kind", "project_kind_label", "name", "unit")
            .annotate(sum=Sum("total"), companies=Count("company", distinct=True))
            .order_by("project_kind", "name", "unit"))
    return [ProjectAggregate(r["project_kind_label"], r["name"], r["unit"], r["sum"],
                             r["companies"]) for r in rows]


def project_sharing_companies() -> QuerySet[Company]:
    return Company.objects.filter(project_totals__isnull=False).distinct().order_by("name")
def company_handbook_state(*, company):
    """What the company's site last reported of its full handbook (None: never rendered)."""
    return ToolkitHandbook.objects.filter(company_id=company.pk).first()


def companies_with_schema() -> QuerySet[Company]:
    """Companies whose schema is there to open a handbook in: running or suspended (a pending
    or failed one has none yet; the public schema is no company)."""
    return (Company.objects.filter(status__in=[CompanyStatus.ACTIVE, CompanyStatus.SUSPENDED])
            .exclude(schema_name=get_public_schema_name()))
