from billing.selectors import banner_for


def billing_banner(request):
    """The past-due / paused banner for a company's admin (read only when the page shows it)."""
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or tenant.is_public or user is None or not user.is_authenticated \
            or not getattr(user, "is_company_admin", False):
        return {}
    return {"billing_banner": lambda: banner_for(company=tenant)}
