"""Which handbook renders the sweep sends again (docs/decisions/0031)."""


def test_the_sweep_waits_an_hour_for_a_queued_render(make_company):
    """A queued render holds no lock: one merely behind a busy queue is not sent again at ten
    minutes (its copy would wait on the lock for the whole render, holding a worker); one still
    queued after an hour was lost. A rendering one with no worker is sent at ten minutes."""
    import datetime

    from django.utils import timezone
    from django_tenants.utils import schema_context

    from toolkit.documents import selectors
    from toolkit.documents.models import Edition, HandbookRender, RenderStatus

    make_company(name="甲公司", slug="alpha")
    with schema_context("alpha"):
        def render(status, minutes):
            made = HandbookRender.objects.create(edition=Edition.FULL, status=status)
            HandbookRender.objects.filter(pk=made.pk).update(
                created_at=timezone.now() - datetime.timedelta(minutes=minutes))
            return made.pk

        waiting = render(RenderStatus.QUEUED, 20)
        lost = render(RenderStatus.QUEUED, 70)
        dropped = render(RenderStatus.RENDERING, 20)
        render(RenderStatus.RENDERING, 5)
        assert waiting and selectors.renders_abandoned() == [lost, dropped]
