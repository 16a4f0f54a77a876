"""今天我来当书记: an acting secretary holds the unit's secretary's rights for their month only
(Asia/Shanghai), over the unit and its 党小组; the committee's, over the whole committee."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context

from core.errors import Forbidden
from toolkit.acting import services
from toolkit.org.models import ActingSecretary, OrgUnit, UnitKind
from toolkit.org.selectors import managed_unit_ids, unit_managed_by

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Appointed in November for December; the clock is passed to the rule as `at`.
NOVEMBER = datetime.datetime(2026, 11, 20, 10, tzinfo=SHANGHAI)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def test_rights_hold_to_the_last_second_of_the_month_in_shanghai_and_not_after(org_a):
    m = org_a.members
    branch = org_a.branches[0]
    with schema_context("alpha"):
        group = OrgUnit.objects.create(name="第一党小组", kind=UnitKind.GROUP, parent=branch)
        services.acting_appoint(unit=branch, member=m[2], month=datetime.date(2026, 12, 1),
                                by=org_a.admin, at=NOVEMBER)
        user = m[2].user
        assert managed_unit_ids(user=user, at=at(2026, 11, 30, 23, 59, 59)) == []
        assert sorted(managed_unit_ids(user=user, at=at(2026, 12, 1, 0, 0, 0))) == sorted(
            [branch.pk, group.pk])
        assert unit_managed_by(user=user, unit_id=group.pk, at=at(2026, 12, 31, 23, 59, 59))
        assert not unit_managed_by(user=user, unit_id=branch.pk, at=at(2027, 1, 1, 0, 0, 0))
        # The same instants in UTC: the month is Shanghai's, not the server's.
        utc_last = at(2026, 12, 31, 23, 59, 59).astimezone(datetime.UTC)  # 15:59:59 UTC
        assert utc_last.day == 31 and unit_managed_by(user=user, unit_id=branch.pk, at=utc_last)
        utc_after = at(2027, 1, 1, 0, 0, 0).astimezone(datetime.UTC)  # still the 31st in UTC
        assert utc_after.day == 31 and not unit_managed_by(user=user, unit_id=branch.pk,
                                                           at=utc_after)
        # Nothing beyond the branch: the other branch stays its own secretary's.
        december = at(2026, 12, 15, 12)
        assert not unit_managed_by(user=user, unit_id=org_a.branches[1].pk, at=december)
        assert not unit_managed_by(user=user, unit_id=org_a.committee.pk, at=december)


def test_the_committees_acting_secretary_runs_the_whole_committee_that_month(org_a):
    m = org_a.members
    with schema_context("alpha"):
        services.acting_appoint(unit=org_a.committee, member=m[5],
                                month=datetime.date(2026, 12, 1), by=org_a.admin, at=NOVEMBER)
        every = sorted(OrgUnit.objects.values_list("id", flat=True))
        assert sorted(managed_unit_ids(user=m[5].user, at=at(2026, 12, 9))) == every
        assert managed_unit_ids(user=m[5].user, at=at(2027, 1, 1)) == []


def test_a_secretary_who_also_acts_keeps_their_own_unit(org_a):
    m = org_a.members
    with schema_context("alpha"):
        services.acting_appoint(unit=org_a.committee, member=m[0],
                                month=datetime.date(2026, 12, 1), by=org_a.admin, at=NOVEMBER)
        assert managed_unit_ids(user=m[0].user, at=at(2027, 1, 1)) == [org_a.branches[0].pk]


def test_one_per_unit_per_month_enforced_by_the_database(org_a):
    m = org_a.members
    month = datetime.date(2026, 12, 1)
    with schema_context("alpha"):
        ActingSecretary.objects.create(unit=org_a.branches[0], member=m[2], month=month)
        with pytest.raises(IntegrityError), transaction.atomic():
            ActingSecretary.objects.create(unit=org_a.branches[0], member=m[4], month=month)
        with pytest.raises(IntegrityError), transaction.atomic():
            ActingSecretary.objects.create(unit=org_a.committee, member=m[2], month=month)
        with pytest.raises(IntegrityError), transaction.atomic():
            ActingSecretary.objects.create(unit=org_a.committee, member=m[3],
                                           month=datetime.date(2026, 12, 2))
        with pytest.raises(services.ActingRefused) as refused:
            services.acting_appoint(unit=org_a.branches[0], member=m[4], month=month,
                                    by=org_a.admin, at=NOVEMBER)
        assert refused.value.code == "acting_month_taken"


def test_only_the_committee_office_appoints_and_members_act_for_their_own_branch(org_a):
    m = org_a.members
    month = datetime.date(2026, 12, 1)
    with schema_context("alpha"):
        with pytest.raises(Forbidden):  # a branch secretary is not the committee office
            services.acting_appoint(unit=org_a.branches[0], member=m[2], month=month,
                                    by=m[0].user, at=NOVEMBER)
        with pytest.raises(services.ActingRefused) as refused:
            services.acting_appoint(unit=org_a.branches[1], member=m[2], month=month,
                                    by=org_a.admin, at=NOVEMBER)
        assert refused.value.code == "acting_unit_not_yours"
        with pytest.raises(services.ActingRefused) as refused:
            services.acting_appoint(unit=org_a.branches[0], member=m[2],
                                    month=datetime.date(2026, 10, 1), by=org_a.admin, at=NOVEMBER)
        assert refused.value.code == "acting_month_past"


def test_the_committees_acting_secretary_holds_the_committee_secretarys_rights_only(org_a):
    from toolkit.indices.selectors import may_confirm
    from toolkit.org.selectors import committee_office, committee_secretary_rights

    m = org_a.members
    with schema_context("alpha"):
        services.acting_appoint(unit=org_a.committee, member=m[5],
                                month=datetime.date(2026, 12, 1), by=org_a.admin, at=NOVEMBER)
        assert committee_secretary_rights(user=m[5].user, at=at(2026, 12, 31, 23, 59, 59))
        assert not committee_secretary_rights(user=m[5].user, at=at(2027, 1, 1))
        assert not committee_secretary_rights(user=m[2].user, at=at(2026, 12, 9))
        assert not committee_office(user=m[5].user)  # choosing who acts is not passed on
        assert may_confirm(user=org_a.admin) and not may_confirm(user=m[0].user)


def test_a_unit_with_acting_secretaries_on_record_is_not_deleted(org_a):
    from toolkit.org.services import OrgRefused, unit_delete

    with schema_context("alpha"):
        group = OrgUnit.objects.create(name="第一党小组", kind=UnitKind.GROUP,
                                       parent=org_a.branches[0])
        ActingSecretary.objects.create(unit=group, member=org_a.members[2],
                                       month=datetime.date(2026, 12, 1))
        with pytest.raises(OrgRefused) as refused:
            unit_delete(unit=group)
        assert refused.value.code == "unit_has_acting_secretaries"
