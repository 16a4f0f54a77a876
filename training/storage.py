"""Where the shared catalogue's files live: once, outside every company's media folder.

The default storage is per company (MEDIA_ROOT/<schema>/…); a course delivered to 200 companies
must not be stored 200 times, so catalogue media use the "shared" storage alias. Its files have
no public URL: a company's member opens them through a view that checks the course is delivered
to or adopted by that company (docs/decisions/0016-shared-training.md)."""

from django.core.files.storage import storages


def shared_storage():
    return storages["shared"]
