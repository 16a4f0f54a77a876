"""An uncaught refusal becomes a message on the page the user came from, not a 500."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import Forbidden, Refused


class RefusalMiddleware:
    """A view that does not show a refusal on its own form lets it propagate to here: it is
    flashed and the user goes back to the page they came from (a same-host Referer only, else
    the home page). A Forbidden on a GET is the 403 page: there is no page to go back to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Refused):
            return None
        if isinstance(exception, Forbidden) and request.method in ("GET", "HEAD"):
            return response_for_exception(request, PermissionDenied(exception.message))
        messages.error(request, exception.message)
        return redirect(_back(request))


def _back(request) -> str:
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        # A GET refused on the very page it came from would send the browser round in a loop.
        if not (request.method == "GET" and urlsplit(referer).path == request.path):
            return referer
    return "/"
