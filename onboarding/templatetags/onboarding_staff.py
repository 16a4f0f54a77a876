"""Onboarding's panel on the staff company page: that page belongs to `tenants`, which must not
import onboarding, so the template pulls the panel in instead."""

from django import template

from onboarding.forms import AdminInviteForm
from onboarding.selectors import admin_invitation_state, company_handbook_state

register = template.Library()


@register.inclusion_tag("onboarding/_admin_invite.html", takes_context=True)
def admin_invite_panel(context, company):
    form = context.get("invite_form")
    if form is None:
        application = getattr(company, "application", None)
        initial = ({"full_name": application.contact_name, "mobile": application.mobile,
                    "email": application.email} if application else {})
        form = AdminInviteForm(initial=initial)
    return {"target": company, "form": form, "state": admin_invitation_state(company=company),
            "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("onboarding/_company_handbook.html")
def handbook_panel(company):
    """The company's current handbook (as its site reported it up) and its download."""
    return {"target": company, "handbook": company_handbook_state(company=company)}
