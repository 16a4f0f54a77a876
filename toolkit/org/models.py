"""The party organisation of one company (its own schema): units in a tree, and members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


class OrgUnit(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey("self", verbose_name=_("上级组织"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    secretary = models.ForeignKey("Member", verbose_name=_("书记"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")


class Position(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANISATION = "organisation", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    MEMBER = "member", _("党员")
    PROBATIONARY = "probationary", _("预备党员")
    ACTIVIST = "activist", _("积极分子")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Member(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"),
                                on_delete=models.PROTECT, related_name="member")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("所在组织"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="members")
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, blank=True)
    status = models.CharField(_("政治面貌"), max_length=20, choices=MemberStatus.choices,
                              default=MemberStatus.FULL)
    position = models.CharField(_("职务"), max_length=20, choices=Position.choices,
                                default=Position.MEMBER)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.user)


class MemberTransfer(models.Model):
    """A move between units; the history stays when a member changes branch."""

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="transfers")
    from_unit = models.ForeignKey(OrgUnit, verbose_name=_("原组织"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    to_unit = models.ForeignKey(OrgUnit, verbose_name=_("调入组织"), on_delete=models.PROTECT,
                                related_name="+")
    moved_at = models.DateTimeField(_("调动时间"), auto_now_add=True)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("组织关系调动")
        verbose_name_plural = _("组织关系调动")
        ordering = ["-moved_at"]

    def __str__(self) -> str:
        return f"{self.member} → {self.to_unit}"


# 今天我来当书记: its own file, a model of this app (its migration is the organisation's).
from toolkit.org.acting import ActingSecretary  # noqa: E402, F401
