from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "toolkit.documents"
    label = "documents"
    verbose_name = _("党建工具包手册")

    def ready(self):
        from celery.signals import worker_process_init

        from toolkit.documents.services import documents_warm

        # Each worker process loads the renderer once when it starts, not in a user's render.
        worker_process_init.connect(documents_warm, weak=False,
                                    dispatch_uid="documents_warm")
