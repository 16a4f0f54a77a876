"""The admin's side of activation: who is in per branch, invitations by e-mail or SMS, and the
printable sheet of one-time codes with QR codes (branch secretaries hand them out)."""

import datetime

import segno
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.activation import (
    activation_code_display,
    activation_issue,
    activation_url,
)
from accounts.models import ActivationChannel
from core.decorators import company_admin_required
from tenants.selectors import company_primary_url, current_company
from toolkit.org import activation_selectors as selectors
from toolkit.org.forms import InviteForm
from toolkit.org.models import Member, OrgUnit

# A QR code takes ~7 ms to make: 1,000 cards ≈ 7 s, well inside a request (and ~500 pages).
PRINT_MAX = 1000


@company_admin_required
def activation_overview(request):
    unit = None
    if request.GET.get("unit", "").isdecimal():
        unit = get_object_or_404(OrgUnit, pk=request.GET["unit"])
    rows = []
    if unit is not None:
        rows = [(m, selectors.activation_status(member=m),
                 ActivationChannel(m.code_channel).label if m.code_channel else "")
                for m in selectors.members_with_activation(
                    unit_ids=selectors.unit_scope(unit=unit))]
    summaries = selectors.unit_summaries()
    totals = {"members": sum(s.members for s in summaries),
              "active": sum(s.active for s in summaries),
              "invited": sum(s.invited for s in summaries)}
    totals["waiting"] = totals["members"] - totals["active"] - totals["invited"]
    return render(request, "members/activation_overview.html", {
        "summaries": summaries, "unit": unit, "rows": rows,
        "totals": totals,
        "channels": ActivationChannel.choices,
    })


@company_admin_required
@require_POST
@never_cache
def activation_invite(request):
    """Issues new codes (older ones stop working) to one member, a unit, or everyone not yet
    in; by e-mail or SMS (then back to the overview), or as a sheet to print."""
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择邀请方式。"))
        return redirect("members:activation")
    data = form.cleaned_data
    member = get_object_or_404(Member, pk=data["member"]) if data["member"] else None
    unit = get_object_or_404(OrgUnit, pk=data["unit"]) if data["unit"] and not member else None
    members = selectors.activation_recipients(member=member, unit=unit)
    back = reverse("members:activation")
    if member is not None:
        back += f"?unit={member.unit_id}" if member.unit_id else ""
    elif unit is not None:
        back += f"?unit={unit.pk}"
    waiting = selectors.users_waiting(members=members)
    if data["channel"] == ActivationChannel.PRINT and len(waiting) > PRINT_MAX:
        messages.error(request, _("一次最多打印 %(max)s 张激活码（共 %(n)s 人未激活），"
                                  "请按组织分别打印。") % {"max": PRINT_MAX, "n": len(waiting)})
        return redirect(back)
    site = company_primary_url(company=current_company(), port=request.get_port())
    issued = activation_issue(users=waiting,
                              channel=data["channel"], by=request.user, site=site)
    if data["channel"] == ActivationChannel.PRINT:
        return _sheet(request, members, issued, site)
    if issued.codes:
        messages.success(request, _("已向 %(n)s 人发出激活邀请（%(channel)s）。") % {
            "n": len(issued.codes), "channel": ActivationChannel(data["channel"]).label})
    if data["channel"] == ActivationChannel.EMAIL and issued.skipped:
        messages.warning(request, _("%(n)s 人没有登记电子邮箱，未发送；"
                                    "可改用短信或打印激活码。") % {"n": len(issued.skipped)})
    if not issued.codes and not issued.skipped:
        messages.info(request, _("所选党员都已激活，无需邀请。"))
    return redirect(back)


def _sheet(request, members, issued, site):
    units = {m.user_id: m.unit for m in members}
    cards = []
    for user, code in sorted(issued.codes, key=lambda pair: (
            units[pair[0].pk].order if units[pair[0].pk] else 0, pair[0].pk)):
        url = activation_url(site, code)
        cards.append({
            "name": user.get_full_name(), "unit": units[user.pk], "code":
            activation_code_display(code), "url": url,
            # A data URI of a PNG: an image every browser and printer shows, no namespace
            # questions (an inline SVG without xmlns does not render as an <img>).
            "qr": segno.make(url, error="m").png_data_uri(scale=5, border=2),
        })
    expires = timezone.localdate() + datetime.timedelta(seconds=settings.ACTIVATION_MAX_AGE)
    return render(request, "members/activation_sheet.html", {
        "cards": cards, "typed_url": f"{site}activate/", "expires": expires})
