from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "toolkit.groups"
    label = "groups"
    verbose_name = _("党员网红与党员达人")

    def ready(self):
        # Its files count against the plan's storage: a deleted row gives its bytes back.
        from toolkit.uploads import counted_file_released

        post_delete.connect(counted_file_released(file_field="file", size_field="size"),
                            sender=self.get_model("Work"), weak=False,
                            dispatch_uid="groups.work.storage")
