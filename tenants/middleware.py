from django.conf import settings
from django.http.request import split_domain_port
from django.shortcuts import render
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware

from core.language import chosen_language
from tenants.models import CompanyStatus


class CompanyHostMiddleware(TenantMainMiddleware):
    """Routes each host to its schema; unknown hosts and closed companies get a clear page."""

    def no_tenant_found(self, request, hostname):
        return _render_early(request, "unknown_host.html",
                             {"hostname": hostname, "incubator_url": _incubator_url(request)},
                             status=404)

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        company = request.tenant
        if not company.is_public and company.status != CompanyStatus.ACTIVE:
            status = 403 if company.status == CompanyStatus.SUSPENDED else 503
            return _render_early(request, "tenants/unavailable.html", {"company": company},
                                 status=status)
        return None


def _incubator_url(request) -> str:
    """The incubator's own site, on the port this visitor used (links on an unknown host
    must leave it: every path there is the same "no such site" page)."""
    _domain, port = split_domain_port(request.get_host())
    port = "" if port in ("", "80", "443") else f":{port}"
    return f"{request.scheme}://{settings.BASE_DOMAIN}{port}/"


def _render_early(request, template: str, context: dict, *, status: int):
    # These pages are answered before LocaleMiddleware runs: pick the language here.
    with translation.override(chosen_language(request)):
        return render(request, template, context, status=status)
