"""A second delivery of the same handbook render while the first is rendering (the sweep, or
Redis giving the message back): it waits on the render's lock, then finds the version done and
renders nothing: one render, one file, one version. Two real connections, one a thread each."""

import threading
from types import SimpleNamespace

from django.core.files.storage import default_storage
from django.db import connection, connections
from django_tenants.utils import schema_context

from tests.locks import waiting_on_an_advisory_lock
from tests.toolkit.conftest import build_org
from toolkit.documents import services, tasks
from toolkit.documents.models import Edition, HandbookRender, RenderStatus


def test_a_second_delivery_waits_for_the_render_and_renders_nothing(make_company,
                                                                   committed_schemas,
                                                                   monkeypatch):
    make_company(name="甲公司", slug="alpha")
    build_org("alpha", members=2, branches=1)
    with schema_context("alpha"):
        render = HandbookRender.objects.create(edition=Edition.MEMBER)  # queued, as sent

    calls, rendering, go_on = [], threading.Event(), threading.Event()

    def held_render(**_kwargs):
        # The PDF itself is not the point: the first delivery is "laying out" until the test
        # lets it go, holding the render's lock.
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            rendering.set()
            go_on.wait(30)
        return SimpleNamespace(pdf=b"%PDF-1.4 handbook", sha256="a" * 64, pages=3, rendered=[])

    monkeypatch.setattr(services, "sections_render", held_render)
    outcomes = {}

    def deliver():
        name = threading.current_thread().name
        try:
            with schema_context("alpha"):
                outcomes[name] = tasks.handbook_render_task(render.pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[name] = error
        finally:
            connections.close_all()

    with schema_context("alpha"):  # other tests' handbooks stay in the session's MEDIA_ROOT
        before = set(default_storage.listdir("handbooks")[1]) \
            if default_storage.exists("handbooks") else set()
    first = threading.Thread(target=deliver, name="first")
    second = threading.Thread(target=deliver, name="second")
    try:
        first.start()
        assert rendering.wait(30)
        second.start()
        assert waiting_on_an_advisory_lock()  # the second queues behind the render's lock
        assert second.is_alive() and calls == ["first"]
    finally:
        go_on.set()
        first.join(30)
        second.join(30)
    assert outcomes == {"first": RenderStatus.DONE, "second": RenderStatus.DONE}
    assert calls == ["first"]  # rendered once
    with schema_context("alpha"):
        assert list(HandbookRender.objects.values_list("pk", "status")) == [
            (render.pk, RenderStatus.DONE)]  # one version, not a second
        done = HandbookRender.objects.get(pk=render.pk)
        files = set(default_storage.listdir("handbooks")[1]) - before
        assert files == {done.file.name.rsplit("/", 1)[-1]}  # one file, the version's
        assert (done.pages, done.progress) == (3, 100)
    connection.set_schema_to_public()
