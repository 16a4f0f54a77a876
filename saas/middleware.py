import time

from django.core.signals import request_finished
from django.dispatch import receiver

from saas import metrics
from saas.log import request_id_from, request_id_var
from saas.views import healthz, metrics_scrape


class MetricsMiddleware:
    """Outermost: each request's time, labelled by view, method and status class (never by
    company or host: saas.metrics); and /metrics itself, answered before the host lookup, to
    allowed scrapers only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        if request.path == "/metrics":
            response = metrics_scrape(request)
        else:
            response = self.get_response(request)
        metrics.request_observe(request=request, status=response.status_code,
                                seconds=time.perf_counter() - started)
        return response


class RequestIdMiddleware:
    """First of all: the request's id (the proxy's X-Request-ID, or a new one) for every log
    line it causes (saas.log.RequestContext), and back in the response's X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Not reset on the way out: Django logs a 4xx/5xx after the middleware returns; the
        # request_finished signal below clears it.
        request.id = request_id_from(request.headers.get("X-Request-ID"))
        request_id_var.set(request.id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


@receiver(request_finished)
def _request_id_cleared(**_kwargs) -> None:
    request_id_var.set("-")


class HealthCheckMiddleware:
    """Answers /healthz before the host lookup: that lookup needs the database, and a health
    check must still answer (503) when the database is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)
