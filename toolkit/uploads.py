"""Checks an uploaded file by what it is, not by what it is called."""

import uuid
from pathlib import PurePath

import filetype
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing.limits import storage_release
from core.errors import Refused

ALLOWED = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}
MAX_BYTES = 5 * 1024 * 1024


class UploadRefused(Refused):
    pass


def checked_upload(upload, *, allowed: set[str] = ALLOWED, max_bytes: int = MAX_BYTES) -> str:
    """The file's real content type; raises UploadRefused for a wrong type or size."""
    if upload.size > max_bytes:
        raise UploadRefused(_("“%(name)s”超过 %(mb)s MB。") % {
            "name": upload.name, "mb": max_bytes // (1024 * 1024)}, code="file_too_large")
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        raise UploadRefused(
            _("“%(name)s”不是允许的文件类型（图片或 PDF）。") % {"name": upload.name},
            code="file_type_not_allowed")
    return kind.mime


def file_write_after_commit(*, instance, field: str, upload) -> None:
    """Names `instance`'s file now and writes the upload's bytes only once the transaction
    commits: a rollback (of this service or of an outer transaction) leaves nothing on disk.
    Call it before saving the row; the name is fresh, so no other upload takes it in between."""
    file = getattr(instance, field)
    suffix = PurePath(upload.name).suffix.lower()[:10]
    file.name = file.field.generate_filename(instance, f"{uuid.uuid4().hex}{suffix}")
    storage, name, schema = file.storage, file.name, connection.schema_name

    def write():
        with schema_context(schema):
            storage.save(name, upload)

    # robust: a failed write is logged, not a 500 after the commit (the file's view answers
    # 404 for a missing file).
    transaction.on_commit(write, robust=True)


def stored_file_forget(*, file, size: int) -> None:
    """A counted file's row is deleted: its bytes leave the plan's storage in the delete's
    transaction, and the file leaves the company's storage once that commits (a rollback keeps
    both). `size` is what was counted when it was kept (0 for files kept before they counted)."""
    storage_release(size=size)
    if not file:
        return
    storage, name, schema = file.storage, file.name, connection.schema_name

    def delete():
        with schema_context(schema):
            storage.delete(name)

    transaction.on_commit(delete, robust=True)


def counted_file_released(*, file_field: str, size_field: str):
    """A post_delete receiver for a model whose files count against the plan's storage."""

    def receiver(sender, instance, **kwargs):
        stored_file_forget(file=getattr(instance, file_field),
                           size=getattr(instance, size_field) or 0)

    return receiver
