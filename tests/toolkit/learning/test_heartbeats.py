"""The server decides what was watched: at most the wall-clock time since the last beat,
never beyond the length, complete at 90 %; replays are harmless."""

import datetime
import json

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from tests.toolkit.learning.helpers import enrolled
from toolkit.learning.models import HoursEntry, LessonProgress
from toolkit.learning.services import LearningRefused, lesson_heartbeat
from toolkit.points.models import LedgerEntry, RuleCode

T0 = timezone.now().replace(microsecond=0)


def _beat(enrolment, lesson, position, seconds):
    return lesson_heartbeat(enrolment=enrolment, lesson=lesson, position_seconds=position,
                            now=T0 + datetime.timedelta(seconds=seconds))


def test_credit_is_never_more_than_the_wall_clock(org_a, built):
    enrolment = enrolled(built, org_a.members[2])
    video = built.lessons["video"]  # 100 s long
    with schema_context("alpha"):
        _beat(enrolment, video, 0, 0)
        # The page claims 80 s of playback 10 s later: 10 s are credited.
        assert _beat(enrolment, video, 80, 10).watched_seconds == 10
        # A jump back to the start credits nothing, however long since.
        assert _beat(enrolment, video, 0, 100).watched_seconds == 10
        # A long pause then 10 s of playback: the position moved 10 s, 10 s are credited.
        assert _beat(enrolment, video, 10, 1000).watched_seconds == 20


def test_ninety_percent_completes_once_and_replays_are_harmless(org_a, built):
    member = org_a.members[2]
    enrolment = enrolled(built, member)
    video = built.lessons["video"]
    with schema_context("alpha"):
        beat = None
        for step in range(0, 10):
            beat = _beat(enrolment, video, step * 10, step * 10)
        assert beat.watched_seconds == 90 and beat.completed and beat.just_completed
        for _replay in range(3):
            again = _beat(enrolment, video, 90, 90)
            assert again.completed and not again.just_completed
        assert _beat(enrolment, video, 100, 200).watched_seconds == 100  # never beyond
        assert HoursEntry.objects.filter(member=member,
                                         source_ref=f"lesson:{video.uid}").count() == 1
        assert LedgerEntry.objects.filter(member=member, rule_code=RuleCode.STUDY).count() == 1


def test_eighty_nine_percent_is_not_complete(org_a, built):
    enrolment = enrolled(built, org_a.members[2])
    video = built.lessons["video"]
    with schema_context("alpha"):
        _beat(enrolment, video, 0, 0)
        for step in range(1, 10):
            beat = _beat(enrolment, video, step * 10 - (1 if step == 9 else 0), step * 10)
        assert beat.watched_seconds == 89 and not beat.completed


def test_a_lesson_of_another_course_is_refused(org_a, built, media_files):
    from tests.toolkit.learning.conftest import course_build

    enrolment = enrolled(built, org_a.members[2])
    other = course_build(title="别的课程", media=media_files)
    with schema_context("alpha"):
        try:
            _beat(enrolment, other.lessons["video"], 10, 10)
        except LearningRefused as refusal:
            assert refusal.code == "lesson_not_in_course"
        else:
            raise AssertionError("a lesson outside the course was credited")


def test_heartbeat_endpoint_credits_and_resumes(client, org_a, built):
    member = org_a.members[2]
    enrolled(built, member)
    video = built.lessons["video"]
    login(client, "alpha.localhost", member.user.username)
    url = f"/learning/course/{built.course.pk}/lesson/{video.pk}/heartbeat/"
    first = client.post(url, json.dumps({"position": 5}), content_type="application/json",
                        HTTP_HOST="alpha.localhost")
    assert first.status_code == 200 and first.json()["position"] == 5
    bad = client.post(url, "not json", content_type="application/json",
                      HTTP_HOST="alpha.localhost")
    assert bad.status_code == 400
    connection.set_schema_to_public()
    with schema_context("alpha"):
        assert LessonProgress.objects.get(lesson_id=video.pk).position_seconds == 5


def test_a_short_clip_watched_whole_completes_with_its_fractions(org_a, built):
    """A 4 s clip: the play beat at 0.3 s, the end beat at 4.0 s, 3.7 s later. Rounded down
    to whole seconds that credited 3 s, short of 90 %; the fractions count now."""
    member = org_a.members[2]
    enrolment = enrolled(built, member)
    video = built.lessons["video"]
    video.duration_seconds = 4
    video.save(update_fields=["duration_seconds"])
    with schema_context("alpha"):
        _beat(enrolment, video, 0.3, 0.3)
        beat = _beat(enrolment, video, 4.0, 4.0)
        assert beat.completed and beat.just_completed
        assert beat.watched_seconds == 4
        assert HoursEntry.objects.filter(member=member,
                                         source_ref=f"lesson:{video.uid}").count() == 1


def test_a_fraction_short_of_ninety_percent_is_not_complete(org_a, built):
    enrolment = enrolled(built, org_a.members[2])
    video = built.lessons["video"]
    video.duration_seconds = 4
    video.save(update_fields=["duration_seconds"])
    with schema_context("alpha"):
        _beat(enrolment, video, 0.5, 0.5)
        beat = _beat(enrolment, video, 4.0, 4.0)  # 3.5 s of 4 s: 87.5 %
        assert not beat.completed


def test_watching_the_first_stretch_again_does_not_count_twice(org_a, built):
    """Coverage, not time played: 50 s watched twice is 50 % of a 100 s video."""
    enrolment = enrolled(built, org_a.members[2])
    video = built.lessons["video"]  # 100 s long
    with schema_context("alpha"):
        for step in range(0, 6):
            beat = _beat(enrolment, video, step * 10, step * 10)
        assert beat.watched_seconds == 50
        _beat(enrolment, video, 0, 60)  # seeks back to the start
        for step in range(1, 6):
            beat = _beat(enrolment, video, step * 10, 60 + step * 10)
        assert beat.watched_seconds == 50 and not beat.completed
        for step in range(6, 10):  # the rest: 90 % covered now
            beat = _beat(enrolment, video, step * 10, 60 + step * 10)
        assert beat.watched_seconds == 90 and beat.just_completed


def test_the_page_takes_fractions(client, org_a, built):
    member = org_a.members[2]
    enrolled(built, member)
    video = built.lessons["video"]
    login(client, "alpha.localhost", member.user.username)
    url = f"/learning/course/{built.course.pk}/lesson/{video.pk}/heartbeat/"
    answer = client.post(url, json.dumps({"position": 5.7}), content_type="application/json",
                         HTTP_HOST="alpha.localhost")
    assert answer.status_code == 200 and answer.json()["position"] == 5
    for bad in ("NaN", "Infinity"):
        refused = client.post(url, f'{{"position": {bad}}}', content_type="application/json",
                              HTTP_HOST="alpha.localhost")
        assert refused.status_code == 400
