"""Points: rules, the append-only hash-chained ledger, and the figures kept beside it."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import Member, OrgUnit

GENESIS_HASH = "0" * 64


class RuleCode(models.TextChoices):
    MEETING_ATTENDANCE = "meeting_attendance", _("参加组织生活")
    DUES_ON_TIME = "dues_on_time", _("按时交纳党费")
    TASK_ACCEPTED = "task_accepted", _("完成擂台任务")
    STUDY = "study", _("学习")
    LESSON_SHARED = "lesson_shared", _("分享党课")
    QUIZ = "quiz", _("知识问答")
    REDEMPTION = "redemption", _("积分兑换")
    CORRECTION = "correction", _("积分更正")
    COURSE_COMPLETED = "course_completed", _("完成课程")
    EXAM_PASSED = "exam_passed", _("通过考试")
    LESSON_APPROVED = "lesson_approved", _("微党课通过审核")  # 共享党课 (member lessons)
    # 党建知识问答 (toolkit.quiz): `quiz` above scores the daily quiz, per correct answer.
    QUIZ_WEEKLY = "quiz_weekly", _("每周挑战")
    QUIZ_SPECIAL = "quiz_special", _("专题竞赛")
    QUIZ_DUEL = "quiz_duel", _("双人对战获胜")
    ACTING_DUTY = "acting_duty", _("代理书记履职")  # 今天我来当书记 (toolkit.acting)
    PROJECT_PARTICIPATION = "project_participation", _("参与服务项目")  # toolkit.projects


class PointCategory(models.TextChoices):
    """What the vanguard index (toolkit.indices) weighs: every rule, and every correction, is
    in one of these."""

    STUDY = "study", _("学习")
    ORG_LIFE = "org_life", _("组织生活")
    CONTRIBUTION = "contribution", _("贡献")
    POSITIVE = "positive", _("加分项")
    NEGATIVE = "negative", _("减分项")


# The rule → category map: the rules' categories when first set, and the category of every
# entry written before entries kept their own (docs/decisions/0019). Keyed by code string, so
# rules added by other modules (toolkit.learning) are in it before their RuleCode exists here.
RULE_CATEGORY = {
    "meeting_attendance": PointCategory.ORG_LIFE,
    "dues_on_time": PointCategory.ORG_LIFE,
    "task_accepted": PointCategory.CONTRIBUTION,
    "study": PointCategory.STUDY,
    "lesson_shared": PointCategory.STUDY,
    "quiz": PointCategory.STUDY,
    "course_completed": PointCategory.STUDY,
    "exam_passed": PointCategory.STUDY,
    "lesson_approved": PointCategory.CONTRIBUTION,  # lecturing to one's colleagues
    "quiz_weekly": PointCategory.STUDY,
    "quiz_special": PointCategory.STUDY,
    "quiz_duel": PointCategory.STUDY,
    "acting_duty": PointCategory.CONTRIBUTION,  # the acting secretary's duty log
    "project_participation": PointCategory.CONTRIBUTION,  # a service project's progress report
    # Spending is not scoring: it is kept out of every total (as out of MonthlyTotal).
    "redemption": PointCategory.CONTRIBUTION,
}


def category_of(*, rule_code: str, amount: int, stored: str = "") -> str:
    """An entry's category: its own when it kept one; for older entries, from the rule (a
    correction by its sign, the only thing an old correction says about itself)."""
    if stored:
        return stored
    if rule_code == RuleCode.CORRECTION:
        return PointCategory.POSITIVE if amount >= 0 else PointCategory.NEGATIVE
    return RULE_CATEGORY.get(rule_code, PointCategory.CONTRIBUTION)


# A rule scores, it never fines (a correction takes points away): an award from a rule can
# then never push a balance below zero, and no figure comes near the integer columns' limits.
MAX_RULE_POINTS = 1000
MAX_RULE_CAP = 100_000


class PointRule(models.Model):
    """How many points an action scores in this company, and how many it may score at most."""

    code = models.CharField(_("代码"), max_length=40, unique=True, choices=RuleCode.choices)
    points = models.IntegerField(_("分值"), validators=[MinValueValidator(0),
                                                       MaxValueValidator(MAX_RULE_POINTS)])
    daily_cap = models.PositiveIntegerField(_("每日上限"), null=True, blank=True,
                                            validators=[MaxValueValidator(MAX_RULE_CAP)])
    monthly_cap = models.PositiveIntegerField(_("每月上限"), null=True, blank=True,
                                              validators=[MaxValueValidator(MAX_RULE_CAP)])
    active = models.BooleanField(_("启用"), default=True)
    category = models.CharField(_("类别"), max_length=20, choices=PointCategory.choices,
                                default=PointCategory.CONTRIBUTION)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_code_display()


class LedgerHead(models.Model):
    """The one row every award locks: the chain's last sequence number and hash."""

    seq = models.BigIntegerField(_("序号"), default=0)
    last_hash = models.CharField(_("最新哈希"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("积分链头")
        verbose_name_plural = _("积分链头")

    def __str__(self) -> str:
        return f"#{self.seq}"


class LedgerEntry(models.Model):
    """Never updated or deleted (a database trigger refuses it); a correction is a new entry.
    `hash` covers this entry's fields and the previous entry's hash."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="ledger")
    rule_code = models.CharField(_("规则"), max_length=40, choices=RuleCode.choices)
    amount = models.IntegerField(_("积分变动"))
    balance_after = models.IntegerField(_("变动后余额"))
    source_type = models.CharField(_("来源类型"), max_length=40, blank=True)
    source_id = models.CharField(_("来源编号"), max_length=40, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("记录时间"))
    # Empty on entries written before categories (their category comes from category_of);
    # the hash covers it only when it is set, so those entries still verify.
    category = models.CharField(_("类别"), max_length=20, blank=True, default="",
                                choices=PointCategory.choices)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("积分流水")
        verbose_name_plural = _("积分流水")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["member", "rule_code", "created_at"],
                                name="points_ledger_caps_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.member_id} {self.amount:+d}"


class MemberPoints(models.Model):
    member = models.OneToOneField(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                                  primary_key=True, related_name="points")
    balance = models.IntegerField(_("积分余额"), default=0)
    # All positive awards, never reduced by spending
    earned = models.IntegerField(_("累计获得"), default=0)

    class Meta:
        verbose_name = _("党员积分")
        verbose_name_plural = _("党员积分")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.balance}"


class MonthlyTotal(models.Model):
    """Points earned by a member in a month (first day): rankings read these, not the ledger."""

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="monthly_totals")
    month = models.DateField(_("月份"))
    points = models.IntegerField(_("积分"), default=0)

    class Meta:
        verbose_name = _("月度积分")
        verbose_name_plural = _("月度积分")
        constraints = [models.UniqueConstraint(fields=["member", "month"],
                                               name="points_monthly_unique")]
        indexes = [models.Index(fields=["month", "-points"], name="points_monthly_rank_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}: {self.points}"


class MonthlyCategoryTotal(models.Model):
    """Points scored by a member in a month in one category (redemptions excluded, as in
    MonthlyTotal): the vanguard index reads these, written by points_award with the entry."""

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="monthly_category_totals")
    month = models.DateField(_("月份"))
    category = models.CharField(_("类别"), max_length=20, choices=PointCategory.choices)
    points = models.IntegerField(_("积分"), default=0)

    class Meta:
        verbose_name = _("月度分类积分")
        verbose_name_plural = _("月度分类积分")
        constraints = [models.UniqueConstraint(fields=["member", "month", "category"],
                                               name="points_monthly_category_unique")]
        indexes = [models.Index(fields=["month", "category"], name="points_mcat_month_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.category}: {self.points}"


class MonthlyClose(models.Model):
    """月度终评: done once per month; running it again changes nothing."""

    month = models.DateField(_("月份"), unique=True)
    closed_at = models.DateTimeField(_("终评时间"), auto_now_add=True)
    members = models.PositiveIntegerField(_("参评人数"), default=0)

    class Meta:
        verbose_name = _("月度终评")
        verbose_name_plural = _("月度终评")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class RankingScope(models.TextChoices):
    COMPANY = "company", _("全公司")
    BRANCH = "branch", _("支部")


class RankingSnapshot(models.Model):
    month = models.DateField(_("月份"))
    scope = models.CharField(_("范围"), max_length=10, choices=RankingScope.choices)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("支部"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="rankings")
    rank = models.PositiveIntegerField(_("名次"))
    points = models.IntegerField(_("积分"))

    class Meta:
        verbose_name = _("排名快照")
        verbose_name_plural = _("排名快照")
        ordering = ["month", "scope", "rank"]
        constraints = [models.UniqueConstraint(fields=["month", "scope", "member"],
                                               name="points_snapshot_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scope} #{self.rank}"


class RedemptionRight(models.Model):
    """The monthly close's top ten may redeem once in the following month."""

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="redemption_rights")
    closed_month = models.DateField(_("排名月份"))  # the month ranked
    valid_month = models.DateField(_("可兑换月份"))  # the month it may be used

    class Meta:
        verbose_name = _("兑换资格")
        verbose_name_plural = _("兑换资格")
        constraints = [models.UniqueConstraint(fields=["member", "valid_month"],
                                               name="points_right_unique")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.valid_month:%Y-%m}"


class RemedialAssignment(models.Model):
    """集中补课: the lowest-ranked members of a month are assigned a remedial lesson."""

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="remedials")
    month = models.DateField(_("月份"))
    # The shared course to take; completing it (toolkit.learning) marks the assignment done.
    course = models.ForeignKey("training.Course", verbose_name=_("补课课程"), db_constraint=False,
                               null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+")
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("集中补课安排")
        verbose_name_plural = _("集中补课安排")
        constraints = [models.UniqueConstraint(fields=["member", "month"],
                                               name="points_remedial_unique")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}"
