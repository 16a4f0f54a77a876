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
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

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
    starts_on = models.DateField(null=True, blank=True)  # daily and weekly: the day or Monday
    question_count = models.PositiveSmallIntegerField(_("题数"))
    seconds_per_question = models.PositiveSmallIntegerField(_("每题限时（秒）"))
    source = models.CharField(_("题库"), max_length=10, choices=Source.choices,
                              default=Source.BOTH)
    created_at = models.DateTimeField(auto_now_add=True)

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

    round = models.ForeignKey(QuizRound, on_delete=models.CASCADE, related_name="attempts")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="quiz_attempts")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    points = models.IntegerField(default=0)  # what the hub awarded for it (caps applied)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "member"],
                                               name="quiz_attempt_one_per_round")]
        indexes = [models.Index(fields=["round", "-correct"], name="quiz_attempt_rank_idx")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.member_id} {self.correct}/{self.total}"


class Asked(models.Model):
    """One question as asked: a copy of it, the member's option order (`order[i]` is the
    original index of the option shown i-th), when the server served it and its deadline, and
    the answer given (in original indices, so it compares with `answer`)."""

    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.TextField()
    options = models.JSONField(default=list)
    answer = models.JSONField()
    explanation = models.TextField(blank=True)
    order = models.JSONField(default=list)
    bank_question = models.ForeignKey(BankQuestion, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    # The incubator's shared bank is in public: no constraint across schemas (decision 0016).
    shared_question = models.ForeignKey("training.Question", null=True, blank=True,
                                        db_constraint=False, on_delete=models.DO_NOTHING,
                                        related_name="+")
    seconds = models.PositiveSmallIntegerField()
    served_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    given = models.JSONField(null=True, blank=True)
    correct = models.BooleanField(null=True)

    class Meta:
        abstract = True


class AttemptQuestion(Asked):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()

    class Meta:
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

    challenger = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    opponent = models.ForeignKey(Member, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    status = models.CharField(max_length=10, choices=DuelStatus.choices,
                              default=DuelStatus.WAITING)
    question_count = models.PositiveSmallIntegerField()
    current = models.PositiveSmallIntegerField(default=0)  # position of the question asked now
    challenger_score = models.PositiveSmallIntegerField(default=0)
    opponent_score = models.PositiveSmallIntegerField(default=0)
    winner = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"duel {self.pk} {self.status}"


class DuelQuestion(Asked):
    """One question of a duel: both players see the same option order. `answered_at`, `given`
    and `correct` here are the winning answer's; each player's answer is a DuelAnswer."""

    duel = models.ForeignKey(Duel, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    won_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        ordering = ["duel", "position"]
        constraints = [models.UniqueConstraint(fields=["duel", "position"],
                                               name="quiz_duel_question_unique")]

    def __str__(self) -> str:
        return f"{self.duel_id}#{self.position}"


class DuelAnswer(models.Model):
    question = models.ForeignKey(DuelQuestion, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    given = models.JSONField()
    correct = models.BooleanField()
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "member"],
                                               name="quiz_duel_answer_once")]

    def __str__(self) -> str:
        return f"{self.question_id} {self.member_id}"
