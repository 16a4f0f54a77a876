"""Cache keys and stored files belong to the schema that made them."""

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context


def test_cache_entries_are_per_company(company_a, company_b, settings):
    with schema_context("alpha"):
        cache.set("home-stats", "甲的数字", 60)
    with schema_context("beta"):
        assert cache.get("home-stats") is None
        cache.set("home-stats", "乙的数字", 60)
    with schema_context("alpha"):
        assert cache.get("home-stats") == "甲的数字"
        assert cache.make_key("home-stats").startswith("alpha:")
    cache.delete_many(["home-stats"])
    for schema in ("alpha", "beta"):
        with schema_context(schema):
            cache.delete("home-stats")


def test_uploaded_files_live_under_the_companys_own_folder(company_a, company_b, _media_root):
    with schema_context("alpha"):
        name = default_storage.save("evidence/minutes.txt", ContentFile("甲公司会议纪要".encode()))
        path_a = default_storage.path(name)
        assert default_storage.exists(name)
    with schema_context("beta"):
        assert not default_storage.exists(name)  # the same name means beta's own folder
        path_b = default_storage.path(name)
    assert path_a.startswith(f"{_media_root}/alpha/")
    assert path_b.startswith(f"{_media_root}/beta/")
