"""党建知识问答: the company's question bank, rounds (daily, weekly, special), one attempt per
member and round with its drawn questions, and head-to-head duels.

A drawn question keeps a copy of what was asked (text, options, answer, explanation) from the
bank it came from (the company's own, or the incubator's shared bank in public), so a result
keeps its meaning when the bank changes; the page only ever gets the text and the options in
the order drawn for that member."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import Member
from training.models import QuestionKind


class BankQuestion(models.Model):
    """A question of the company's own bank. `answer` as training.Question's: option indices,
    [true|false], or the accepted texts."""

    kind = models.CharField(_("题型"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list, blank=True)
    answer = models.JSONField(_("答案"))
    explanation = models.TextField(_("解析"), blank=True)
    tags = models.CharField(_("标签"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题库")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]


class RoundKind(models.TextChoices):
    DAILY = "daily", _("每日一答")
    WEEKLY = "weekly", _("每周挑战")
    SPECIAL = "special", _("专题竞赛")


class Source(models.TextChoices):
    OWN = "own", _("本公司题库")
    SHARED = "shared", _("孵化器共享题库")
    BOTH = "both", _("两者都用")


class QuizRound(models.Model):
    """A round. Daily and weekly rounds are made when first opened in their day or week
    (unique per kind and first day); special rounds are published by the admin for a period."""

    kind = models.CharField(_("类型"), max_length=10, choices=RoundKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    # Daily and weekly: the day or Monday
    starts_on = models.DateField(_("周期起始日"), null=True, blank=True)
    question_count = models.PositiveSmallIntegerField(_("题数"))
    seconds_per_question = models.PositiveSmallIntegerField(_("每题限时（秒）"))
    source = models.CharField(_("题库"), max_length=10, choices=Source.choices,
                              default=Source.BOTH)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答题轮次")
        verbose_name_plural = _("答题轮次")
        ordering = ["-opens_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["kind", "starts_on"], condition=models.Q(starts_on__isnull=False),
            name="quiz_round_one_per_period")]

    def __str__(self) -> str:
        return self.title


class Attempt(models.Model):
    """A member's one attempt at a round; `correct` counts the right answers so far."""

    round = models.ForeignKey(QuizRound, verbose_name=_("答题轮次"), on_delete=models.CASCADE,
                              related_name="attempts")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="quiz_attempts")
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    correct = models.PositiveSmallIntegerField(_("答对题数"), default=0)
    total = models.PositiveSmallIntegerField(_("总题数"), default=0)
    # What the hub awarded for it (caps applied)
    points = models.IntegerField(_("获得积分"), default=0)

    class Meta:
        verbose_name = _("答题记录")
        verbose_name_plural = _("答题记录")
        constraints = [models.UniqueConstraint(fields=["round", "member"],
                                               name="quiz_attempt_one_per_round")]
        indexes = [models.Index(fields=["round", "-correct"], name="quiz_attempt_rank_idx")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.member_id} {self.correct}/{self.total}"


class Asked(models.Model):
    """One question as asked: a copy of it, the member's option order (`order[i]` is the
    original index of the option shown i-th), when the server served it and its deadline, and
    the answer given (in original indices, so it compares with `answer`)."""

    kind = models.CharField(_("题型"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list)
    answer = models.JSONField(_("答案"))
    explanation = models.TextField(_("解析"), blank=True)
    order = models.JSONField(_("选项顺序"), default=list)
    bank_question = models.ForeignKey(BankQuestion, verbose_name=_("本公司题目"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    # The incubator's shared bank is in public: no constraint across schemas (decision 0016).
    shared_question = models.ForeignKey("training.Question", verbose_name=_("共享题目"),
                                        null=True, blank=True, db_constraint=False,
                                        on_delete=models.DO_NOTHING, related_name="+")
    seconds = models.PositiveSmallIntegerField(_("限时（秒）"))
    served_at = models.DateTimeField(_("出题时间"), null=True, blank=True)
    deadline = models.DateTimeField(_("截止时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("作答时间"), null=True, blank=True)
    given = models.JSONField(_("所选答案"), null=True, blank=True)
    correct = models.BooleanField(_("答对"), null=True)

    class Meta:
        abstract = True


class AttemptQuestion(Asked):
    attempt = models.ForeignKey(Attempt, verbose_name=_("答题记录"), on_delete=models.CASCADE,
                                related_name="questions")
    position = models.PositiveSmallIntegerField(_("题序"))

    class Meta:
        verbose_name = _("答题题目")
        verbose_name_plural = _("答题题目")
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"],
                                               name="quiz_attempt_question_unique")]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"


class DuelStatus(models.TextChoices):
    WAITING = "waiting", _("等待对手")
    PLAYING = "playing", _("对战中")
    FINISHED = "finished", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class Duel(models.Model):
    """双人对战: two members of the company answer the same questions at the same time; each
    question's point goes to the first correct answer. Its state lives in these rows, changed
    under a row lock (decision 0022), so any web worker can serve either player."""

    challenger = models.ForeignKey(Member, verbose_name=_("挑战者"), on_delete=models.CASCADE,
                                   related_name="+")
    opponent = models.ForeignKey(Member, verbose_name=_("对手"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=DuelStatus.choices,
                              default=DuelStatus.WAITING)
    question_count = models.PositiveSmallIntegerField(_("题数"))
    # Position of the question asked now
    current = models.PositiveSmallIntegerField(_("当前题序"), default=0)
    challenger_score = models.PositiveSmallIntegerField(_("挑战者得分"), default=0)
    opponent_score = models.PositiveSmallIntegerField(_("对手得分"), default=0)
    winner = models.ForeignKey(Member, verbose_name=_("获胜者"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("双人对战")
        verbose_name_plural = _("双人对战")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"duel {self.pk} {self.status}"


class DuelQuestion(Asked):
    """One question of a duel: both players see the same option order. `answered_at`, `given`
    and `correct` here are the winning answer's; each player's answer is a DuelAnswer."""

    duel = models.ForeignKey(Duel, verbose_name=_("双人对战"), on_delete=models.CASCADE,
                             related_name="questions")
    position = models.PositiveSmallIntegerField(_("题序"))
    won_by = models.ForeignKey(Member, verbose_name=_("得分者"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("对战题目")
        verbose_name_plural = _("对战题目")
        ordering = ["duel", "position"]
        constraints = [models.UniqueConstraint(fields=["duel", "position"],
                                               name="quiz_duel_question_unique")]

    def __str__(self) -> str:
        return f"{self.duel_id}#{self.position}"


class DuelAnswer(models.Model):
    question = models.ForeignKey(DuelQuestion, verbose_name=_("对战题目"), on_delete=models.CASCADE,
                                 related_name="answers")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="+")
    given = models.JSONField(_("所选答案"))
    correct = models.BooleanField(_("答对"))
    answered_at = models.DateTimeField(_("作答时间"))

    class Meta:
        verbose_name = _("对战作答")
        verbose_name_plural = _("对战作答")
        constraints = [models.UniqueConstraint(fields=["question", "member"],
                                               name="quiz_duel_answer_once")]

    def __str__(self) -> str:
        return f"{self.question_id} {self.member_id}"
