"""A company's learning (its own schema): who takes which shared course, at which version, how
far they got, their attempts, and the append-only 学时 ledger. Rows point at the public
catalogue (training.*) by foreign key and never write it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from toolkit.learning.coverage import CoverageField
from toolkit.org.models import Member


class EnrolmentSource(models.TextChoices):
    DELIVERED = "delivered", _("培训中心下发")
    ADOPTED = "adopted", _("公司自选")
    REMEDIAL = "remedial", _("集中补课")


class Enrolment(models.Model):
    """One member on one course. `version` is fixed when the member starts: a newer version
    does not change under them unless a trainer moves them (training_version_move)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="enrolments")
    # Foreign keys into the public catalogue carry no database constraint (0016): catalogue
    # rows are never deleted, and a company's schema must dump and restore on its own.
    course = models.ForeignKey("training.Course", db_constraint=False,
                               on_delete=models.DO_NOTHING, related_name="+")
    version = models.ForeignKey("training.CourseVersion", db_constraint=False, null=True,
                                blank=True, on_delete=models.DO_NOTHING, related_name="+")
    source = models.CharField(_("来源"), max_length=20, choices=EnrolmentSource.choices)
    delivery = models.ForeignKey("training.Delivery", db_constraint=False, null=True,
                                 blank=True, on_delete=models.DO_NOTHING, related_name="+")
    required = models.BooleanField(_("必修"), default=False)
    opens_on = models.DateField(_("开放日期"), null=True, blank=True)
    due_on = models.DateField(_("截止日期"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(_("最高分"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the last due-date reminder

    class Meta:
        verbose_name = _("选课")
        verbose_name_plural = _("选课")
        ordering = ["-required", "due_on", "assigned_at"]
        constraints = [models.UniqueConstraint(fields=["member", "course"],
                                               name="learning_enrolment_unique")]
        indexes = [models.Index(fields=["course", "completed_at"], name="learning_enrol_course")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.course_id}"


class LessonProgress(models.Model):
    """How far a member got in one lesson. For video and audio the server credits at most the
    wall-clock time between heartbeats, as the stretch of the media it covers; the lesson
    counts as watched when ≥ 90 % of its length is covered."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey("training.Lesson", db_constraint=False,
                               on_delete=models.DO_NOTHING, related_name="+")
    position_seconds = models.PositiveIntegerField(default=0)  # where to resume
    watched_seconds = models.PositiveIntegerField(default=0)  # covered, never more than length
    coverage = CoverageField(null=True, blank=True, editable=False)  # which parts (coverage.py)
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"],
                                               name="learning_progress_unique")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.lesson_id}"


class ExamAttempt(models.Model):
    """One sitting of a quiz or exam. The drawn questions are fixed when it starts; answers for
    any other question, after the deadline, or a second submission are refused."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    lesson = models.ForeignKey("training.Lesson", db_constraint=False,
                               on_delete=models.DO_NOTHING, related_name="+")
    question_ids = models.JSONField(default=list)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.lesson_id} {self.started_at:%Y-%m-%d %H:%M}"


class HoursSource(models.TextChoices):
    ONLINE = "online", _("线上课程")
    OFFLINE = "offline", _("线下集中培训")
    EXTERNAL = "external", _("外部培训")


class HoursEntry(models.Model):
    """The 学时 ledger: append-only (a database trigger refuses UPDATE and DELETE), like the
    points ledger. A mistake is undone by a negative entry with a note."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="hours")
    source = models.CharField(_("来源"), max_length=20, choices=HoursSource.choices)
    # What earned it: "lesson:<uid>", "course:<id>", "session:<id>", or blank for external.
    source_ref = models.CharField(max_length=64, blank=True)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(Decimal("-99")),
                                            MaxValueValidator(Decimal("99"))])
    occurred_on = models.DateField(_("日期"))
    title = models.CharField(_("内容"), max_length=200)
    evidence = models.FileField(_("证明材料"), upload_to="hours-evidence/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学时记录")
        verbose_name_plural = _("学时记录")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["member", "occurred_on"], name="learning_hours_member")]
        constraints = [
            # One credit per lesson, course or session per member: a replayed heartbeat or a
            # second check-in never credits twice. External credits have no source_ref.
            models.UniqueConstraint(fields=["member", "source_ref"],
                                    condition=~models.Q(source_ref="") & models.Q(hours__gt=0),
                                    name="learning_hours_credit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.hours} {self.occurred_on}"


class LearningSettings(models.Model):
    """The company's yearly 学时 requirement; defaults are the national plan's figures."""

    member_hours = models.DecimalField(_("党员每年学时"), max_digits=5, decimal_places=1,
                                       default=Decimal("32"))
    leader_hours = models.DecimalField(_("书记和委员每年学时"), max_digits=5, decimal_places=1,
                                       default=Decimal("56"))
    remind_days_before = models.PositiveSmallIntegerField(_("截止前提醒天数"), default=3)
    # The course the monthly close's lowest-ranked members are enrolled on (集中补课).
    remedial_course = models.ForeignKey("training.Course", verbose_name=_("补课课程"),
                                        db_constraint=False, null=True, blank=True,
                                        on_delete=models.DO_NOTHING, related_name="+")

    class Meta:
        verbose_name = _("学习设置")
        verbose_name_plural = _("学习设置")

    def __str__(self) -> str:
        return f"{self.member_hours}/{self.leader_hours}"


# 共享党课: lessons the company's own members record (微党课), reviewed by the lecturer's
# branch secretary or the admin, played in the same player (toolkit/learning/member_lessons.py).

class MemberLessonStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("未通过")
    APPROVED = "approved", _("已发布")


class MemberLesson(models.Model):
    """One member's short video or audio lesson, in the company's own storage (MEDIA_ROOT/
    <schema>/). `uid` is what its stable QR code names: the id may be guessed, the uid not."""

    uid = models.UUIDField(unique=True, editable=False)
    lecturer = models.ForeignKey(Member, verbose_name=_("主讲人"), on_delete=models.PROTECT,
                                 related_name="member_lessons")
    # The lecturer's branch when it was uploaded: whose secretary reviews it.
    unit = models.ForeignKey("org.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    title = models.CharField(_("标题"), max_length=100)
    summary = models.TextField(_("简介"), max_length=1000, blank=True)
    topic = models.CharField(_("主题"), max_length=40)
    kind = models.CharField(max_length=10)  # "video" or "audio", from the file's content
    media = models.FileField(upload_to="member-lessons/")
    media_type = models.CharField(max_length=60)
    media_bytes = models.PositiveBigIntegerField(default=0)
    duration_seconds = models.PositiveIntegerField(default=0)
    status = models.CharField(_("状态"), max_length=10, choices=MemberLessonStatus.choices,
                              default=MemberLessonStatus.PENDING)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept with the views below (one UPDATE per first open / completion) so ranking is a sort.
    view_count = models.PositiveIntegerField(default=0)
    completion_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("微党课")
        verbose_name_plural = _("微党课")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-completion_count", "-view_count"],
                                name="learning_mlesson_rank")]

    def __str__(self) -> str:
        return self.title


class MemberLessonView(models.Model):
    """One member's progress on one member lesson; `sharer` is whose share link first brought
    them (never themselves)."""

    lesson = models.ForeignKey(MemberLesson, on_delete=models.CASCADE, related_name="views")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    sharer = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    position_seconds = models.PositiveIntegerField(default=0)
    watched_seconds = models.PositiveIntegerField(default=0)
    coverage = CoverageField(null=True, blank=True, editable=False)
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lesson", "member"],
                                               name="learning_mlesson_view_once")]

    def __str__(self) -> str:
        return f"{self.lesson_id}/{self.member_id}"


class MemberLessonShareCredit(models.Model):
    """The share reward, paid at most once per colleague per lesson: the database refuses a
    second row, however many requests race."""

    lesson = models.ForeignKey(MemberLesson, on_delete=models.CASCADE, related_name="+")
    viewer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    sharer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lesson", "viewer"],
                                    name="learning_mlesson_share_once"),
            models.CheckConstraint(condition=~models.Q(viewer=models.F("sharer")),
                                   name="learning_mlesson_share_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id}: {self.sharer_id} → {self.viewer_id}"


# 扫码党课 offline: a lesson saved on a member's phone, and the progress it sends back later
# (toolkit/learning/offline_lessons.py). A lesson is one of the catalogue's or a member lesson.

_ONE_LESSON = (models.Q(lesson__isnull=False, member_lesson__isnull=True)
               | models.Q(lesson__isnull=True, member_lesson__isnull=False))


class OfflineSave(models.Model):
    """A member saved a lesson for offline listening. The time bounds what progress made
    offline may claim: none from before it was saved."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    lesson = models.ForeignKey("training.Lesson", db_constraint=False, null=True, blank=True,
                               on_delete=models.DO_NOTHING, related_name="+")
    member_lesson = models.ForeignKey(MemberLesson, null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "lesson"],
                                    name="learning_offline_save_once"),
            models.UniqueConstraint(fields=["member", "member_lesson"],
                                    name="learning_offline_save_shared_once"),
            models.CheckConstraint(condition=_ONE_LESSON, name="learning_offline_save_one"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.lesson_id or self.member_lesson_id}"


class OfflineBeat(models.Model):
    """One heartbeat the phone queued while offline, by the id the phone gave it: the database
    refuses a second row, so a replayed sync counts once."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    client_id = models.UUIDField()
    lesson = models.ForeignKey("training.Lesson", db_constraint=False, null=True, blank=True,
                               on_delete=models.DO_NOTHING, related_name="+")
    member_lesson = models.ForeignKey(MemberLesson, null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="+")
    position_seconds = models.PositiveIntegerField()
    played_at = models.DateTimeField()  # the phone's clock, checked against the server's
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "client_id"],
                                    name="learning_offline_beat_once"),
            models.CheckConstraint(condition=_ONE_LESSON, name="learning_offline_beat_one"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.client_id}"
