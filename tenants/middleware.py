from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.models import CompanyStatus


class CompanyHostMiddleware(TenantMainMiddleware):
    """Routes each host to its schema; unknown hosts and closed companies get a clear page."""

    def no_tenant_found(self, request, hostname):
        return render(request, "unknown_host.html", {"hostname": hostname}, status=404)

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        company = request.tenant
        if not company.is_public and company.status != CompanyStatus.ACTIVE:
            status = 403 if company.status == CompanyStatus.SUSPENDED else 503
            return render(request, "tenants/unavailable.html", {"company": company}, status=status)
        return None
