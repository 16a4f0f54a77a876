"""共享党课: upload checks, review rights, share points (once per colleague, never for a
self-view, even when racing), rankings, and isolation (A's lessons and media are nothing on B)."""

import datetime
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from core.errors import Forbidden
from tests.toolkit.conftest import login
from toolkit.learning import member_lessons as services
from toolkit.learning import member_lessons_selectors as selectors
from toolkit.learning.models import MemberLesson, MemberLessonShareCredit, MemberLessonStatus
from toolkit.points.selectors import balance_of
from training.media_checks import MediaRefused

HOST_A, HOST_B = "alpha.localhost", "beta.localhost"


def _upload(org, member, media_files, *, data=None, name="clip.mp4", title="讲党章"):
    with schema_context(org.schema):
        return services.member_lesson_upload(
            member=member, title=title, summary="三分钟讲党章", topic="党章",
            upload=SimpleUploadedFile(name, data if data is not None else media_files["mp4"]))


def _approved(org, media_files, *, lecturer_index=2):
    """A lesson by a plain member of branch 1 (index 2), approved by branch 1's secretary."""
    lecturer = org.members[lecturer_index]
    lesson = _upload(org, lecturer, media_files)
    secretary = lecturer.unit.secretary
    with schema_context(org.schema):
        return services.member_lesson_review(lesson=lesson, by=secretary.user,
                                             decision=MemberLessonStatus.APPROVED)


def _watch(lesson, member, *, sharer=None, seconds=None):
    """Opens and beats through the lesson as the player would, in wall-clock steps."""
    view = services.member_lesson_open(lesson=lesson, member=member, sharer=sharer)
    start = timezone.now()
    length = seconds or lesson.duration_seconds
    beat = None
    for step in range(0, length + 10, 10):
        beat = services.member_lesson_heartbeat(
            lesson=lesson, member=member, position_seconds=step,
            now=start + datetime.timedelta(seconds=step))
    return view, beat


def test_upload_is_checked_by_content_size_and_length(org_a, media_files, settings):
    member = org_a.members[2]
    lesson = _upload(org_a, member, media_files)
    assert lesson.kind == "video" and lesson.duration_seconds == 4
    assert lesson.status == MemberLessonStatus.PENDING and lesson.unit_id == member.unit_id
    # stored in the company's own storage: under MEDIA_ROOT/alpha/
    with schema_context("alpha"):
        assert "/alpha/member-lessons/" in lesson.media.path
    audio = _upload(org_a, member, media_files, data=media_files["mp3"], name="a.mp3")
    assert audio.kind == "audio" and audio.media_type == "audio/mpeg"
    with pytest.raises(MediaRefused) as disguised:
        _upload(org_a, member, media_files, data=b"just some text " * 100, name="x.mp4")
    assert disguised.value.code == "media_type_not_allowed"
    services.MAX_BYTES["video"], saved = 1000, services.MAX_BYTES["video"]
    try:
        with pytest.raises(services.MemberLessonRefused) as big:
            _upload(org_a, member, media_files)
        assert big.value.code == "member_lesson_too_large"
    finally:
        services.MAX_BYTES["video"] = saved
    services.MAX_SECONDS, saved = 3, services.MAX_SECONDS
    try:
        with pytest.raises(services.MemberLessonRefused) as long:
            _upload(org_a, member, media_files)
        assert long.value.code == "member_lesson_too_long"
    finally:
        services.MAX_SECONDS = saved
    with schema_context("alpha"):
        assert MemberLesson.objects.count() == 2


def test_review_rights_and_lecturer_points(org_a, media_files):
    branch1_secretary, branch2_secretary = org_a.members[0], org_a.members[1]
    own = _upload(org_a, branch1_secretary, media_files)
    with schema_context("alpha"):
        with pytest.raises(services.MemberLessonRefused) as refused:
            services.member_lesson_review(lesson=own, by=branch1_secretary.user,
                                          decision=MemberLessonStatus.APPROVED)
        assert refused.value.code == "member_lesson_own_review"
        assert selectors.lessons_to_review(user=branch1_secretary.user).count() == 0
    lesson = _upload(org_a, org_a.members[2], media_files)  # branch 1
    with schema_context("alpha"):
        with pytest.raises(Forbidden):  # another branch's secretary
            services.member_lesson_review(lesson=lesson, by=branch2_secretary.user,
                                          decision=MemberLessonStatus.APPROVED)
        with pytest.raises(services.MemberLessonRefused) as reason:
            services.member_lesson_review(lesson=lesson, by=branch1_secretary.user,
                                          decision=MemberLessonStatus.RETURNED)
        assert reason.value.code == "member_lesson_reason_needed"
        services.member_lesson_review(lesson=lesson, by=branch1_secretary.user,
                                      decision=MemberLessonStatus.RETURNED, note="声音太小")
        assert selectors.library().count() == 0
        services.member_lesson_resubmit(lesson=MemberLesson.objects.get(pk=lesson.pk),
                                        member=org_a.members[2], title="讲党章（重录）",
                                        summary="", topic="党章")
        before = balance_of(member=org_a.members[2])
        services.member_lesson_review(lesson=lesson, by=org_a.admin,
                                      decision=MemberLessonStatus.APPROVED)
        assert balance_of(member=org_a.members[2]) == before + 10
        assert list(selectors.library()) == [MemberLesson.objects.get(pk=lesson.pk)]
        # the admin may review the secretary's own lesson
        services.member_lesson_review(lesson=own, by=org_a.admin,
                                      decision=MemberLessonStatus.REJECTED, note="离题")


def test_share_points_once_per_colleague_never_for_self(org_a, media_files):
    lesson = _approved(org_a, media_files)
    sharer, colleague, other = org_a.members[3], org_a.members[4], org_a.members[5]
    with schema_context("alpha"):
        token = services.share_token_make(lesson=lesson, sharer=sharer)
        assert services.share_sharer_of(token=token, lesson=lesson) == sharer
        assert services.share_sharer_of(token=token + "x", lesson=lesson) is None
        start = balance_of(member=sharer)
        _watch(lesson, sharer, sharer=sharer)  # a self-view through one's own link
        assert balance_of(member=sharer) == start
        _view, beat = _watch(lesson, colleague, sharer=sharer)
        assert beat.completed
        assert balance_of(member=sharer) == start + 5
        _watch(lesson, colleague, sharer=sharer)  # a repeat earns nothing
        services.share_credit(lesson=lesson, viewer=colleague, sharer_id=sharer.pk)
        assert balance_of(member=sharer) == start + 5
        # opening without watching earns nothing
        services.member_lesson_open(lesson=lesson, member=other, sharer=sharer)
        assert balance_of(member=sharer) == start + 5
        lesson.refresh_from_db()
        # the lecturer's own view is not counted; sharer and colleague are
        assert (lesson.view_count, lesson.completion_count) == (3, 2)


@pytest.mark.django_db(transaction=True)
def test_racing_share_credits_pay_once(committed_schemas, org_a, media_files):
    lesson = _approved(org_a, media_files)
    sharer, colleague = org_a.members[3], org_a.members[4]
    paid = []

    def credit():
        try:
            with schema_context("alpha"):
                paid.append(services.share_credit(lesson=lesson, viewer=colleague,
                                                  sharer_id=sharer.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=credit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(paid) == [False] * 5 + [True]
    with schema_context("alpha"):
        assert MemberLessonShareCredit.objects.count() == 1
        assert balance_of(member=sharer) == 5


def test_pages_and_isolation(client, org_a, org_b, media_files):
    lesson = _approved(org_a, media_files)
    login(client, HOST_A, org_a.members[4].user.username)
    page = client.get("/learning/shared/", HTTP_HOST=HOST_A)
    assert page.status_code == 200 and lesson.title in page.content.decode()
    detail = client.get(f"/learning/shared/{lesson.uid}/", HTTP_HOST=HOST_A)
    assert detail.status_code == 200 and "?s=" in detail.content.decode()
    media = client.get(f"/learning/shared/{lesson.uid}/media/", HTTP_HOST=HOST_A,
                       HTTP_RANGE="bytes=0-99")
    assert media.status_code == 206 and media["Content-Range"].startswith("bytes 0-99/")
    assert client.get(f"/learning/l/{lesson.uid}/", HTTP_HOST=HOST_A).status_code == 302
    client.logout()
    login(client, HOST_B, org_b.members[4].user.username)
    for url in (f"/learning/shared/{lesson.uid}/", f"/learning/shared/{lesson.uid}/media/",
                f"/learning/l/{lesson.uid}/"):
        assert client.get(url, HTTP_HOST=HOST_B).status_code == 404, url
    assert lesson.title not in client.get("/learning/shared/", HTTP_HOST=HOST_B
                                          ).content.decode()
    login(client, HOST_B, "admin")
    assert client.get(f"/learning/shared/{lesson.uid}/qr.pdf",
                      HTTP_HOST=HOST_B).status_code == 404


def test_pending_lessons_are_hidden_from_colleagues(client, org_a, media_files):
    lesson = _upload(org_a, org_a.members[2], media_files)
    login(client, HOST_A, org_a.members[4].user.username)
    assert client.get(f"/learning/shared/{lesson.uid}/media/",
                      HTTP_HOST=HOST_A).status_code == 404
    client.logout()
    login(client, HOST_A, org_a.members[0].user.username)  # branch 1's secretary
    assert client.get(f"/learning/shared/{lesson.uid}/", HTTP_HOST=HOST_A).status_code == 200
    response = client.post(f"/learning/shared/{lesson.uid}/review/",
                           {"decision": "approved", "note": ""}, HTTP_HOST=HOST_A)
    assert response.status_code == 302
    with schema_context("alpha"):
        assert MemberLesson.objects.get(pk=lesson.pk).status == MemberLessonStatus.APPROVED


def test_upload_page_takes_a_phone_recording(client, org_a, media_files):
    login(client, HOST_A, org_a.members[3].user.username)
    response = client.post("/learning/shared/upload/", {
        "title": "我的微党课", "topic": "三会一课", "summary": "",
        "media": SimpleUploadedFile("rec.mp3", media_files["mp3"])}, HTTP_HOST=HOST_A)
    assert response.status_code == 302
    refused = client.post("/learning/shared/upload/", {
        "title": "伪装", "topic": "三会一课", "summary": "",
        "media": SimpleUploadedFile("rec.mp4", b"<html>not a video</html>" * 50)},
        HTTP_HOST=HOST_A)
    assert refused.status_code == 200
    with schema_context("alpha"):
        assert list(MemberLesson.objects.values_list("title", flat=True)) == ["我的微党课"]


def test_time_paused_or_credited_already_does_not_count_as_watched(org_a, media_files):
    """As in the training player: a beat credits at most how far the position moved (a
    paused phone beating at one place for minutes completes nothing, and earns its sharer
    nothing), and a beat older than the last one (an offline sync of a stretch already
    watched online) credits nothing."""
    lesson = _approved(org_a, media_files)  # 4 s long
    sharer, colleague = org_a.members[3], org_a.members[4]
    with schema_context("alpha"):
        start_points = balance_of(member=sharer)
        services.member_lesson_open(lesson=lesson, member=colleague, sharer=sharer)
        t0 = timezone.now()
        for step in range(0, 300, 20):  # paused at 1 s: five minutes of play/pause beats
            beat = services.member_lesson_heartbeat(
                lesson=lesson, member=colleague, position_seconds=1,
                now=t0 + datetime.timedelta(seconds=step))
        assert beat.watched == 0 and not beat.completed
        # plays 1 s → 3 s: two seconds credited
        beat = services.member_lesson_heartbeat(lesson=lesson, member=colleague,
                                                position_seconds=3,
                                                now=t0 + datetime.timedelta(seconds=302))
        assert beat.watched == 2
        # beats dated back in the paused stretch (a late offline sync) credit nothing more
        for back, position in ((100, 1), (102, 3), (104, 4)):
            beat = services.member_lesson_heartbeat(
                lesson=lesson, member=colleague, position_seconds=position,
                now=t0 + datetime.timedelta(seconds=back))
        assert beat.watched == 2 and not beat.completed
        assert balance_of(member=sharer) == start_points


def test_a_returned_lesson_is_mended_and_sent_again_from_its_page(client, org_a, media_files):
    """Return with a reason means the lecturer can mend it: their returned lesson's page has
    the form, which sends it back to the secretary's queue; nobody else can resubmit it."""
    lecturer, colleague = org_a.members[2], org_a.members[4]
    lesson = _upload(org_a, lecturer, media_files)
    with schema_context("alpha"):
        services.member_lesson_review(lesson=lesson, by=lecturer.unit.secretary.user,
                                      decision=MemberLessonStatus.RETURNED, note="标题不准确")
    url = f"/learning/shared/{lesson.uid}/"
    login(client, HOST_A, colleague.user.username)
    assert client.post(url + "resubmit/", {"title": "冒改", "topic": "党章"},
                       HTTP_HOST=HOST_A).status_code == 404
    client.logout()
    login(client, HOST_A, lecturer.user.username)
    page = client.get(url, HTTP_HOST=HOST_A).content.decode()
    assert "标题不准确" in page and 'id="resubmit-form"' in page
    sent = client.post(url + "resubmit/", {"title": "讲党章（修订）", "topic": "党章",
                                           "summary": "三分钟"}, HTTP_HOST=HOST_A)
    assert sent.status_code == 302 and sent.url == url
    connection.set_schema_to_public()
    with schema_context("alpha"):
        lesson.refresh_from_db()
        assert (lesson.status, lesson.title) == (MemberLessonStatus.PENDING, "讲党章（修订）")
        assert lesson in selectors.lessons_to_review(user=lecturer.unit.secretary.user)
    page = client.get(url, HTTP_HOST=HOST_A).content.decode()
    assert 'id="resubmit-form"' not in page  # pending again: nothing to resubmit


def test_a_whole_watch_counts_its_fractions_and_a_replay_counts_once(org_a, media_files):
    """The 4 s lesson: its first 2 s watched twice are 2 s, not 4 s; then a play from 2.4 s
    to the end (1.6 s, as fractions) makes it whole. Whole seconds, rounded down per beat,
    credited 1 s for that last stretch."""
    lesson = _approved(org_a, media_files)  # 4 s long
    sharer, colleague = org_a.members[3], org_a.members[4]
    with schema_context("alpha"):
        start_points = balance_of(member=sharer)
        services.member_lesson_open(lesson=lesson, member=colleague, sharer=sharer)
        t0 = timezone.now()

        def beat(position, at):
            return services.member_lesson_heartbeat(
                lesson=lesson, member=colleague, position_seconds=position,
                now=t0 + datetime.timedelta(seconds=at))

        beat(0, 0)
        assert beat(2, 2).watched == 2
        beat(0, 3)  # back to the start
        assert beat(2, 5).watched == 2  # the same two seconds again
        beat(2.4, 10)  # plays on from 2.4 s after a pause
        last = beat(4.0, 11.6)
        assert last.watched == 4 and last.completed  # 2 s + 1.6 s of 4 s: 90 %
        assert balance_of(member=sharer) > start_points
