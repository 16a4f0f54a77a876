"""Checks an uploaded file by what it is, not by what it is called."""

import filetype
from django.utils.translation import gettext as _

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
