"""The demo's 共享党课: a few short member lessons (video and audio made with ffmpeg at seed
time, a few seconds each), approved by their branch secretaries, with some views through a
share link, so the library, the rankings and the points have something to show."""

import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files import File
from django.utils import timezone

from accounts.models import Role, User
from toolkit.learning import member_lessons as services
from toolkit.learning.models import MemberLesson, MemberLessonStatus
from toolkit.org.models import Member

LESSONS = [  # title, topic, summary, kind, ffmpeg source
    ("三分钟讲清“三会一课”", "三会一课",
     "支部党员大会、支部委员会、党小组会和党课，各自多久开一次。", "video",
     "testsrc=size=320x240:rate=15:duration=6"),
    ("入党誓词里的八个“要”", "党章", "逐句讲入党誓词，结合身边的例子。", "audio",
     "sine=frequency=330:duration=6"),
    ("党费怎么交、交多少", "党费", "按月工资基数计算党费的比例，一张表看懂。", "video",
     "testsrc2=size=320x240:rate=15:duration=6"),
]


def member_lessons_demo_ensure() -> None:
    if MemberLesson.objects.exists() or not shutil.which("ffmpeg"):
        return
    members = list(Member.objects.select_related("user", "unit__secretary__user")
                   .filter(unit__isnull=False).order_by("id"))
    admin = User.objects.get(role=Role.COMPANY_ADMIN)
    if len(members) < 4:
        return
    with tempfile.TemporaryDirectory() as folder:
        for index, (title, topic, summary, kind, source) in enumerate(LESSONS):
            path = Path(folder) / f"lesson{index}.{'mp4' if kind == 'video' else 'mp3'}"
            extra = ["-pix_fmt", "yuv420p", "-movflags", "+faststart"] if kind == "video" \
                else ["-b:a", "32k"]
            subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", source, *extra,
                            str(path)], check=True, timeout=60)
            lecturer = members[-(index + 1)]
            with path.open("rb") as handle:
                lesson = services.member_lesson_upload(
                    member=lecturer, title=title, summary=summary, topic=topic,
                    upload=File(handle, name=path.name))
            secretary = lecturer.unit.secretary
            reviewer = secretary.user if secretary and secretary.pk != lecturer.pk else admin
            lesson = services.member_lesson_review(lesson=lesson, by=reviewer,
                                                   decision=MemberLessonStatus.APPROVED)
            _views(lesson, lecturer, members[: len(members) - index - 1][: 3 - index])


def _views(lesson, lecturer, viewers) -> None:
    """The first viewer shares it; the others watch through their link."""
    if not viewers:
        return
    sharer = viewers[0]
    start = timezone.now() - datetime.timedelta(hours=2)
    for viewer in viewers:
        services.member_lesson_open(lesson=lesson, member=viewer,
                                    sharer=sharer if viewer.pk != sharer.pk else None)
        for step in range(0, lesson.duration_seconds + 10, 5):
            services.member_lesson_heartbeat(lesson=lesson, member=viewer, position_seconds=step,
                                             now=start + datetime.timedelta(seconds=step))
