"""CORS per company: a browser app may call a company's API only from the origins that company
listed (Company.api_origins). django-cors-headers asks this signal on every /api/ request."""

from corsheaders.signals import check_request_enabled
from django.db import connection
from django.dispatch import receiver


def allowed_origins(company) -> set[str]:
    return {line.strip().rstrip("/") for line in (company.api_origins or "").splitlines()
            if line.strip()}


@receiver(check_request_enabled, dispatch_uid="api.cors.company_origins")
def company_origin_allowed(sender, request, **kwargs) -> bool:
    if not request.path_info.startswith("/api/"):
        return False
    company = getattr(request, "tenant", None) or getattr(connection, "tenant", None)
    origin = request.headers.get("origin", "").rstrip("/")
    return bool(company is not None and hasattr(company, "api_origins")
                and origin in allowed_origins(company))
