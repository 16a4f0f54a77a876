from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Refused, refusal_to_form
from toolkit.groups import selectors, services
from toolkit.groups.forms import GroupForm, NominationForm, WorkForm
from toolkit.groups.models import Group, Nomination, Work
from toolkit.org.access import company_user_required, member_required


@company_user_required
def group_list(request):
    return render(request, "groups/list.html", {
        "groups": selectors.groups(member=request.member),
        "works": selectors.latest_works(limit=10),
        "may_manage": selectors.may_manage_groups(user=request.user),
        "pending": (selectors.pending_nominations().count()
                    if selectors.may_decide_nominations(user=request.user) else 0),
    })


@company_user_required
def group_new(request):
    if not selectors.may_manage_groups(user=request.user):
        raise PermissionDenied
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(by=request.user, **form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("群组已创建。"))
            return redirect("groups:detail", group_id=group.pk)
    return render(request, "groups/new.html", {"form": form})


@company_user_required
def group_detail(request, group_id):
    group = get_object_or_404(selectors.groups(member=request.member), pk=group_id)
    in_group = selectors.is_in_group(group=group, member=request.member)
    return render(request, "groups/detail.html", {
        "group": group, "members": selectors.members_of(group=group),
        "works": selectors.works_of(group=group), "in_group": in_group,
        "nominate": NominationForm(),
        "work_form": (WorkForm(lessons=selectors.linkable_lessons(member=request.member))
                      if in_group else None),
    })


@member_required
@require_POST
def follow(request, group_id):
    group = get_object_or_404(Group, pk=group_id)
    services.group_follow(member=request.member, group=group,
                          follow=request.POST.get("follow") != "0")
    return redirect("groups:detail", group_id=group.pk)


@company_user_required
@require_POST
def nominate(request, group_id):
    group = get_object_or_404(Group, pk=group_id)
    form = NominationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择被提名人并填写理由。"))
    else:  # a refusal goes back to the group's page with its message (RefusalMiddleware)
        services.nomination_create(by=request.user, group=group, **form.cleaned_data)
        messages.success(request, _("已提名，等待党委审批。"))
    return redirect("groups:detail", group_id=group.pk)


@company_user_required
def nomination_list(request):
    if not selectors.may_decide_nominations(user=request.user):
        raise PermissionDenied
    return render(request, "groups/nominations.html",
                  {"nominations": selectors.pending_nominations()})


@company_user_required
@require_POST
def nomination_decide(request, nomination_id):
    nomination = get_object_or_404(Nomination, pk=nomination_id)
    approve = request.POST.get("decision") == "approve"
    services.nomination_decide(by=request.user, nomination=nomination, approve=approve)
    messages.success(request, _("已批准。") if approve else _("已不予批准。"))
    return redirect("groups:nominations")


@member_required
def work_new(request, group_id):
    group = get_object_or_404(Group, pk=group_id)
    if not selectors.may_post_work(user=request.user, group=group):
        raise PermissionDenied
    form = WorkForm(request.POST or None, request.FILES or None,
                    lessons=selectors.linkable_lessons(member=request.member))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.work_publish(by=request.user, group=group, kind=data["kind"],
                                  title=data["title"], body=data["body"], upload=data["file"],
                                  member_lesson=data["member_lesson"])
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("作品已发布。"))
            return redirect("groups:detail", group_id=group.pk)
    return render(request, "groups/work_new.html", {"group": group, "form": form})


@company_user_required
def work_file(request, work_id):
    """A work's file is for the company's own people, through this view (never a media URL)."""
    work = get_object_or_404(Work, pk=work_id)
    if not work.file:
        raise Http404
    try:
        opened = work.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(opened, content_type=work.file_type or "application/octet-stream")
