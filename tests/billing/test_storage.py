"""Storage is a running total of every stored upload: a project report's evidence and a group's
work count like the arena's and the member lessons'; one over the quota is refused with
nothing kept (row, file, bytes); deleting a counted file's row gives its bytes back, in the
delete's transaction, and removes the file once that commits."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_tenants.utils import schema_context

from billing.entitlements import account_for
from billing.limits import PlanLimitRefused
from billing.models import BillingAccount
from tenants.models import Company
from toolkit.groups import services as groups
from toolkit.groups.models import GroupKind, Work, WorkKind
from toolkit.projects import services as projects
from toolkit.projects.models import Evidence, FigureKind, ProjectKind, Report

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200  # 208 bytes
TODAY = datetime.date.today()


def _quota(schema: str, quota: int) -> BillingAccount:
    account = account_for(Company.objects.get(schema_name=schema))
    BillingAccount.objects.filter(pk=account.pk).update(storage_quota_bytes=quota,
                                                        storage_used_bytes=0)
    return account


def _used(account) -> int:
    return BillingAccount.objects.get(pk=account.pk).storage_used_bytes


def _files(schema: str, folder: str) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / schema / folder
    return sorted(root.iterdir()) if root.exists() else []


def _project(org):
    with schema_context(org.schema):
        project = projects.project_create(
            by=org.admin, name="百县千品·存储", kind=ProjectKind.COUNTY_PRODUCTS, goal="销售",
            starts_on=TODAY - datetime.timedelta(days=3), ends_on=TODAY + datetime.timedelta(3))
        figure = projects.figure_define(by=org.admin, project=project, name="销售量",
                                        unit="斤", kind=FigureKind.WEIGHT)
        member = org.members[2]
        projects.participant_add(by=member.user, project=project, member=member)
    return project, figure, member


def _report(project, figure, member, *names):
    return projects.report_submit(
        by=member.user, project=project, occurred_on=TODAY, note="直播",
        values={figure.pk: Decimal("1")},
        files=[SimpleUploadedFile(name, PNG) for name in names])


def _work_published(org, group, capture_on_commit):
    """A group work published and committed (its file written) in alpha."""
    with schema_context(org.schema), capture_on_commit(execute=True):
        return groups.work_publish(by=org.members[0].user, group=group, kind=WorkKind.SERVICE,
                                   title="义诊", upload=SimpleUploadedFile("现场.png", PNG))


def _group(org):
    with schema_context(org.schema):
        return groups.group_create(by=org.admin, name="存储团", kind=GroupKind.INFLUENCER,
                                   theme="t", leader=org.members[0])


def test_a_project_report_over_the_quota_is_refused_with_nothing_kept(org_a):
    project, figure, member = _project(org_a)
    account = _quota("alpha", 2 * len(PNG) - 1)  # room for one file, not two
    before = _files("alpha", "project-evidence")
    with schema_context("alpha"):
        with pytest.raises(PlanLimitRefused) as refused:
            _report(project, figure, member, "甲.png", "乙.png")
        assert refused.value.code == "storage_limit_reached"
        assert not Report.objects.exists() and not Evidence.objects.exists()
    assert _files("alpha", "project-evidence") == before
    assert _used(account) == 0
    with schema_context("alpha"):
        _report(project, figure, member, "甲.png")
        assert Evidence.objects.get().size == len(PNG)
    assert _used(account) == len(PNG)


def test_a_group_work_over_the_quota_is_refused_with_nothing_kept(org_a):
    group = _group(org_a)
    account = _quota("alpha", len(PNG) - 1)
    before = _files("alpha", "group-works")
    with schema_context("alpha"), pytest.raises(PlanLimitRefused):
        groups.work_publish(by=org_a.members[0].user, group=group, kind=WorkKind.SERVICE,
                            title="义诊", upload=SimpleUploadedFile("现场.png", PNG))
    with schema_context("alpha"):
        assert not Work.objects.exists()
    assert _files("alpha", "group-works") == before
    assert _used(account) == 0
    with schema_context("alpha"):  # a work without a file takes no storage
        groups.work_publish(by=org_a.members[0].user, group=group, kind=WorkKind.ARTICLE,
                            title="心得", body="正文")
    assert _used(account) == 0


def test_deleting_a_report_gives_its_files_bytes_back_and_removes_them(
        org_a, django_capture_on_commit_callbacks):
    project, figure, member = _project(org_a)
    account = _quota("alpha", 10_000)
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        report = _report(project, figure, member, "甲.png", "乙.png")
    with schema_context("alpha"):
        paths = [Path(e.file.path) for e in Evidence.objects.filter(report=report)]
    assert _used(account) == 2 * len(PNG) and all(path.exists() for path in paths)
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        report.delete()  # its evidence goes with it (cascade)
    assert _used(account) == 0
    assert not any(path.exists() for path in paths)


def test_deleting_a_group_work_gives_its_bytes_back(org_a, django_capture_on_commit_callbacks):
    group = _group(org_a)
    account = _quota("alpha", 10_000)
    work = _work_published(org_a, group, django_capture_on_commit_callbacks)
    with schema_context("alpha"):
        path = Path(work.file.path)
    assert _used(account) == len(PNG) and path.exists()
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        work.delete()
    assert _used(account) == 0 and not path.exists()


def test_a_rolled_back_delete_keeps_the_bytes_and_the_file(
        org_a, django_capture_on_commit_callbacks):
    group = _group(org_a)
    account = _quota("alpha", 10_000)
    work = _work_published(org_a, group, django_capture_on_commit_callbacks)
    with schema_context("alpha"):
        path = Path(work.file.path)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                Work.objects.get(pk=work.pk).delete()
                raise RuntimeError("the deleting transaction fails")
        assert not callbacks and Work.objects.filter(pk=work.pk).exists()
    assert _used(account) == len(PNG) and path.exists()


class Boom(Exception):
    pass


def test_a_group_work_failing_after_its_file_leaves_no_file_and_no_bytes(
        org_a, monkeypatch, django_capture_on_commit_callbacks):
    group = _group(org_a)
    account = _quota("alpha", 10_000)
    before = _files("alpha", "group-works")

    def boom(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(Work, "save", boom)  # what work_publish does after keeping the file
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom):
            groups.work_publish(by=org_a.members[0].user, group=group, kind=WorkKind.SERVICE,
                                title="义诊", upload=SimpleUploadedFile("现场.png", PNG))
    assert _files("alpha", "group-works") == before
    assert _used(account) == 0


def test_a_project_report_failing_after_its_files_leaves_no_file_and_no_bytes(
        org_a, monkeypatch, django_capture_on_commit_callbacks):
    project, figure, member = _project(org_a)
    account = _quota("alpha", 10_000)
    before = _files("alpha", "project-evidence")

    def boom(**kwargs):
        raise Boom

    monkeypatch.setattr(projects, "points_award", boom)  # called after the evidence is kept
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom):
            _report(project, figure, member, "甲.png", "乙.png")
        assert not Evidence.objects.exists()
    assert _files("alpha", "project-evidence") == before
    assert _used(account) == 0


def test_a_report_rolled_back_by_an_outer_transaction_leaves_no_file(
        org_a, django_capture_on_commit_callbacks):
    project, figure, member = _project(org_a)
    account = _quota("alpha", 10_000)
    before = _files("alpha", "project-evidence")
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom), transaction.atomic():
            _report(project, figure, member, "甲.png")
            raise Boom  # anything after the service, in the caller's transaction
    assert _files("alpha", "project-evidence") == before
    assert _used(account) == 0


def test_a_committed_report_and_work_write_their_files(org_a,
                                                      django_capture_on_commit_callbacks):
    project, figure, member = _project(org_a)
    group = _group(org_a)
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        _report(project, figure, member, "甲.png")
        work = groups.work_publish(by=org_a.members[0].user, group=group, kind=WorkKind.SERVICE,
                                   title="义诊", upload=SimpleUploadedFile("现场.png", PNG))
    with schema_context("alpha"):
        evidence = Evidence.objects.get()
        assert evidence.name == "甲.png"
        assert Path(evidence.file.path).read_bytes() == PNG
        assert Path(Work.objects.get(pk=work.pk).file.path).read_bytes() == PNG


def test_a_file_kept_before_files_counted_gives_nothing_back(
        org_a, django_capture_on_commit_callbacks):
    """Bytes never added are not taken off: the total cannot fall below what was counted."""
    group = _group(org_a)
    account = _quota("alpha", 10_000)
    with schema_context("alpha"):
        work = groups.work_publish(by=org_a.members[0].user, group=group,
                                   kind=WorkKind.SERVICE, title="义诊",
                                   upload=SimpleUploadedFile("现场.png", PNG))
        Work.objects.filter(pk=work.pk).update(size=0)  # as a work published before
    BillingAccount.objects.filter(pk=account.pk).update(storage_used_bytes=0)
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        Work.objects.get(pk=work.pk).delete()
    assert _used(account) == 0


def test_a_replayed_hours_credit_counts_its_evidence_once(org_a):
    from toolkit.learning.hours import hours_credit
    from toolkit.learning.models import HoursEntry

    account = _quota("alpha", 10_000)
    with schema_context("alpha"):
        for _ in range(2):
            hours_credit(member=org_a.members[0], hours=Decimal("2"), source="external",
                         title="外训", occurred_on=TODAY, source_ref="external:1",
                         evidence=SimpleUploadedFile("证明.png", PNG))
        assert HoursEntry.objects.filter(source_ref="external:1").count() == 1
    assert _used(account) == len(PNG)


def test_an_hours_credit_writes_its_evidence_once_and_only_when_committed(
        org_a, django_capture_on_commit_callbacks):
    """A replayed credit (its savepoint rolled back) and a caller's rollback leave no file; the
    credit that commits writes its evidence, byte for byte."""
    from toolkit.learning.hours import hours_credit

    def credit(ref: str):
        return hours_credit(member=org_a.members[0], hours=Decimal("2"), source="external",
                            title="外训", occurred_on=TODAY, source_ref=ref,
                            evidence=SimpleUploadedFile("证明.png", PNG))

    before = _files("alpha", "hours-evidence")
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom), transaction.atomic():
            credit("external:rolled-back")
            raise Boom
    assert _files("alpha", "hours-evidence") == before
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        entry = credit("external:2")
        assert credit("external:2") is None  # the replay
    written = [path for path in _files("alpha", "hours-evidence") if path not in before]
    assert len(written) == 1 and written[0].read_bytes() == PNG
    with schema_context("alpha"):
        assert Path(entry.evidence.path) == written[0]
