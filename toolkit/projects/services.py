"""Writes of the service projects: a project and its figures, participants, progress reports
(points through the hub), and the company's totals reported up when it shares them."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.limits import storage_add
from core.errors import Forbidden, Refused
from tenants.models import Company
from tenants.selectors import current_company
from toolkit.org.models import Member
from toolkit.org.selectors import member_for_user
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award
from toolkit.projects import selectors
from toolkit.projects.models import (
    Evidence,
    Figure,
    Participant,
    Project,
    ProjectKind,
    ProjectSettings,
    Report,
    ReportValue,
)
from toolkit.projects.signals import project_totals_changed
from toolkit.uploads import checked_upload, file_write_after_commit

MAX_EVIDENCE_FILES = 5


class ProjectRefused(Refused):
    pass


def _managed(by) -> None:
    if not selectors.may_manage_projects(user=by):
        raise Forbidden


@transaction.atomic
def project_create(*, by, name: str, kind: str, goal: str, starts_on: datetime.date,
                   ends_on: datetime.date) -> Project:
    _managed(by)
    if ends_on < starts_on:
        raise ProjectRefused(_("结束日期不能早于开始日期。"), code="project_ends_before_start",
                             fields={"ends_on": [_("结束日期不能早于开始日期。")]})
    if Project.objects.filter(name=name.strip()).exists():
        raise ProjectRefused(_("已有同名项目。"), code="project_name_taken",
                             fields={"name": [_("已有同名项目。")]})
    return Project.objects.create(name=name.strip(), kind=kind, goal=goal.strip(),
                                  starts_on=starts_on, ends_on=ends_on, created_by=by)


@transaction.atomic
def figure_define(*, by, project: Project, name: str, unit: str, kind: str,
                  target: Decimal | None = None) -> Figure:
    _managed(by)
    if project.figures.filter(name=name.strip()).exists():
        raise ProjectRefused(_("此项目已有同名指标。"), code="figure_name_taken",
                             fields={"name": [_("此项目已有同名指标。")]})
    return Figure.objects.create(project=project, name=name.strip(), unit=unit.strip(),
                                 kind=kind, target=target, order=project.figures.count())


@transaction.atomic
def participant_add(*, by, project: Project, member: Member) -> Participant:
    """The committee enrols a member, or a member joins themselves."""
    if member.user_id != by.pk:
        _managed(by)
    return Participant.objects.get_or_create(project=project, member=member)[0]


@transaction.atomic
def report_submit(*, by, project: Project, occurred_on: datetime.date, note: str,
                  values: dict[int, Decimal], files=()) -> Report:
    """A participant reports progress: values add to the project's figures, evidence files are
    judged by their content, and participation earns points through the hub (its rule's caps)."""
    member = member_for_user(user=by)
    if not selectors.is_participant(project=project, member=member):
        raise Forbidden(_("只有项目参与者可以报送进展。"))
    if not project.starts_on <= occurred_on <= project.ends_on:
        raise ProjectRefused(_("日期不在项目周期内。"), code="report_outside_period",
                             fields={"occurred_on": [_("日期不在项目周期内。")]})
    figures = {f.pk: f for f in project.figures.all()}
    values = {pk: v for pk, v in values.items() if v}
    if any(pk not in figures for pk in values) or any(v < 0 for v in values.values()):
        raise ProjectRefused(_("指标数值无效。"), code="report_value_invalid")
    files = list(files)
    if not files:
        raise ProjectRefused(_("请上传至少一份证明材料。"), code="report_evidence_missing",
                             fields={"files": [_("请上传至少一份证明材料。")]})
    if len(files) > MAX_EVIDENCE_FILES:
        raise ProjectRefused(_("证明材料最多 %(n)s 份。") % {"n": MAX_EVIDENCE_FILES},
                             code="report_too_many_files")
    types = [checked_upload(upload) for upload in files]  # every file before anything is kept
    storage_add(size=sum(upload.size for upload in files))  # the plan's storage (billing)
    report = Report.objects.create(project=project, member=member, occurred_on=occurred_on,
                                   note=note.strip())
    ReportValue.objects.bulk_create([ReportValue(report=report, figure=figures[pk], value=v)
                                     for pk, v in values.items()])
    for upload, content_type in zip(files, types, strict=True):
        evidence = Evidence(report=report, name=upload.name[:200], content_type=content_type,
                            size=upload.size)
        file_write_after_commit(instance=evidence, field="file", upload=upload)
        evidence.save()
    points_award(member=member, rule=RuleCode.PROJECT_PARTICIPATION, source=report,
                 note=project.name[:200])
    totals_announce()
    return report


@transaction.atomic
def sharing_set(*, by, share: bool) -> ProjectSettings:
    """The company opts in (or out) of reporting its totals to the incubator."""
    if not by.is_company_admin:
        raise Forbidden
    row = selectors.settings_row()
    row.share_with_incubator = share
    row.save(update_fields=["share_with_incubator"])
    totals_announce()
    return row


def totals_announce() -> None:
    """Reports the company's totals up (an empty list when it does not share): the incubator
    records them in its own table, in this transaction."""
    shared = selectors.settings_row().share_with_incubator
    totals = ([{**vars(t), "project_kind_label": str(ProjectKind(t.project_kind).label)}
               for t in selectors.company_totals()] if shared else [])
    project_totals_changed.send(sender=Company, company=current_company(), totals=totals,
                                at=timezone.now())
