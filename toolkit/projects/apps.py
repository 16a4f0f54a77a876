from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "toolkit.projects"
    label = "projects"
    verbose_name = _("服务项目")

    def ready(self):
        # Its files count against the plan's storage: a deleted row gives its bytes back.
        from toolkit.uploads import counted_file_released

        post_delete.connect(counted_file_released(file_field="file", size_field="size"),
                            sender=self.get_model("Evidence"), weak=False,
                            dispatch_uid="projects.evidence.storage")
