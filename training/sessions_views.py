"""Offline sessions on the public site: the trainer's list, new-session form, the session page
with its rotating QR code and attendance list (xlsx), and the public page a scanned code opens,
where the trainee picks their company and is sent on to its site."""

import io

import segno
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from accounts.company_hint import company_hint_of
from core.decorators import role_required
from core.errors import Refused, refusal_to_form
from core.ratelimits import configured_rate
from core.roles import Role
from tenants.selectors import company_primary_url
from training import sessions_selectors as selectors
from training import sessions_services as services
from training.sessions_forms import SessionForm
from training.sessions_xlsx import attendance_workbook

trainer_required = role_required(Role.TRAINER, Role.STAFF)
# The trainee's last pick, on the incubator's own host: the next scan lists it first.
COMPANY_COOKIE = "checkin_company"
COMPANY_COOKIE_AGE = 365 * 24 * 60 * 60


@trainer_required
def session_list(request):
    return render(request, "training/sessions/list.html",
                  {"sessions": selectors.sessions_for(user=request.user)[:100]})


@trainer_required
def session_new(request):
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(by=request.user, **form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("线下培训已创建。"))
            return redirect("training_sessions:detail", session_id=session.pk)
    return render(request, "training/sessions/new.html", {"form": form})


def _session_or_404(request, session_id):
    session = selectors.session_for(user=request.user, pk=session_id)
    if session is None:
        raise Http404  # another trainer's session: not even its existence
    return session


@trainer_required
def session_detail(request, session_id):
    session = _session_or_404(request, session_id)
    return render(request, "training/sessions/detail.html", {
        "session": session, "qr_src": _qr_data_uri(request, session),
        "attendance": selectors.attendance_of(session=session),
        "companies": services.session_companies(session=session),
    })


@trainer_required
@never_cache
def session_qr(request, session_id):
    """The code to show now, as an SVG data URI; the page's script asks every few seconds."""
    session = _session_or_404(request, session_id)
    return JsonResponse({"src": _qr_data_uri(request, session),
                         "rotate_seconds": services.QR_ROTATE_SECONDS})


def _qr_data_uri(request, session) -> str:
    url = request.build_absolute_uri(
        reverse("training_checkin", args=[services.session_qr_token(session=session)]))
    return segno.make(url, error="m").svg_data_uri(scale=6, light="#fff", xmldecl=False)


@trainer_required
def attendance_export(request, session_id):
    session = _session_or_404(request, session_id)
    book = attendance_workbook(session=session,
                               rows=selectors.attendance_of(session=session))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime(session.starts_at).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="attendance-{session.pk}-{stamp}.xlsx"'
    return response


@ratelimit(group="checkin-ip", key="ip", rate=configured_rate)  # each request checks a code
@never_cache
def checkin(request, token):
    """What a scanned code opens: the session, and the batch's companies to pick from. First
    (preselected): the company the trainee last logged in to (the signed hint its site left
    for the parent domain), else their last pick here."""
    try:
        session = services.session_from_qr_token(token=token)
    except Refused as refusal:
        return render(request, "training/sessions/checkin.html", {"refused": str(refusal)},
                      status=400)
    companies = list(services.session_companies(session=session))
    slugs = {company.slug for company in companies}
    hint = company_hint_of(request=request)
    picked = request.COOKIES.get(COMPANY_COOKIE, "")
    last = hint if hint in slugs else picked
    companies.sort(key=lambda company: company.slug != last)
    return render(request, "training/sessions/checkin.html", {
        "session": session, "companies": companies, "token": token, "last": last,
        "recognised": bool(hint) and last == hint})


@ratelimit(group="checkin-ip", key="ip", rate=configured_rate)
@never_cache
def checkin_company(request, token, slug):
    """The trainee picked their company: a link, not a form (a form's redirect to another
    host would break the CSP's form-action), which sends them to that company's site with a
    hand-off token naming it."""
    try:
        session = services.session_from_qr_token(token=token)
        company = services.session_companies(session=session).filter(slug=slug).first()
        if company is None:
            raise services.SessionRefused(_("你的公司不在本次培训的批次中，不能签到。"),
                                          code="session_company_outside_batch")
        handoff = services.session_handoff_token(token=token, company=company)
    except Refused as refusal:
        return render(request, "training/sessions/checkin.html", {"refused": str(refusal)},
                      status=400)
    site = company_primary_url(company=company, port=request.get_port()).rstrip("/")
    path = reverse("offline:checkin", args=[handoff], urlconf="saas.urls_tenant")
    response = redirect(site + path)
    response.set_cookie(COMPANY_COOKIE, company.slug, max_age=COMPANY_COOKIE_AGE,
                        httponly=True, samesite="Lax", secure=request.is_secure())
    return response
