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

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="enrolments")
    # Foreign keys into the public catalogue carry no database constraint (0016): catalogue
    # rows are never deleted, and a company's schema must dump and restore on its own.
    course = models.ForeignKey("training.Course", verbose_name=_("课程"), db_constraint=False,
                               on_delete=models.DO_NOTHING, related_name="+")
    version = models.ForeignKey("training.CourseVersion", verbose_name=_("课程版本"),
                                db_constraint=False, null=True, blank=True,
                                on_delete=models.DO_NOTHING, related_name="+")
    source = models.CharField(_("来源"), max_length=20, choices=EnrolmentSource.choices)
    delivery = models.ForeignKey("training.Delivery", verbose_name=_("课程下发"),
                                 db_constraint=False, null=True, blank=True,
                                 on_delete=models.DO_NOTHING, related_name="+")
    required = models.BooleanField(_("必修"), default=False)
    opens_on = models.DateField(_("开放日期"), null=True, blank=True)
    due_on = models.DateField(_("截止日期"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(_("最高分"), null=True, blank=True)
    # The last due-date reminder
    reminded_at = models.DateTimeField(_("上次提醒时间"), null=True, blank=True)

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

    enrolment = models.ForeignKey(Enrolment, verbose_name=_("选课"), on_delete=models.CASCADE,
                                  related_name="progress")
    lesson = models.ForeignKey("training.Lesson", verbose_name=_("课时"), db_constraint=False,
                               on_delete=models.DO_NOTHING, related_name="+")
    # Where to resume
    position_seconds = models.PositiveIntegerField(_("播放位置（秒）"), default=0)
    # Covered, never more than length
    watched_seconds = models.PositiveIntegerField(_("已学时长（秒）"), default=0)
    # Which parts (coverage.py)
    coverage = CoverageField(_("已学片段"), null=True, blank=True, editable=False)
    last_heartbeat_at = models.DateTimeField(_("最近学习时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("课时进度")
        verbose_name_plural = _("课时进度")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"],
                                               name="learning_progress_unique")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.lesson_id}"


class ExamAttempt(models.Model):
    """One sitting of a quiz or exam. The drawn questions are fixed when it starts; answers for
    any other question, after the deadline, or a second submission are refused."""

    enrolment = models.ForeignKey(Enrolment, verbose_name=_("选课"), on_delete=models.CASCADE,
                                  related_name="attempts")
    lesson = models.ForeignKey("training.Lesson", verbose_name=_("课时"), db_constraint=False,
                               on_delete=models.DO_NOTHING, related_name="+")
    question_ids = models.JSONField(_("抽到的题目"), default=list)
    started_at = models.DateTimeField(_("开始时间"))
    deadline = models.DateTimeField(_("截止时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    answers = models.JSONField(_("作答"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    passed = models.BooleanField(_("通过"), default=False)

    class Meta:
        verbose_name = _("考试记录")
        verbose_name_plural = _("考试记录")
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

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="hours")
    source = models.CharField(_("来源"), max_length=20, choices=HoursSource.choices)
    # What earned it: "lesson:<uid>", "course:<id>", "session:<id>", or blank for external.
    source_ref = models.CharField(_("来源记录"), max_length=64, blank=True)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(Decimal("-99")),
                                            MaxValueValidator(Decimal("99"))])
    occurred_on = models.DateField(_("日期"))
    title = models.CharField(_("内容"), max_length=200)
    evidence = models.FileField(_("证明材料"), upload_to="hours-evidence/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

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

    uid = models.UUIDField(_("二维码编号"), unique=True, editable=False)
    lecturer = models.ForeignKey(Member, verbose_name=_("主讲人"), on_delete=models.PROTECT,
                                 related_name="member_lessons")
    # The lecturer's branch when it was uploaded: whose secretary reviews it.
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("所在支部"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("标题"), max_length=100)
    summary = models.TextField(_("简介"), max_length=1000, blank=True)
    topic = models.CharField(_("主题"), max_length=40)
    # "video" or "audio", from the file's content
    kind = models.CharField(_("媒体类型"), max_length=10)
    media = models.FileField(_("媒体文件"), upload_to="member-lessons/")
    media_type = models.CharField(_("文件格式"), max_length=60)
    media_bytes = models.PositiveBigIntegerField(_("文件大小（字节）"), default=0)
    duration_seconds = models.PositiveIntegerField(_("时长（秒）"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=MemberLessonStatus.choices,
                              default=MemberLessonStatus.PENDING)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Kept with the views below (one UPDATE per first open / completion) so ranking is a sort.
    view_count = models.PositiveIntegerField(_("观看人数"), default=0)
    completion_count = models.PositiveIntegerField(_("学完人数"), default=0)

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

    lesson = models.ForeignKey(MemberLesson, verbose_name=_("微党课"), on_delete=models.CASCADE,
                               related_name="views")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="+")
    sharer = models.ForeignKey(Member, verbose_name=_("分享人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    position_seconds = models.PositiveIntegerField(_("播放位置（秒）"), default=0)
    watched_seconds = models.PositiveIntegerField(_("已学时长（秒）"), default=0)
    coverage = CoverageField(_("已学片段"), null=True, blank=True, editable=False)
    last_heartbeat_at = models.DateTimeField(_("最近学习时间"), null=True, blank=True)
    opened_at = models.DateTimeField(_("首次打开时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("微党课学习记录")
        verbose_name_plural = _("微党课学习记录")
        constraints = [models.UniqueConstraint(fields=["lesson", "member"],
                                               name="learning_mlesson_view_once")]

    def __str__(self) -> str:
        return f"{self.lesson_id}/{self.member_id}"


class MemberLessonShareCredit(models.Model):
    """The share reward, paid at most once per colleague per lesson: the database refuses a
    second row, however many requests race."""

    lesson = models.ForeignKey(MemberLesson, verbose_name=_("微党课"), on_delete=models.CASCADE,
                               related_name="+")
    viewer = models.ForeignKey(Member, verbose_name=_("观看人"), on_delete=models.PROTECT,
                               related_name="+")
    sharer = models.ForeignKey(Member, verbose_name=_("分享人"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("微党课分享奖励")
        verbose_name_plural = _("微党课分享奖励")
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

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="+")
    lesson = models.ForeignKey("training.Lesson", verbose_name=_("课时"), db_constraint=False,
                               null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+")
    member_lesson = models.ForeignKey(MemberLesson, verbose_name=_("微党课"), null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(_("保存时间"))

    class Meta:
        verbose_name = _("离线保存")
        verbose_name_plural = _("离线保存")
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

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="+")
    client_id = models.UUIDField(_("客户端编号"))
    lesson = models.ForeignKey("training.Lesson", verbose_name=_("课时"), db_constraint=False,
                               null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+")
    member_lesson = models.ForeignKey(MemberLesson, verbose_name=_("微党课"), null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="+")
    position_seconds = models.PositiveIntegerField(_("播放位置（秒）"))
    # The phone's clock, checked against the server's
    played_at = models.DateTimeField(_("播放时间"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("离线学习进度")
        verbose_name_plural = _("离线学习进度")
        constraints = [
            models.UniqueConstraint(fields=["member", "client_id"],
                                    name="learning_offline_beat_once"),
            models.CheckConstraint(condition=_ONE_LESSON, name="learning_offline_beat_one"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.client_id}"
