"""A company's URLs plus three probes: which backend and search path served the request and
whose members it read; a request that fails after a query; a transaction rolled back after its
first query (the one that set the search path)."""

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path

from accounts.models import User
from saas.urls_tenant import urlpatterns as company_urlpatterns


def whoami(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), current_setting('search_path')")
        pid, search_path = cursor.fetchone()
    names = sorted(User.objects.values_list("full_name", flat=True))
    return JsonResponse({"pid": pid, "search_path": search_path, "names": names})


def fails(request):
    list(User.objects.values_list("pk", flat=True)[:1])
    raise RuntimeError("mid-request")


def rolled_back(request):
    try:
        with transaction.atomic():
            list(User.objects.values_list("pk", flat=True)[:1])  # sets the search path
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 / 0")
    except Exception:
        pass
    return whoami(request)


urlpatterns = [
    path("_probe/whoami/", whoami),
    path("_probe/fails/", fails),
    path("_probe/rolled-back/", rolled_back),
    *company_urlpatterns,
]
handler500 = "saas.errors.server_error"
