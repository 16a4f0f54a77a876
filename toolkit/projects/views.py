from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import company_admin_required
from core.errors import Refused, refusal_to_form
from toolkit.org.access import company_user_required, member_required
from toolkit.projects import selectors, services
from toolkit.projects.forms import (
    FigureForm,
    ParticipantForm,
    ProjectForm,
    ReportForm,
    SharingForm,
)
from toolkit.projects.models import Evidence, Project


@company_user_required
def project_list(request):
    """The company's service projects and their totals (the company page of the figures)."""
    return render(request, "projects/list.html", {
        "projects": selectors.projects(), "totals": selectors.company_totals(),
        "may_manage": selectors.may_manage_projects(user=request.user),
        "sharing": selectors.settings_row().share_with_incubator,
    })


@company_user_required
def project_new(request):
    if not selectors.may_manage_projects(user=request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, **form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("项目已创建，请添加统计指标。"))
            return redirect("projects:detail", project_id=project.pk)
    return render(request, "projects/new.html", {"form": form})


def _detail(request, project, *, figure_form=None, report_form=None, status=200):
    may_manage = selectors.may_manage_projects(user=request.user)
    participant = selectors.is_participant(project=project, member=request.member)
    return render(request, "projects/detail.html", {
        "project": project, "figures": selectors.figures_with_totals(project=project),
        "participants": selectors.participants_of(project=project),
        "reports": selectors.reports_of(project=project), "may_manage": may_manage,
        "participant": participant,
        "figure_form": figure_form or (FigureForm() if may_manage else None),
        "report_form": report_form or (ReportForm(figures=project.figures.all())
                                       if participant else None),
        "add_form": ParticipantForm() if may_manage else None,
    }, status=status)


@company_user_required
def project_detail(request, project_id):
    return _detail(request, get_object_or_404(Project, pk=project_id))


@company_user_required
@require_POST
def figure_new(request, project_id):
    project = get_object_or_404(Project, pk=project_id)
    form = FigureForm(request.POST)
    if form.is_valid():
        try:
            services.figure_define(by=request.user, project=project, **form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("指标已添加。"))
            return redirect("projects:detail", project_id=project.pk)
    return _detail(request, project, figure_form=form, status=400)


@member_required
@require_POST
def join(request, project_id):
    project = get_object_or_404(Project, pk=project_id)
    services.participant_add(by=request.user, project=project, member=request.member)
    messages.success(request, _("已加入项目。"))
    return redirect("projects:detail", project_id=project.pk)


@company_user_required
@require_POST
def participant_new(request, project_id):
    project = get_object_or_404(Project, pk=project_id)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        services.participant_add(by=request.user, project=project,
                                 member=form.cleaned_data["member"])
        messages.success(request, _("已添加参与者。"))
    return redirect("projects:detail", project_id=project.pk)


@member_required
@require_POST
def report_new(request, project_id):
    project = get_object_or_404(Project, pk=project_id)
    form = ReportForm(request.POST, request.FILES, figures=project.figures.all())
    if form.is_valid():
        try:
            services.report_submit(by=request.user, project=project,
                                   occurred_on=form.cleaned_data["occurred_on"],
                                   note=form.cleaned_data["note"], values=form.values(),
                                   files=form.cleaned_data["files"])
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("进展已报送。"))
            return redirect("projects:detail", project_id=project.pk)
    return _detail(request, project, report_form=form, status=400)


@company_admin_required
def sharing(request):
    form = SharingForm(request.POST or None,
                       initial={"share": selectors.settings_row().share_with_incubator})
    if request.method == "POST" and form.is_valid():
        services.sharing_set(by=request.user, share=form.cleaned_data["share"])
        messages.success(request, _("已保存。"))
        return redirect("projects:list")
    return render(request, "projects/sharing.html", {"form": form})


@company_user_required
def evidence_file(request, evidence_id):
    evidence = get_object_or_404(Evidence.objects.select_related("report__member"),
                                 pk=evidence_id)
    if not selectors.may_see_evidence(user=request.user, report=evidence.report):
        raise PermissionDenied
    try:
        opened = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(opened, content_type=evidence.content_type, filename=evidence.name)
