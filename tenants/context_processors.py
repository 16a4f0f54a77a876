def company(request):
    """The company whose site this is; None on the incubator's public site."""
    tenant = getattr(request, "tenant", None)
    return {"company": tenant if tenant is not None and not tenant.is_public else None}
