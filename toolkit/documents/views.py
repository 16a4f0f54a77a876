from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.decorators import company_admin_required
from tenants.selectors import current_company
from toolkit.documents import selectors, services
from toolkit.documents.models import Edition, HandbookRender
from toolkit.documents.portability import portability_pdf, portability_xlsx
from toolkit.org.access import company_user_required


@company_user_required
def handbook(request):
    """The admin: every version, progress, re-render. Members: the members' edition."""
    if request.user.is_company_admin:
        return render(request, "documents/handbook_admin.html", {
            "renders": selectors.renders()[:30],
            "current": selectors.current_render(edition=Edition.FULL),
            "current_member": selectors.current_render(edition=Edition.MEMBER),
        })
    return render(request, "documents/handbook_member.html", {
        "current": selectors.current_render(edition=Edition.MEMBER)})


@company_admin_required
@require_POST
def handbook_rerender(request):
    for edition in (Edition.FULL, Edition.MEMBER):
        services.handbook_request(edition=edition, by=request.user)
    messages.success(request, _("已开始生成新版本。"))
    return redirect("documents:handbook")


@company_admin_required
@require_POST
def handbook_retry(request, render_id):
    services.handbook_retry(render=get_object_or_404(HandbookRender, pk=render_id))
    messages.success(request, _("已重新开始生成。"))
    return redirect("documents:handbook")


@company_admin_required
@never_cache
def handbook_progress(request, render_id):
    """A small JSON for static/js/progress.js: {progress, step, status}."""
    found = get_object_or_404(HandbookRender, pk=render_id)
    return JsonResponse({"progress": found.progress, "step": found.step,
                         "status": "running" if found.running else found.status})


@company_user_required
def handbook_download(request, render_id):
    found = get_object_or_404(HandbookRender, pk=render_id)
    if not selectors.render_downloadable_by(user=request.user, render=found):
        raise PermissionDenied
    name, data = services.handbook_download(render=found, user=request.user)
    return pdf_response(name, data)


@company_user_required
def handbook_current(request):
    """The latest members' edition (a stable link for members)."""
    found = selectors.current_render(edition=Edition.MEMBER)
    if found is None:
        raise Http404
    return handbook_download(request, found.pk)


def pdf_response(name: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@company_admin_required
def data_export_xlsx(request):
    """The company's own data, every table a sheet (toolkit/documents/portability.py)."""
    response = HttpResponse(portability_xlsx(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    name = _("本公司数据-%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y%m%d}"}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@company_admin_required
def data_export_pdf(request):
    name = _("本公司数据-%(date)s.pdf") % {"date": f"{timezone.localdate():%Y%m%d}"}
    return pdf_response(name, portability_pdf(company_name=current_company().name))
