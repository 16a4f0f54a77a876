"""党员网红 and 党员达人: groups with a leader, members and a theme; their works; nominations
the committee decides; members following a group."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import Member


class GroupKind(models.TextChoices):
    INFLUENCER = "influencer", _("党员网红")
    EXPERT = "expert", _("党员达人")


class Group(models.Model):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=GroupKind.choices)
    theme = models.CharField(_("主题"), max_length=200)
    leader = models.ForeignKey(Member, verbose_name=_("带头人"), on_delete=models.PROTECT,
                               related_name="groups_led")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党员网红与达人群组")
        verbose_name_plural = _("党员网红与达人群组")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A member of a group (the leader is one too): made by an approved nomination."""

    group = models.ForeignKey(Group, verbose_name=_("所属群组"), on_delete=models.CASCADE,
                              related_name="memberships")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="group_memberships")
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")
        constraints = [models.UniqueConstraint(fields=["group", "member"],
                                               name="groups_membership_once")]

    def __str__(self) -> str:
        return f"{self.group}: {self.member}"


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("待党委审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class Nomination(models.Model):
    group = models.ForeignKey(Group, verbose_name=_("所属群组"), on_delete=models.CASCADE,
                              related_name="nominations")
    member = models.ForeignKey(Member, verbose_name=_("被提名人"), on_delete=models.PROTECT,
                               related_name="+")
    reason = models.CharField(_("提名理由"), max_length=300)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提名人"),
                                     on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=NominationStatus.choices,
                              default=NominationStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提名时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推荐提名")
        verbose_name_plural = _("推荐提名")
        ordering = ["-created_at", "-id"]
        # One open nomination per person and group: the same form sent twice is one.
        constraints = [models.UniqueConstraint(
            fields=["group", "member"], condition=models.Q(status="pending"),
            name="groups_nomination_one_pending")]

    def __str__(self) -> str:
        return f"{self.group}: {self.member}"


class WorkKind(models.TextChoices):
    LESSON = "lesson", _("微党课")
    ARTICLE = "article", _("文章")
    VIDEO = "video", _("视频")
    SERVICE = "service", _("服务记录")


class Work(models.Model):
    group = models.ForeignKey(Group, verbose_name=_("所属群组"), on_delete=models.CASCADE,
                              related_name="works")
    author = models.ForeignKey(Member, verbose_name=_("作者"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=WorkKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), max_length=5000, blank=True)
    file = models.FileField(_("附件"), upload_to="group-works/", blank=True)
    # From the content, not the name
    file_type = models.CharField(_("文件格式"), max_length=60, blank=True)
    # What the plan's storage counted for the file (0: none, or kept before files counted)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"), default=0)
    # A work may be one of the company's member lessons (共享党课): linked, not copied.
    member_lesson = models.ForeignKey("learning.MemberLesson", verbose_name=_("关联微党课"),
                                      null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("作品")
        verbose_name_plural = _("作品")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Follow(models.Model):
    group = models.ForeignKey(Group, verbose_name=_("所属群组"), on_delete=models.CASCADE,
                              related_name="follows")
    member = models.ForeignKey(Member, verbose_name=_("关注人"), on_delete=models.CASCADE,
                               related_name="+")
    created_at = models.DateTimeField(_("关注时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("关注")
        verbose_name_plural = _("关注")
        constraints = [models.UniqueConstraint(fields=["group", "member"],
                                               name="groups_follow_once")]

    def __str__(self) -> str:
        return f"{self.member} → {self.group}"
