from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"

    def ready(self):
        from api import cors  # noqa: F401  (connects the per-company CORS check)
