"""扫码党课 offline over the API: an app saves a lesson and syncs its queued beats with a
token; a replay counts once, another company's lesson is refused, and the member is the
token's, whatever an item says."""

import datetime
import uuid

from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from tests.toolkit.learning.helpers import enrolled
from toolkit.learning.models import LessonProgress, OfflineBeat

ALPHA, BETA = "alpha.localhost", "beta.localhost"
SYNC = "/api/v1/learning/offline-sync/"


def _items(built, lesson, positions, **extra):
    start = timezone.now()
    return [{"id": str(uuid.uuid4()), "course": built.course.pk, "lesson": lesson.pk,
             "position": p, "at": (start + datetime.timedelta(seconds=10 * i)).isoformat(),
             **extra} for i, p in enumerate(positions)]


def test_an_app_saves_and_syncs_once(org_a, built, api):
    member, other = org_a.members[2], org_a.members[3]
    enrolled(built, member)
    video = built.lessons["video"]
    token = api_login(Client(), ALPHA, member.user.mobile)
    base = f"/api/v1/learning/courses/{built.course.pk}/lessons/{video.pk}/offline/"
    assert api("post", ALPHA, base, token).status_code == 200
    items = _items(built, video, [0, 10, 20], member=other.pk)
    first = api("post", ALPHA, SYNC, token, {"items": items})
    assert first.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["accepted"] * 3
    again = api("post", ALPHA, SYNC, token, {"items": items})
    assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 3
    with schema_context("alpha"):
        assert LessonProgress.objects.get(enrolment__member=member).watched_seconds == 20
        assert not LessonProgress.objects.filter(enrolment__member=other).exists()
        assert OfflineBeat.objects.count() == 3
    bad = api("post", ALPHA, SYNC, token, {"items": "x"})
    assert bad.status_code == 400 and bad.json()["code"] == "offline_sync_invalid"
    assert api("post", ALPHA, SYNC, None, {"items": items}).status_code in (401, 403)


def test_another_companys_lesson_is_refused(org_a, org_b, built, api):
    enrolled(built, org_a.members[2])
    video = built.lessons["video"]
    token = api_login(Client(), BETA, org_b.members[2].user.mobile)
    base = f"/api/v1/learning/courses/{built.course.pk}/lessons/{video.pk}/offline/"
    refused = api("post", BETA, base, token)
    assert refused.status_code == 400 and refused.json()["code"] == "offline_lesson_not_yours"
    response = api("post", BETA, SYNC, token, {"items": _items(built, video, [0, 10])})
    assert {r["code"] for r in response.json()["results"]} == {"offline_lesson_not_yours"}
    assert api("post", BETA, f"/api/v1/learning/shared/{uuid.uuid4()}/offline/",
               token).status_code == 400
    assert api("post", BETA, "/api/v1/learning/shared/1/offline/", token).status_code == 404
    with schema_context("beta"):
        assert not OfflineBeat.objects.exists()
