"""One company out, one company in (tenants/portability.py): the round trip is equal (row
counts per table, the points chain, media byte for byte, its public rows); a damaged archive,
another migration state or a missing shared row is refused; deleting keeps an export."""

import io
import json
import logging
import os
import tarfile
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django_tenants.utils import schema_context

from core.errors import Refused
from onboarding.models import BatchEnrolment, CompanyEvent, EventKind, IncubationBatch
from tenants import schemas, services
from tenants.models import Company, CompanyStatus
from tenants.portability import company_delete, company_export, company_import, table_counts
from tests.toolkit.conftest import build_org
from toolkit.blocks import selectors as blocks_selectors
from toolkit.blocks import services as blocks_services
from toolkit.learning.selectors import learning_settings
from toolkit.points.ledger import chain_check
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award


@pytest.fixture
def exported(make_company, committed_schemas, tmp_path):
    company = make_company(name="甲公司", slug="alpha")
    Company.objects.filter(pk=company.pk).update(api_origins="https://h5.example.com")
    org = build_org("alpha", members=4)
    with schema_context("alpha"):
        for member in org.members:
            points_award(member=member, rule=RuleCode.STUDY)
        responsible = org.members[2]
        block = blocks_services.block_create(
            by=responsible.user, responsible=responsible, name="3F 东区", scope="A1–A8 工位",
            paired=[{"name": n, "department": "生产部"} for n in ("张三", "李四", "王五")])
        blocks_services.block_transfer(block=block, by=org.members[0].user, to=org.members[0])
    CompanyEvent.objects.create(company=company, kind=EventKind.PROVISIONED, note="开通")
    _rollups_report(company)
    media = os.path.join(settings.MEDIA_ROOT, "alpha", "arena", "证据.bin")
    os.makedirs(os.path.dirname(media), exist_ok=True)
    payload = os.urandom(5000)
    with open(media, "wb") as file:
        file.write(payload)
    path = tmp_path / "alpha.tar.gz"
    call_command("company_export", "alpha", output=str(path), stdout=io.StringIO())
    return company, path, payload


def _rollups_report(company):
    """The training figures the company reported up (public rows, counts and no names)."""
    import uuid

    from training.models import CompanyCourseRollup, CompanyHoursRollup, Course

    for title, assigned in (("学习党章", 4), ("党史学习教育", 3)):
        course = Course.objects.create(title=title, category="charter", summary=title)
        CompanyCourseRollup.objects.create(
            company=company, course=course, assigned=assigned, started=3, completed=2,
            overdue=1, average_score=Decimal("87.5"), hours=Decimal("6.5"),
            stop_lesson_uid=uuid.uuid4(), stop_lesson_title="第三课 党的纪律")
    for year, on_track in ((2025, 4), (2026, 2)):
        CompanyHoursRollup.objects.create(company=company, year=year, members=4,
                                          on_track=on_track, hours=Decimal("41.5"))


def _rollups_of(company):
    from training.models import CompanyCourseRollup, CompanyHoursRollup

    courses = list(CompanyCourseRollup.objects.filter(company=company).order_by("course__title")
                   .values_list("course__title", "assigned", "started", "completed", "overdue",
                                "average_score", "hours", "stop_lesson_uid",
                                "stop_lesson_title"))
    hours = list(CompanyHoursRollup.objects.filter(company=company).order_by("year")
                 .values_list("year", "members", "on_track", "hours"))
    return courses, hours


def test_the_round_trip_is_equal(exported):
    company, path, payload = exported
    copy = company_import(path=path, slug="alpha-copy", name="甲公司副本")
    assert copy.status == CompanyStatus.ACTIVE and copy.schema_name != "alpha"
    assert table_counts(copy.schema_name) == table_counts("alpha")
    assert sum(table_counts("alpha").values()) > 50
    with schema_context(copy.schema_name):
        check = chain_check()
    assert check.intact and check.entries == 4
    with schema_context(copy.schema_name):
        blocks = blocks_selectors.chains_verify()
    assert (blocks.blocks, blocks.entries, blocks.broken) == (1, 2, [])  # the 5S chain too
    media = os.path.join(settings.MEDIA_ROOT, copy.schema_name, "arena", "证据.bin")
    with open(media, "rb") as file:
        assert file.read() == payload
    assert list(CompanyEvent.objects.filter(company=copy).values_list("kind", "note")) == [
        (EventKind.PROVISIONED, "开通")]
    assert [d.domain for d in copy.domains.all()] == [f"alpha-copy.{settings.BASE_DOMAIN}"]
    assert copy.api_origins == "https://h5.example.com"  # its H5 app keeps calling its API
    # The training roll-ups it reported up travel too, to the same courses of the catalogue.
    courses, hours = _rollups_of(copy)
    assert (courses, hours) == _rollups_of(company)
    assert [row[:2] for row in courses] == [("党史学习教育", 3), ("学习党章", 4)]
    assert hours == [(2025, 4, 4, Decimal("41.5")), (2026, 4, 2, Decimal("41.5"))]


def test_a_symbolic_link_in_the_companys_media_is_never_followed(make_company, committed_schemas,
                                                                 tmp_path):
    make_company(name="甲公司", slug="alpha")
    theirs = os.path.join(settings.MEDIA_ROOT, "beta", "uploads", "秘密.bin")
    os.makedirs(os.path.dirname(theirs), exist_ok=True)
    with open(theirs, "wb") as file:
        file.write(b"beta's secret")
    ours = os.path.join(settings.MEDIA_ROOT, "alpha", "uploads")
    os.makedirs(ours, exist_ok=True)
    os.symlink(theirs, os.path.join(ours, "link.bin"))
    os.symlink(os.path.dirname(theirs), os.path.join(ours, "folder"))
    path = tmp_path / "alpha.tar.gz"
    call_command("company_export", "alpha", output=str(path), stdout=io.StringIO())
    with tarfile.open(path) as archive:
        names = archive.getnames()
        assert not [n for n in names if "link" in n or "folder" in n]
        assert all(b"beta's secret" not in archive.extractfile(m).read()
                   for m in archive.getmembers() if m.isfile())


def _rewritten(path, tmp_path, change):
    """The archive with one member changed by `change(name, bytes) -> bytes`."""
    out = tmp_path / "changed.tar.gz"
    with tarfile.open(path) as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return out


def test_a_damaged_archive_or_another_migration_state_is_refused(exported, tmp_path):
    _company, path, _payload = exported
    damaged = _rewritten(path, tmp_path, lambda name, data: data + b"--"
                         if name == "schema.sql" else data)
    with pytest.raises(Refused) as refusal:
        company_import(path=damaged, slug="alpha-bad", name="坏")
    assert refusal.value.code == "import_checksum"

    def other_key(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migration_key"] = "0" * 32
        return json.dumps(manifest).encode()

    with pytest.raises(Refused) as refusal:
        company_import(path=_rewritten(path, tmp_path, other_key), slug="alpha-old", name="旧")
    assert refusal.value.code == "import_migrations"
    assert not Company.objects.filter(slug__in=["alpha-bad", "alpha-old"]).exists()
    assert not schemas.schema_exists("alpha_bad") and not schemas.schema_exists("alpha_old")


def test_a_schema_naming_catalogue_rows_this_installation_lacks_is_refused(
        make_company, committed_schemas, tmp_path):
    """The company's own tables point into the shared catalogue with no database constraint
    (0016): the import checks those references itself and keeps nothing when one is missing."""
    make_company(name="甲公司", slug="alpha")
    with schema_context("alpha"):
        settings_row = learning_settings()
        settings_row.remedial_course_id = 987654  # a course of the installation it came from
        settings_row.save()
    path = tmp_path / "alpha.tar.gz"
    call_command("company_export", "alpha", output=str(path), stdout=io.StringIO())
    with pytest.raises(Refused) as refusal:
        company_import(path=path, slug="alpha-elsewhere", name="别处")
    assert refusal.value.code == "import_catalogue"
    assert "learning.LearningSettings.remedial_course=987654" in str(refusal.value)
    assert not Company.objects.filter(slug="alpha-elsewhere").exists()
    assert not schemas.schema_exists("alpha_elsewhere")


def test_the_batch_is_found_by_its_name_not_by_an_id_another_installation_gave_another(
        make_company, committed_schemas, tmp_path):
    """Ids differ between installations: the archive names the batch, the import finds it by
    that name, and refuses when this installation has no batch of that name (rather than
    enrolling the company in whichever batch has the same id here)."""
    import datetime

    company = make_company(name="甲公司", slug="alpha")
    term = {"starts_on": datetime.date(2026, 9, 1), "ends_on": datetime.date(2026, 12, 31)}
    theirs = IncubationBatch.objects.create(name="2026年第一期", **term)
    BatchEnrolment.objects.create(company=company, batch=theirs)
    path = tmp_path / "alpha.tar.gz"
    call_command("company_export", "alpha", output=str(path), stdout=io.StringIO())
    # As on another installation: the id names another batch, the name another id.
    IncubationBatch.objects.filter(pk=theirs.pk).update(name="2027年第一期")
    here = IncubationBatch.objects.create(name="2026年第一期", **term)
    copy = company_import(path=path, slug="alpha-copy", name="甲公司副本")
    assert BatchEnrolment.objects.get(company=copy).batch_id == here.pk != theirs.pk

    BatchEnrolment.objects.filter(batch=here).delete()
    here.delete()
    with pytest.raises(Refused) as refusal:
        company_import(path=path, slug="alpha-third", name="甲公司三")
    assert refusal.value.code == "import_catalogue"
    assert "onboarding.BatchEnrolment.batch=2026年第一期" in str(refusal.value)
    assert not Company.objects.filter(slug="alpha-third").exists()


def test_deleting_an_archived_company_keeps_an_export_and_logs_it(exported, tmp_path, caplog):
    company, _path, _payload = exported
    with pytest.raises(Refused):
        company_delete(company=company, exports_dir=tmp_path / "exports")  # still active
    for status in (CompanyStatus.SUSPENDED, CompanyStatus.ARCHIVED):
        company = services.company_transition(company=company, to=status)
    with caplog.at_level(logging.WARNING, logger="tenants.portability"):
        kept = company_delete(company=company, exports_dir=tmp_path / "exports")
    assert kept.exists() and not schemas.schema_exists("alpha")
    assert not Company.objects.filter(slug="alpha").exists()
    assert "company deleted: slug=alpha" in caplog.text
    back = company_import(path=kept)  # the export brings it back, under its own slug
    assert back.slug == "alpha" and sum(table_counts("alpha").values()) > 50


def test_billing_invoices_and_fapiao_travel_with_their_pdf(make_company, committed_schemas,
                                                           tmp_path):
    """Invoices and 发票 hang off the billing account, not the company (a second and a third
    hop), and a 发票's PDF lives in the shared storage: all travel, the PDF in the archive with
    its checksum. The company leaves this installation and comes back from its export (the
    stripe ids are unique: one installation holds them once)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.utils import timezone

    from billing.entitlements import account_for
    from billing.models import BillingAccount, Fapiao, Invoice

    company = make_company(name="乙公司", slug="beta")
    account = account_for(company)
    at = timezone.now().replace(microsecond=0)
    paid = Invoice.objects.create(account=account, stripe_id="in_beta_paid", number="B-0001",
                                  status="paid", amount_due_fen=99900, amount_paid_fen=99900,
                                  created=at, paid_by_transfer="转账-001")
    Invoice.objects.create(account=account, stripe_id="in_beta_open", number="B-0002",
                           status="open", amount_due_fen=99900, created=at)
    pdf = b"%PDF-1.4\n" + os.urandom(4000)
    fapiao = Fapiao(invoice=paid, kind="special", title="乙公司", tax_id="91310000MA1K000000",
                    address="上海市 021-00000000", bank="工商银行 6222", number="04400000",
                    issued_at=at)
    fapiao.pdf.save("beta.pdf", ContentFile(pdf), save=True)
    fields = ["stripe_id", "number", "status", "amount_due_fen", "amount_paid_fen", "created",
              "paid_by_transfer"]
    invoices = list(Invoice.objects.filter(account=account).order_by("stripe_id")
                    .values_list(*fields))
    details = ["kind", "title", "tax_id", "address", "bank", "number", "issued_at",
               "invoice__stripe_id"]
    fapiaos = list(Fapiao.objects.filter(invoice__account=account).values_list(*details))

    here = tmp_path / "beta.tar.gz"
    company_export(company=company, path=here)
    shared = storages["shared"]
    files_before = shared.listdir("billing/fapiao")
    with pytest.raises(Refused) as refused:  # still here: its stripe ids are taken
        company_import(path=here, slug="beta-copy", name="乙公司副本")
    assert refused.value.code == "import_taken"
    assert not Company.objects.filter(slug="beta-copy").exists()
    assert shared.listdir("billing/fapiao") == files_before  # no copy of the PDF left behind

    for status in (CompanyStatus.SUSPENDED, CompanyStatus.ARCHIVED):
        company = services.company_transition(company=company, to=status)
    path = company_delete(company=company, exports_dir=tmp_path / "exports")
    with tarfile.open(path) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
    assert manifest["files"][f"public-files/{fapiao.pdf.name}"] == hashlib.sha256(
        pdf).hexdigest()
    assert not Invoice.objects.filter(stripe_id__startswith="in_beta").exists()  # gone here
    assert not shared.exists(fapiao.pdf.name)  # and its 发票's PDF with it (kept in the export)

    back = company_import(path=path)
    account = BillingAccount.objects.get(company=back)
    assert list(Invoice.objects.filter(account=account).order_by("stripe_id")
                .values_list(*fields)) == invoices
    assert list(Fapiao.objects.filter(invoice__account=account).values_list(*details)) == fapiaos
    copy = Fapiao.objects.get(invoice__account=account)
    with copy.pdf.open("rb") as handle:
        assert handle.read() == pdf  # byte for byte, from the archive
    assert Fapiao.objects.count() == 1 and Invoice.objects.count() == 2


# Staff of the exporting installation, named by public rows that travel with the company (who
# reviewed its application, revoked a certificate, adopted an offered lesson): the import keeps
# the reference only for the same account, never for a namesake (docs/decisions/0039).

@pytest.fixture
def reviewed(make_company, committed_schemas, tmp_path):
    """A company whose travelling public rows name a staff member; exported. The rows' unique
    numbers are changed afterwards, so that the archive imports on this installation beside
    the original (as another installation would take it)."""
    import datetime
    import uuid

    from django.utils import timezone

    from accounts.services import user_create
    from core.roles import Role
    from onboarding.models import Application, ApplicationStatus, Industry
    from training.models import Certificate, Course, LessonKind, OfferedLesson

    company = make_company(name="甲公司", slug="alpha")
    staff = user_create(username="staff", password="pw-123456", full_name="王晓燕",
                        role=Role.STAFF)
    batch = IncubationBatch.objects.create(name="2026年第一期", starts_on=datetime.date(2026, 9, 1),
                                           ends_on=datetime.date(2026, 12, 31))
    now = timezone.now()
    Application.objects.create(
        company_name="甲公司", credit_code="91310000MA1K00001X", industry=Industry.IT,
        contact_name="李联系", mobile="13800000000", email="a@example.com", company=company,
        preferred_batch=batch, status=ApplicationStatus.APPROVED, reviewed_by=staff,
        reviewed_at=now)
    course = Course.objects.create(title="学习党章", category="charter", summary="党章学习")
    Certificate.objects.create(number="CERT-0001", company=company, course=course,
                               holder_name="张三", hours="1.5", issued_on=now.date(),
                               revoked_at=now, revoked_by=staff)
    OfferedLesson.objects.create(
        company=company, source_uid=uuid.uuid4(), company_name="甲公司", lecturer_name="赵讲师",
        title="支部讲堂", topic="党史", kind=LessonKind.TEXT, media_type="text/html",
        adopted_at=now, adopted_by=staff)
    path = tmp_path / "alpha.tar.gz"
    company_export(company=company, path=path)
    Application.objects.filter(company=company).update(credit_code="91310000MA1K00002X")
    Certificate.objects.filter(company=company).update(number="CERT-0002")
    return staff, batch, path


def _staff_references(company):
    """(reviewed_by, revoked_by, adopted_by) ids of the company's public rows, with the names
    the rows keep as text."""
    from onboarding.models import Application
    from training.models import Certificate, OfferedLesson

    application = Application.objects.get(company=company)
    certificate = Certificate.objects.get(company=company)
    lesson = OfferedLesson.objects.get(company=company)
    assert (application.contact_name, certificate.holder_name, lesson.lecturer_name) == (
        "李联系", "张三", "赵讲师")
    return application.reviewed_by_id, certificate.revoked_by_id, lesson.adopted_by_id


def test_staff_references_keep_the_same_account_on_the_same_installation(reviewed):
    staff, batch, path = reviewed
    copy = company_import(path=path, slug="alpha-copy", name="甲公司副本")
    assert _staff_references(copy) == (staff.pk, staff.pk, staff.pk)
    assert copy.application.preferred_batch_id == batch.pk


def test_a_namesake_on_another_installation_is_not_taken_for_the_staff_member(reviewed):
    """On another installation "staff" is another person: same username, another account
    (made at another moment). The references are left empty, not pointed at them."""
    import datetime

    from accounts.models import User
    from accounts.services import user_create

    staff, batch, path = reviewed
    # As there: the account is not here (renamed: deleting a public user makes Django look for
    # its rows in company tables, absent from public), someone else has its username.
    User.objects.filter(pk=staff.pk).update(username="staff-gone")
    namesake = user_create(username="staff", password="pw-123456", full_name="另一个人")
    User.objects.filter(pk=namesake.pk).update(
        date_joined=staff.date_joined + datetime.timedelta(days=3))
    copy = company_import(path=path, slug="alpha-elsewhere", name="甲公司别处")
    assert _staff_references(copy) == (None, None, None)
    assert copy.application.preferred_batch_id == batch.pk  # a batch: by its name, as before


def _with_refs(path, tmp_path, change):
    """The archive with refs.json changed by `change(refs) -> refs`, its checksum updated."""
    import hashlib

    with tarfile.open(path) as archive:
        refs = change(json.load(archive.extractfile("refs.json")))
    data = json.dumps(refs, ensure_ascii=False).encode()

    def rewrite(name, old):
        if name == "refs.json":
            return data
        if name == "manifest.json":
            manifest = json.loads(old)
            manifest["files"]["refs.json"] = hashlib.sha256(data).hexdigest()
            return json.dumps(manifest, ensure_ascii=False).encode()
        return old

    return _rewritten(path, tmp_path, rewrite)


def test_an_archive_naming_staff_by_username_alone_leaves_the_references_empty(reviewed,
                                                                                tmp_path):
    """Archives from before 0039 name a staff member by username only: that proves no identity,
    even where the username exists (here, the very account); batches are still found by name."""
    staff, batch, path = reviewed

    def usernames_only(refs):
        users = refs[settings.AUTH_USER_MODEL]
        assert list(users) == [str(staff.pk)]
        refs[settings.AUTH_USER_MODEL] = {
            pk: user["username"] if isinstance(user, dict) else user for pk, user in users.items()}
        return refs

    copy = company_import(path=_with_refs(path, tmp_path, usernames_only), slug="alpha-old",
                          name="甲公司旧档")
    assert _staff_references(copy) == (None, None, None)
    assert copy.application.preferred_batch_id == batch.pk


def test_an_edited_date_joined_in_refs_proves_nobody_and_breaks_nothing(reviewed, tmp_path):
    """A refs.json whose date is not a date (edited by hand, damaged and re-summed) leaves the
    references empty; the import goes on."""
    staff, batch, path = reviewed

    def bad_dates(refs):
        users = refs[settings.AUTH_USER_MODEL]
        refs[settings.AUTH_USER_MODEL] = {pk: {**user, "date_joined": "yesterday"}
                                          for pk, user in users.items()}
        return refs

    copy = company_import(path=_with_refs(path, tmp_path, bad_dates), slug="alpha-bad",
                          name="甲公司坏档")
    assert _staff_references(copy) == (None, None, None)
    assert copy.application.preferred_batch_id == batch.pk
