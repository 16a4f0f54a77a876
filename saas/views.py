from django.db import connection
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.models import Role
from saas import health, metrics
from tenants.selectors import company_counts_by_status


@never_cache
def healthz(request):
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable",
            "checks": {name: "ok" if ok else "down" for name, ok in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
def metrics_scrape(request):
    """Prometheus text for allowed scrapers (saas.metrics.scrape_allowed); 403 for the rest."""
    if not metrics.scrape_allowed(request):
        return HttpResponseForbidden(
            _("监控指标只对本机或持有令牌（METRICS_TOKEN）的抓取方开放。") + "\n",
            content_type="text/plain; charset=utf-8")
    from saas.celery import app

    return HttpResponse(metrics.metrics_text(app=app), content_type=metrics.CONTENT_TYPE)


def landing(request):
    if request.user.is_authenticated and request.user.role == Role.STAFF:
        return redirect("onboarding:overview")  # the staff's home
    if request.user.is_authenticated and request.user.role == Role.TRAINER:
        return redirect("training:home")  # the trainers' workspace
    return render(request, "public/landing.html", {"counts": company_counts_by_status()})


@never_cache
def floor(request):
    """The benchmarks' floor: a bare view with one query, through the same middleware (the
    company's host, its schema) as every page. bench/quiz.py and bench/load.py time the
    product's requests against it in the same run."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return JsonResponse({"ok": one == 1})
