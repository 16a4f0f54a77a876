from saas.views import healthz


class HealthCheckMiddleware:
    """Answers /healthz before the host lookup: that lookup needs the database, and a health
    check must still answer (503) when the database is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)
