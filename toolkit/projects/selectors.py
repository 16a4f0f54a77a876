"""Reads and access rules of the service projects (keyword-only, docs/decisions/0012)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from toolkit.org.models import Member, Position, UnitKind
from toolkit.org.selectors import member_for_user
from toolkit.projects.models import Figure, Participant, Project, ProjectSettings, Report

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def projects() -> QuerySet[Project]:
    return Project.objects.annotate(participant_count=Count("participants", distinct=True),
                                    report_count=Count("reports", distinct=True))


def figures_with_totals(*, project: Project) -> QuerySet[Figure]:
    """The project's figures, each with `total`: the sum of every report's value for it."""
    return project.figures.annotate(total=Coalesce(Sum("values__value"), ZERO))


def participants_of(*, project: Project) -> QuerySet[Participant]:
    return project.participants.select_related("member__user", "member__unit").order_by("id")


def reports_of(*, project: Project, limit: int = 50) -> QuerySet[Report]:
    return (project.reports.select_related("member__user")
            .prefetch_related("values__figure", "evidence")[:limit])


def is_participant(*, project: Project, member: Member | None) -> bool:
    return member is not None and project.participants.filter(member=member).exists()


def settings_row() -> ProjectSettings:
    return ProjectSettings.objects.get_or_create(pk=1)[0]


@dataclass(frozen=True)
class Total:
    project_kind: str
    name: str
    unit: str
    kind: str
    total: Decimal


def company_totals() -> list[Total]:
    """An aggregate: every figure's total summed over the company's projects of one kind, keyed
    by (project kind, figure name, unit), the key the incubator's roll-up sums across companies."""
    rows = (Figure.objects.values("project__kind", "name", "unit", "kind")
            .annotate(total=Coalesce(Sum("values__value"), ZERO))
            .order_by("project__kind", "name", "unit", "kind"))
    found: dict[tuple, Decimal] = {}
    for row in rows:
        key = (row["project__kind"], row["name"], row["unit"], row["kind"])
        found[key] = found.get(key, Decimal("0")) + row["total"]
    return [Total(k[0], k[1], k[2], k[3], v) for k, v in found.items()]


# Access rules.

def may_manage_projects(*, user) -> bool:
    """Projects are run by the committee: the company admin, or a 党委's secretary or deputy."""
    if user.is_company_admin:
        return True
    member = member_for_user(user=user)
    return (member is not None and member.unit is not None
            and member.unit.kind == UnitKind.COMMITTEE
            and member.position in (Position.SECRETARY, Position.DEPUTY_SECRETARY))


def may_report(*, user, project: Project) -> bool:
    """A participant reports progress on their project."""
    return is_participant(project=project, member=member_for_user(user=user))


def may_see_evidence(*, user, report: Report) -> bool:
    """Evidence is for who reported it and for whoever runs the projects."""
    return report.member.user_id == user.pk or may_manage_projects(user=user)
