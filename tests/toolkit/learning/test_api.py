"""The learning API: my courses, a course, opening a lesson, heartbeats, an exam that carries
no answers until submitted, my hours; another member's attempt is not mine."""

import json

from django.test import Client
from django_tenants.utils import schema_context

from tenants.models import Company
from tests.toolkit.api.conftest import api_login
from tests.toolkit.learning.conftest import deliver
from tests.toolkit.learning.helpers import enrolled
from toolkit.learning.models import LessonProgress

HOST = "alpha.localhost"


def test_member_takes_a_course_through_the_api(org_a, built, api):
    member, other = org_a.members[2], org_a.members[3]
    enrolled(built, member)
    token = api_login(Client(), HOST, member.user.mobile)
    mine = api("get", HOST, "/api/v1/learning/courses/", token)
    assert mine.status_code == 200
    assert [c["course_id"] for c in mine.json()] == [built.course.pk]
    base = f"/api/v1/learning/courses/{built.course.pk}/"
    detail = api("get", HOST, base, token).json()
    assert [lesson["kind"] for lesson in detail["chapters"][0]["lessons"]] == [
        "video", "text", "exam"]
    video, text, exam = (built.lessons[k].pk for k in ("video", "text", "exam"))
    opened = api("post", HOST, f"{base}lessons/{video}/open/", token).json()
    assert opened["media_url"] == f"/learning/media/{video}/"
    assert api("post", HOST, f"{base}lessons/{text}/open/", token).json()["completed"]
    beat = api("post", HOST, f"{base}lessons/{video}/heartbeat/", token, {"position": 30})
    assert beat.status_code == 200 and beat.json()["position_seconds"] == 30
    bad = api("post", HOST, f"{base}lessons/{video}/heartbeat/", token, {"position": -5})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    attempt = api("post", HOST, f"{base}lessons/{exam}/exam/", token)
    body = attempt.json()
    assert attempt.status_code == 200 and len(body["questions"]) == 3
    assert "answer" not in json.dumps(body["questions"]) and "解析" not in attempt.content.decode()
    # Another member of the same company cannot submit it.
    other_token = api_login(Client(), HOST, other.user.mobile)
    submit = f"/api/v1/learning/attempts/{body['id']}/submit/"
    answers = {"answers": {str(q["id"]): ["0"] for q in body["questions"]}}
    assert api("post", HOST, submit, other_token, answers).status_code == 404
    result = api("post", HOST, submit, token, answers)
    assert result.status_code == 200
    assert result.json()["score"] == 100 and result.json()["marked"][0]["explanation"]
    replay = api("post", HOST, submit, token, answers)
    assert replay.status_code == 400 and replay.json()["code"] == "exam_already_submitted"
    hours = api("get", HOST, "/api/v1/learning/hours/", token).json()
    assert hours["hours"] == "2.0" and hours["required"] == "32.0"
    with schema_context("alpha"):
        assert LessonProgress.objects.filter(enrolment__member=member).count() == 3


def test_a_course_not_mine_is_404(org_a, built, api):
    deliver(built, companies=[Company.objects.get(schema_name="alpha")], audience="positions",
            positions=["secretary"])
    token = api_login(Client(), HOST, org_a.members[2].user.mobile)
    assert api("get", HOST, f"/api/v1/learning/courses/{built.course.pk}/",
               token).status_code == 404


def test_api_heartbeats_share_the_players_limit_across_lessons(org_a, built, api):
    """Beats sent for many lessons at once cannot add up to more than the player sends: the
    API counts on the page's counter (30 a minute per member, all lessons together)."""
    member = org_a.members[2]
    enrolled(built, member)
    token = api_login(Client(), HOST, member.user.mobile)
    base = f"/api/v1/learning/courses/{built.course.pk}/lessons/{built.lessons['video'].pk}/"
    answers = [api("post", HOST, f"{base}heartbeat/", token, {"position": 5 * n}).status_code
               for n in range(31)]
    assert answers[:30] == [200] * 30 and answers[30] == 429
