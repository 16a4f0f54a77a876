"""Staff's pages for trainers: accounts (a temporary password shown once) and their batches."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import password_reset_by_admin
from core.decorators import staff_required
from core.errors import Refused, refusal_to_form
from training import selectors, trainer_services
from training.forms import TrainerBatchesForm, TrainerForm


@staff_required
def trainer_list(request):
    form = TrainerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trainer, password = trainer_services.trainer_create(**form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            return _password_page(request, trainer, password)
    return render(request, "training/trainer_list.html",
                  {"form": form, "trainers": selectors.trainers()},
                  status=400 if form.is_bound and form.errors else 200)


def _password_page(request, trainer, password):
    return render(request, "training/trainer_password.html",
                  {"trainer": trainer, "password": password})


@staff_required
def trainer_detail(request, trainer_id):
    trainer = get_object_or_404(selectors.trainers(), pk=trainer_id)
    form = TrainerBatchesForm(request.POST or None, initial={
        "batches": list(trainer.trainer_batches.values_list("batch_id", flat=True))})
    if request.method == "POST" and form.is_valid():
        trainer_services.trainer_batches_set(trainer=trainer, batches=form.cleaned_data["batches"])
        messages.success(request, _("已更新负责的批次。"))
        return redirect("training:trainer_detail", trainer_id=trainer.pk)
    return render(request, "training/trainer_detail.html", {
        "trainer": trainer, "form": form,
        "companies": selectors.companies_visible(user=trainer)})


@staff_required
@require_POST
def trainer_password_reset(request, trainer_id):
    trainer = get_object_or_404(selectors.trainers(), pk=trainer_id)
    password = password_reset_by_admin(target=trainer, by=request.user)
    return _password_page(request, trainer, password)


__all__ = ["trainer_detail", "trainer_list", "trainer_password_reset"]
