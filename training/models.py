"""The shared training catalogue (public schema): courses authored once by trainers, published
as immutable versions, delivered to batches and companies. A company's own progress lives in its
schema (toolkit.learning); only aggregates come back up (CompanyCourseRollup)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Company
from training.storage import shared_storage


class Category(models.TextChoices):
    THEORY = "theory", _("理论学习")
    CHARTER = "charter", _("党章党规")
    PRACTICE = "practice", _("党务实务")
    BUSINESS = "business", _("业务知识")
    OTHER = "other", _("其他")


class Course(models.Model):
    """A course's identity: what stays the same across its versions. Never deleted (company
    rows point at it): a trainer retires it."""

    title = models.CharField(_("课程名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    tags = models.CharField(_("标签"), max_length=200, blank=True,
                            help_text=_("多个标签用逗号分隔"))
    summary = models.TextField(_("简介"), blank=True)
    cover = models.ImageField(_("封面"), storage=shared_storage, upload_to="covers/", blank=True)
    # Open courses may be adopted by any company's admin from the catalogue.
    open_to_adopt = models.BooleanField(_("允许公司自选"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.replace("，", ",").split(",") if tag.strip()]


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class CourseVersion(models.Model):
    """A course's content at one moment. A published version never changes (services refuse
    it): editing a published course makes the next draft, a copy."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=20, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT)
    note = models.CharField(_("版本说明"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("课程版本")
        verbose_name_plural = _("课程版本")
        ordering = ["course", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="training_version_number"),
            models.UniqueConstraint(fields=["course"], condition=models.Q(status="draft"),
                                    name="training_one_draft_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.course} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class Chapter(models.Model):
    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(_("章节名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("章节")
        verbose_name_plural = _("章节")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.title


class LessonKind(models.TextChoices):
    VIDEO = "video", _("视频")
    AUDIO = "audio", _("音频")
    TEXT = "text", _("图文")
    DOCUMENT = "document", _("PDF 或课件")
    QUIZ = "quiz", _("随堂测验")
    EXAM = "exam", _("考试")


# Kinds whose completion the server decides from playback heartbeats (≥ 90 % of the length).
TIMED_KINDS = {LessonKind.VIDEO, LessonKind.AUDIO}
# Kinds a member completes by submitting answers (toolkit.learning's attempts).
ASSESSED_KINDS = {LessonKind.QUIZ, LessonKind.EXAM}


class Lesson(models.Model):
    """One lesson of one version. `uid` is the same for a lesson's copies in every version of
    its course: progress, and a printed QR code, survive a new version."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="lessons")
    uid = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    kind = models.CharField(_("类型"), max_length=20, choices=LessonKind.choices)
    title = models.CharField(_("课时名称"), max_length=100)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=0,
                                validators=[MinValueValidator(0), MaxValueValidator(99)])
    # Video, audio, PDF/slides: checked by content at upload; length from ffprobe.
    media = models.FileField(_("文件"), storage=shared_storage, upload_to="lessons/", blank=True)
    media_type = models.CharField(max_length=100, blank=True)
    media_bytes = models.BigIntegerField(default=0)
    duration_seconds = models.PositiveIntegerField(_("时长（秒）"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)  # PDF lessons
    # Rich text, sanitised (nh3) when saved: a learner's page shows it as it is.
    body_html = models.TextField(_("正文"), blank=True)
    # Quiz and exam: N questions drawn from `questions`.
    questions = models.ManyToManyField("Question", blank=True, related_name="lessons")
    question_count = models.PositiveSmallIntegerField(_("抽题数"), null=True, blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField(_("限时（分钟）"), null=True, blank=True)
    pass_score = models.PositiveSmallIntegerField(_("及格分"), null=True, blank=True,
                                                  validators=[MaxValueValidator(100)])
    attempts_allowed = models.PositiveSmallIntegerField(_("可考次数"), null=True, blank=True)

    class Meta:
        verbose_name = _("课时")
        verbose_name_plural = _("课时")
        ordering = ["chapter", "order", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "true_false", _("判断题")
    FILL = "fill", _("填空题")


class Question(models.Model):
    """The question bank. `answer` is a list: option indices (single, multiple), [true|false],
    or the accepted texts (fill). A question in a published version is never edited: editing it
    makes a new question and retires this one, so a learner's attempt keeps its meaning."""

    kind = models.CharField(_("题型"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list, blank=True)
    answer = models.JSONField(_("答案"))
    explanation = models.TextField(_("解析"), blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices,
                                default=Category.THEORY)
    tags = models.CharField(_("标签"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class BatchTrainer(models.Model):
    """A trainer's batches: a trainer sees the companies of these batches, and no other."""

    batch = models.ForeignKey("onboarding.IncubationBatch", on_delete=models.CASCADE,
                              related_name="trainers")
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="trainer_batches")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "trainer"],
                                               name="training_batch_trainer_unique")]

    def __str__(self) -> str:
        return f"{self.trainer} @ {self.batch}"


class Audience(models.TextChoices):
    ALL = "all", _("全体党员")
    LEADERS = "leaders", _("书记和委员")
    POSITIONS = "positions", _("指定职务")


class Delivery(models.Model):
    """A trainer delivers a published course to batches and/or companies. Companies read their
    deliveries (a company's own site lists what is delivered to it); withdrawing keeps the row."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="deliveries")
    batches = models.ManyToManyField("onboarding.IncubationBatch", blank=True,
                                     related_name="deliveries")
    companies = models.ManyToManyField(Company, blank=True, related_name="deliveries")
    audience = models.CharField(_("对象"), max_length=20, choices=Audience.choices,
                                default=Audience.ALL)
    positions = models.JSONField(_("职务"), default=list, blank=True)  # org.Position values
    opens_on = models.DateField(_("开放日期"))
    due_on = models.DateField(_("截止日期"), null=True, blank=True)
    required = models.BooleanField(_("必修"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("课程下发")
        verbose_name_plural = _("课程下发")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(
            condition=models.Q(due_on__isnull=True) | models.Q(due_on__gte=models.F("opens_on")),
            name="training_delivery_due_after_open")]

    def __str__(self) -> str:
        return f"{self.course} ({self.opens_on})"


class Adoption(models.Model):
    """A company's admin took an open course from the catalogue for their company."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="adoptions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="adoptions")
    adopted_at = models.DateTimeField(auto_now_add=True)
    adopted_by_name = models.CharField(max_length=50, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "course"],
                                               name="training_adoption_unique")]

    def __str__(self) -> str:
        return f"{self.company}: {self.course}"


class CompanyCourseRollup(models.Model):
    """What one company reports up about one course: counts and averages, no member names."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="course_rollups")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="rollups")
    assigned = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    average_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    hours = models.DecimalField(max_digits=10, decimal_places=1, default=0)
    # The lesson where most learners who started and did not finish stopped.
    stop_lesson_uid = models.UUIDField(null=True, blank=True)
    stop_lesson_title = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "course"],
                                               name="training_rollup_unique")]

    def __str__(self) -> str:
        return f"{self.company}: {self.course}"


class CompanyHoursRollup(models.Model):
    """What one company reports up about its 学时: members on track for the year."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="hours_rollups")
    year = models.PositiveSmallIntegerField()
    members = models.PositiveIntegerField(default=0)
    on_track = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=12, decimal_places=1, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "year"],
                                               name="training_hours_rollup_unique")]

    def __str__(self) -> str:
        return f"{self.company} {self.year}"


class OfflineSession(models.Model):
    """线下集中培训: one place and time, one trainer, trainees from the batch's companies."""

    batch = models.ForeignKey("onboarding.IncubationBatch", on_delete=models.PROTECT,
                              related_name="offline_sessions")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="offline_sessions")
    title = models.CharField(_("培训主题"), max_length=100)
    place = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(99)])
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="offline_sessions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("线下培训")
        verbose_name_plural = _("线下培训")
        ordering = ["-starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="training_session_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class SessionAttendance(models.Model):
    """A trainee's check-in, reported up by their company: the trainer's attendance list is the
    one piece of member-level detail that leaves a company (the trainer ran the session)."""

    session = models.ForeignKey(OfflineSession, on_delete=models.CASCADE,
                                related_name="attendance")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    member_id = models.PositiveIntegerField()  # toolkit.org.Member.pk in the company's schema
    name = models.CharField(_("姓名"), max_length=50)
    branch = models.CharField(_("所在支部"), max_length=100, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"))

    class Meta:
        ordering = ["checked_in_at"]
        constraints = [models.UniqueConstraint(fields=["session", "company", "member_id"],
                                               name="training_attendance_once")]

    def __str__(self) -> str:
        return f"{self.session}: {self.name}"


class Certificate(models.Model):
    """The public register of certificates, for /verify/<number>: valid or revoked, with the
    name, course and date, and nothing else. The PDF itself lives in the company's storage."""

    number = models.CharField(_("证书编号"), max_length=32, unique=True)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="certificates")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    holder_name = models.CharField(_("姓名"), max_length=50)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    issued_on = models.DateField(_("发证日期"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("结业证书")
        verbose_name_plural = _("结业证书")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return self.number


class OfferedLesson(models.Model):
    """A company's member lesson (共享党课) offered up to the incubator: a copy of its file in
    the shared storage and who made it. A trainer may adopt it into the catalogue as a new
    course draft (training/offers.py); the credit travels in the course's summary."""

    company = models.ForeignKey("tenants.Company", on_delete=models.PROTECT, related_name="+")
    source_uid = models.UUIDField()  # the MemberLesson's uid in the company's schema
    company_name = models.CharField(max_length=200)
    lecturer_name = models.CharField(max_length=100)
    title = models.CharField(_("标题"), max_length=100)
    summary = models.TextField(_("简介"), blank=True)
    topic = models.CharField(_("主题"), max_length=40)
    kind = models.CharField(max_length=10, choices=[(LessonKind.VIDEO, _("视频")),
                                                    (LessonKind.AUDIO, _("音频"))])
    media = models.FileField(storage=shared_storage, upload_to="offered/")
    media_type = models.CharField(max_length=100)
    media_bytes = models.BigIntegerField(default=0)
    duration_seconds = models.PositiveIntegerField(default=0)
    offered_at = models.DateTimeField(auto_now_add=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    adopted_course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")

    class Meta:
        verbose_name = _("公司推荐课")
        verbose_name_plural = _("公司推荐课")
        ordering = ["adopted_at", "-offered_at"]
        constraints = [models.UniqueConstraint(fields=["company", "source_uid"],
                                               name="training_offered_once")]

    def __str__(self) -> str:
        return self.title
