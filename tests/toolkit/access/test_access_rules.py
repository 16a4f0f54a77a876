"""The access rules beside the selectors, one test per rule: pages, services and templates all
ask these, so what they answer is what every face of the site does.

In org_a: members[0] and [1] are the secretaries of branches[0] and [1]; members[2] and [4]
are in branches[0], members[3] and [5] in branches[1]; `admin` is the company admin."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django_tenants.utils import schema_context

from toolkit.arena import selectors as arena
from toolkit.arena import services as arena_services
from toolkit.arena.models import Claim, Evidence
from toolkit.life import selectors as life
from toolkit.life import services as life_services
from toolkit.life.models import LeaveRequest, MeetingKind
from toolkit.org import selectors as org


def _meeting(org_a, unit):
    start = timezone.now() + datetime.timedelta(days=1)
    return life_services.meeting_create(
        unit=unit, kind=MeetingKind.BRANCH_ASSEMBLY, title="支部党员大会", starts_at=start,
        ends_at=start + datetime.timedelta(hours=1), by=org_a.admin)


def test_a_unit_is_managed_by_its_secretary_and_the_admin_only(org_a):
    with schema_context("alpha"):
        branch, other = org_a.branches
        assert org.unit_managed_by(user=org_a.admin, unit_id=other.pk)
        assert org.unit_managed_by(user=org_a.members[0].user, unit_id=branch.pk)
        assert not org.unit_managed_by(user=org_a.members[0].user, unit_id=other.pk)
        assert not org.unit_managed_by(user=org_a.members[2].user, unit_id=branch.pk)
        assert not org.unit_managed_by(user=org_a.admin, unit_id=None)
        assert org.manages_any_unit(user=org_a.members[1].user)
        assert not org.manages_any_unit(user=org_a.members[3].user)


def test_a_member_of_another_branch_cannot_see_the_meeting(org_a):
    with schema_context("alpha"):
        meeting = _meeting(org_a, org_a.branches[0])
        committee_lesson = _meeting(org_a, org_a.committee)
        mine, other_branch = org_a.members[2].user, org_a.members[3].user
        assert life.meeting_visible_to(user=mine, meeting=meeting)
        assert not life.meeting_visible_to(user=other_branch, meeting=meeting)
        assert not life.meeting_visible_to(user=org_a.members[1].user, meeting=meeting)
        assert life.meeting_visible_to(user=org_a.admin, meeting=meeting)
        # A committee's meeting is every branch's member's too.
        assert life.meeting_visible_to(user=other_branch, meeting=committee_lesson)
        assert set(life.meetings_visible_to(user=other_branch)) == {committee_lesson}
        assert set(life.meetings_visible_to(user=mine)) == {meeting, committee_lesson}


def test_a_meeting_is_run_by_whoever_manages_its_unit(org_a):
    with schema_context("alpha"):
        meeting = _meeting(org_a, org_a.branches[0])
        for rule in (life.meeting_managed_by, life.attendance_recordable_by):
            assert rule(user=org_a.members[0].user, meeting=meeting)
            assert rule(user=org_a.admin, meeting=meeting)
            assert not rule(user=org_a.members[1].user, meeting=meeting)  # another secretary
            assert not rule(user=org_a.members[2].user, meeting=meeting)  # a member of it


def test_leave_is_decided_by_the_meetings_secretary_not_another(org_a):
    with schema_context("alpha"):
        meeting = _meeting(org_a, org_a.branches[0])
        leave = LeaveRequest.objects.create(meeting=meeting, member=org_a.members[2],
                                            reason="出差")
        assert life.leave_decidable_by(user=org_a.members[0].user, leave=leave)
        assert not life.leave_decidable_by(user=org_a.members[1].user, leave=leave)
        assert not life.leave_decidable_by(user=org_a.members[4].user, leave=leave)


@pytest.fixture
def evidence(org_a):
    with schema_context("alpha"):
        task = arena_services.task_publish(
            publisher=org_a.branches[0], title="整理党员档案", description="", points=20,
            deadline=timezone.now() + datetime.timedelta(days=3), places=2,
            by=org_a.members[0].user)
        claim = arena_services.task_claim(task=task, member=org_a.members[2])
        return Evidence.objects.create(claim=claim, name="照片.png", content_type="image/png",
                                       size=1, file="arena/evidence/x.png")


def test_evidence_only_for_its_owner_and_the_tasks_reviewers(org_a, evidence):
    with schema_context("alpha"):
        evidence = Evidence.objects.select_related("claim__task").get(pk=evidence.pk)
        allowed = {org_a.members[2].user, org_a.members[0].user, org_a.admin}
        for user in [org_a.admin] + [m.user for m in org_a.members]:
            assert arena.evidence_downloadable_by(user=user, evidence=evidence) == (
                user in allowed), user
        assert not arena.evidence_downloadable_by(user=AnonymousUser(), evidence=evidence)


def test_tasks_are_published_closed_and_reviewed_by_the_units_managers(org_a, evidence):
    with schema_context("alpha"):
        claim = Claim.objects.select_related("task").get(pk=evidence.claim_id)
        secretary, other_secretary = org_a.members[0].user, org_a.members[1].user
        assert arena.task_publishable_by(user=secretary, unit=org_a.branches[0])
        assert not arena.task_publishable_by(user=secretary, unit=org_a.branches[1])
        assert not arena.task_publishable_by(user=org_a.members[2].user, unit=org_a.branches[0])
        assert arena.task_managed_by(user=secretary, task=claim.task)
        assert not arena.task_managed_by(user=other_secretary, task=claim.task)
        assert arena.claim_reviewable_by(user=org_a.admin, claim=claim)
        assert not arena.claim_reviewable_by(user=other_secretary, claim=claim)
