"""Where browsers report Content-Security-Policy violations (report-uri in settings)."""

import json
import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger("saas.csp")
MAX_REPORT_BYTES = 16_384  # a report is a few hundred bytes; anything bigger is not one


@csrf_exempt  # browsers send reports without a token
@require_POST
def csp_report(request):
    """Logs each violation (logger "saas.csp") for the operator; always answers 204."""
    # Anyone may post here: past a browser's worth of reports, an address is not logged.
    flooding = is_ratelimited(request, group="csp-report", key="ip", rate="120/10m",
                              increment=True)
    if len(request.body) <= MAX_REPORT_BYTES and not flooding:
        try:
            report = json.loads(request.body).get("csp-report", {})
        except (ValueError, AttributeError):
            report = {}
        if isinstance(report, dict) and report:
            logger.warning("CSP violation on %s: %s blocked %s", request.get_host(),
                           report.get("violated-directive", "?"), report.get("blocked-uri", "?"),
                           extra={"csp_report": report})
    return HttpResponse(status=204)
