from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "toolkit.learning"
    label = "learning"
    verbose_name = _("学习")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the signal receivers: learning's own, and the certificates' (offline).
        from toolkit.learning import certificates_receivers, receivers  # noqa: F401

        # Its files count against the plan's storage: a deleted row gives its bytes back.
        from toolkit.uploads import counted_file_released

        post_delete.connect(counted_file_released(file_field="media", size_field="media_bytes"),
                            sender=self.get_model("MemberLesson"), weak=False,
                            dispatch_uid="learning.member_lesson.storage")
