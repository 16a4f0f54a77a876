from django.apps import AppConfig


class ScaleappConfig(AppConfig):
    name = "bench.scaleapp"
    label = "scaleapp"
