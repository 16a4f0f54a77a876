"""Trainers' page of member lessons companies offered up (共享党课): play, adopt as a draft."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import trainer_required
from training import offers
from training.models import OfferedLesson


@trainer_required
def offered_list(request):
    return render(request, "training/offered.html", {
        "offers": offers.offers_waiting()[:200],
        "adopted": OfferedLesson.objects.filter(adopted_at__isnull=False)
        .order_by("-adopted_at")[:50]})


@require_POST
@trainer_required
def offered_adopt(request, offer_id):
    offer = get_object_or_404(OfferedLesson, pk=offer_id)
    course = offers.offered_lesson_adopt(offer=offer, by=request.user)
    messages.success(request, _("已采用为课程草稿，请编辑后发布。"))
    return redirect("training:course_detail", course_id=course.pk)
