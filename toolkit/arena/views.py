from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toolkit.arena import selectors, services
from toolkit.arena.forms import ReviewForm, SubmitForm, TaskForm
from toolkit.arena.models import Claim, Evidence, Task
from toolkit.org.access import company_user_required, manager_required, member_required
from toolkit.org.selectors import manages_any_unit
from toolkit.uploads import UploadRefused


@company_user_required
def task_list(request):
    return render(request, "arena/task_list.html", {
        "tasks": selectors.open_tasks(),
        "claims": selectors.claims_of(member=request.member) if request.member else [],
        "can_manage": manages_any_unit(user=request.user),
    })


@company_user_required
def task_detail(request, task_id):
    task = get_object_or_404(Task.objects.select_related("publisher"), pk=task_id)
    claim = selectors.claim_of(task=task, member=request.member)
    form = SubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and claim and form.is_valid():
        try:
            services.claim_submit(claim=claim, member=request.member,
                                  text=form.cleaned_data["text"],
                                  files=form.cleaned_data["files"])
        except (services.ArenaRefused, UploadRefused) as refusal:
            form.add_error("files", str(refusal))
        else:
            messages.success(request, _("已提交，等待审核。"))
            return redirect("arena:detail", task_id=task.pk)
    return render(request, "arena/task_detail.html", {
        "task": task, "claim": claim, "form": form,
        "manages": selectors.task_managed_by(user=request.user, task=task)})


@member_required
@require_POST
def task_claim(request, task_id):
    task = get_object_or_404(Task, pk=task_id)
    # A refusal: core.middleware.RefusalMiddleware flashes it and goes back.
    services.task_claim(task=task, member=request.member)
    messages.success(request, _("认领成功，请在截止前提交。"))
    return redirect("arena:detail", task_id=task.pk)


@manager_required
def task_new(request):
    form = TaskForm(request.POST or None, unit_ids=request.managed)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_publish(by=request.user, **form.cleaned_data)
        except services.ArenaRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("arena:detail", task_id=task.pk)
    return render(request, "arena/task_new.html", {"form": form})


@manager_required
@require_POST
def task_close(request, task_id):
    task = get_object_or_404(Task, pk=task_id)
    # A refusal: core.middleware.RefusalMiddleware flashes it and goes back.
    services.task_close(task=task, by=request.user)
    messages.success(request, _("任务已结束。"))
    return redirect("arena:detail", task_id=task.pk)


@manager_required
def review_list(request):
    return render(request, "arena/review_list.html", {
        "claims": selectors.to_review(unit_ids=request.managed), "form": ReviewForm()})


@manager_required
@require_POST
def claim_review(request, claim_id):
    claim = get_object_or_404(Claim, pk=claim_id)
    form = ReviewForm(request.POST)
    form.is_valid()
    services.claim_review(claim=claim, reviewer=request.user,  # a refusal: RefusalMiddleware
                          accept=request.POST.get("decision") == "accept",
                          note=form.cleaned_data.get("note", ""))
    messages.success(request, _("已审核。"))
    return redirect("arena:review")


def evidence_file(request, evidence_id):
    """Evidence is served only to its member and to whoever reviews the task."""
    if not request.user.is_authenticated:
        raise Http404
    evidence = get_object_or_404(Evidence.objects.select_related("claim__task"), pk=evidence_id)
    if not selectors.evidence_downloadable_by(user=request.user, evidence=evidence):
        raise PermissionDenied
    try:
        opened = evidence.file.open("rb")
    except FileNotFoundError as error:  # its write after the commit failed
        raise Http404 from error
    return FileResponse(opened, content_type=evidence.content_type, filename=evidence.name)
