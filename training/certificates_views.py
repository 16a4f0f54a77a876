"""The public verify page (valid or revoked, with the name, course and date, and nothing
else) and the revoke form for the trainers of the company's batch and staff."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.decorators import role_required
from core.errors import Refused, refusal_to_form
from core.roles import Role
from training.certificates import certificate_revocable_by, certificate_revoke
from training.models import Certificate
from training.sessions_forms import RevokeForm


def verify(request, number):
    certificate = Certificate.objects.select_related("course").filter(number=number).first()
    return render(request, "learning/certificates/verify.html", {
        "certificate": certificate, "number": number,
        "can_revoke": certificate is not None and certificate.revoked_at is None
        and certificate_revocable_by(certificate=certificate, user=request.user),
    }, status=200 if certificate else 404)


@role_required(Role.TRAINER, Role.STAFF)
def revoke(request, number):
    certificate = Certificate.objects.select_related("course").filter(number=number).first()
    if certificate is None or not certificate_revocable_by(certificate=certificate,
                                                           user=request.user):
        raise PermissionDenied
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(certificate=certificate, by=request.user,
                               reason=form.cleaned_data["reason"])
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("证书已撤销。"))
            return redirect("certificate_verify", number=number)
    return render(request, "learning/certificates/revoke.html",
                  {"certificate": certificate, "form": form})


@role_required(Role.TRAINER, Role.STAFF)
def certificate_find(request):
    """The workspace's box for a certificate number someone reported: its verify page, where
    the trainers of its company's batch (and staff) find the revoke form."""
    number = slugify(request.GET.get("number", "").strip())[:32].upper()
    if not number:
        messages.error(request, _("请输入证书编号。"))
        return redirect("training:home")
    return redirect("certificate_verify", number=number)
