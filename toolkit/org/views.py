from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.decorators import company_admin_required
from core.errors import Refused
from toolkit.org import selectors, services
from toolkit.org.access import company_user_required
from toolkit.org.forms import TransferForm

admin_required = company_admin_required


@company_user_required
def org_map(request):
    """组织地图: visible to every member, at any time."""
    return render(request, "org/map.html", {
        "chart": selectors.org_chart(), "tree": selectors.unit_tree(),
        "members": selectors.members().order_by("unit__order", "unit_id", "id"),
        "is_admin": request.user.is_company_admin,
    })


@admin_required
def member_move(request, member_id):
    member = get_object_or_404(selectors.members(), pk=member_id)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_transfer(member=member, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            form.add_error("to_unit", str(refusal))
        else:
            messages.success(request, _("已调动。"))
            return redirect("org:move", member_id=member.pk)
    return render(request, "org/move.html", {"member": member, "form": form,
                                             "history": selectors.transfers_of(member=member)})


