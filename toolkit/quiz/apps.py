from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "toolkit.quiz"
    label = "quiz"
    verbose_name = _("知识问答")
    default_auto_field = "django.db.models.BigAutoField"
