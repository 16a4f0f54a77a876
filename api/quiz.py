"""党建知识问答 over the API: the rounds open now, starting (drawing) an attempt, answering one
served question at a time (the answer comes back only after it, with the next question),
results with explanations, leaderboards, special rounds and the bank's xlsx import (the
admin), and duels. The same
services and rules as the pages (toolkit.quiz)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import ADMIN, COMPANY_USER, MEMBER
from toolkit.quiz import bank, duels, selectors, services
from toolkit.quiz.drawing import question_revealed, question_shown
from toolkit.quiz.models import Attempt, QuizRound, Source


class RoundOut(serializers.ModelSerializer):
    class Meta:
        model = QuizRound
        fields = ["id", "kind", "title", "opens_at", "closes_at", "question_count",
                  "seconds_per_question", "source"]


class MyAttemptOut(serializers.Serializer):
    id = serializers.IntegerField()
    correct = serializers.IntegerField()
    total = serializers.IntegerField()
    points = serializers.IntegerField()
    finished_at = serializers.DateTimeField(allow_null=True)


class RoundListOut(serializers.Serializer):
    round = RoundOut()
    attempt = MyAttemptOut(allow_null=True)


class ShownOut(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField())
    seconds = serializers.IntegerField()
    deadline = serializers.DateTimeField(allow_null=True)


class RevealedOut(ShownOut):
    answer = serializers.ListField(child=serializers.JSONField(),
                                   help_text="shown option positions, [true|false] or texts")
    given = serializers.ListField(child=serializers.JSONField())
    correct = serializers.BooleanField()
    explanation = serializers.CharField()
    answer_text = serializers.CharField()


class StartOut(serializers.Serializer):
    attempt = MyAttemptOut()
    question = ShownOut(allow_null=True)


class AnswerIn(serializers.Serializer):
    position = serializers.IntegerField(min_value=1, max_value=1000)
    answer = serializers.ListField(child=serializers.CharField(max_length=200, allow_blank=True),
                                   max_length=10, help_text="shown option positions, "
                                   "[true|false], or the filled text")


class AnswerOut(serializers.Serializer):
    answered = RevealedOut()
    next = ShownOut(allow_null=True)
    attempt = MyAttemptOut()


class ResultOut(serializers.Serializer):
    attempt = MyAttemptOut()
    questions = RevealedOut(many=True)


class BoardOut(serializers.Serializer):
    rank = serializers.IntegerField()
    member_id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    correct = serializers.IntegerField()
    total = serializers.IntegerField()


class BoardQuery(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["company", "branch"], default="company",
                                    required=False)


class SpecialRoundIn(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    question_count = serializers.IntegerField()
    seconds_per_question = serializers.IntegerField()
    source = serializers.ChoiceField(choices=Source.choices, default=Source.BOTH)


def _round(round_id: int) -> QuizRound:
    found = selectors.round_by_id(round_id=round_id)
    if found is None:
        raise Http404
    return found


class Rounds(APIView):
    """GET: the rounds open now (today's daily quiz, this week's challenge, special rounds)
    with the caller's attempt. POST (the admin): publish a special round."""

    permission_classes = COMPANY_USER

    def get_permissions(self):
        return [p() for p in (ADMIN if self.request.method == "POST" else COMPANY_USER)]

    @extend_schema(responses=RoundListOut(many=True), summary="Quiz rounds open now")
    def get(self, request):
        rounds = selectors.rounds_open()
        mine = (selectors.attempts_by_round(member=request.member, rounds=rounds)
                if request.member else {})
        return Response(RoundListOut([{"round": r, "attempt": mine.get(r.pk)}
                                      for r in rounds], many=True).data)

    @extend_schema(request=SpecialRoundIn, responses={201: RoundOut},
                   summary="Publish a special round (admin)")
    def post(self, request):
        data = SpecialRoundIn(data=request.data)
        data.is_valid(raise_exception=True)
        quiz_round = services.round_publish(**data.validated_data)
        return Response(RoundOut(quiz_round).data, status=201)


class RoundStart(APIView):
    """Start (draw) the caller's one attempt at a round, or resume it: the question to answer
    now is served, its clock running."""

    permission_classes = MEMBER

    @extend_schema(request=None, responses=StartOut, summary="Start or resume my attempt")
    def post(self, request, round_id):
        attempt = services.attempt_start(round=_round(round_id), member=request.member)
        question = services.question_next(attempt=attempt, member=request.member)
        attempt.refresh_from_db()
        return Response(StartOut({"attempt": attempt, "question": (
            question_shown(question) if question else None)}).data)


# Every player's every answer is read and written out through these: one instance each, whose
# fields are bound once (a new serializer copies its declared fields each time, most of its
# cost); run_validation and to_representation keep no state on the instance (is_valid would),
# so threads may share them.
_ANSWER_IN, _ANSWER_OUT = AnswerIn(), AnswerOut()


class AttemptAnswer(APIView):
    permission_classes = MEMBER

    @extend_schema(request=AnswerIn, responses=AnswerOut,
                   summary="Answer the served question; the next one comes back")
    def post(self, request, attempt_id):
        data = _ANSWER_IN.run_validation(request.data)  # a 400 by field, as is_valid's
        # Any attempt of this company: the service refuses one that is not the caller's.
        try:
            answered = services.answer_submit(attempt_id=attempt_id, member=request.member,
                                              position=data["position"], answer=data["answer"])
        except Attempt.DoesNotExist:
            raise Http404 from None
        return Response(_ANSWER_OUT.to_representation({
            "answered": question_revealed(answered.question), "attempt": answered.attempt,
            "next": question_shown(answered.next) if answered.next else None}))


class AttemptResult(APIView):
    permission_classes = MEMBER

    @extend_schema(responses=ResultOut, summary="My attempt: answers with explanations")
    def get(self, request, attempt_id):
        attempt = get_object_or_404(Attempt, pk=attempt_id, member=request.member)
        questions = selectors.attempt_questions(attempt=attempt).filter(
            answered_at__isnull=False)  # an answer is shown only once given
        return Response(ResultOut({"attempt": attempt,
                                   "questions": [question_revealed(q) for q in questions]}).data)


class Leaderboard(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(parameters=[BoardQuery], responses=BoardOut(many=True),
                   summary="A round's leaderboard (company or the caller's branch)")
    def get(self, request, round_id):
        query = BoardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit_id = (request.member.unit_id if query.validated_data["scope"] == "branch"
                   and request.member else None)
        board = selectors.leaderboard(round=_round(round_id), unit_id=unit_id)
        return Response(BoardOut([
            {"rank": n, "member_id": a.member_id, "name": a.member.user.full_name,
             "unit": a.member.unit.name if a.member.unit else "", "correct": a.correct,
             "total": a.total} for n, a in enumerate(board, start=1)], many=True).data)


class DuelIn(serializers.Serializer):
    opponent = serializers.IntegerField(required=False, allow_null=True,
                                        help_text="a colleague's member id; none: open to all")


class DuelOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    current = serializers.IntegerField()
    question_count = serializers.IntegerField()
    challenger = serializers.DictField()
    opponent = serializers.DictField(allow_null=True)
    winner = serializers.IntegerField(allow_null=True)
    me = serializers.IntegerField()
    question = ShownOut(allow_null=True)
    starts_in = serializers.FloatField(allow_null=True)
    done = serializers.ListField(child=serializers.DictField())


class DuelAnswerOut(serializers.Serializer):
    correct = serializers.BooleanField()
    won = serializers.BooleanField()


def _duel(request, duel_id: int, *, joining: bool = False):
    duel = selectors.duel_by_id(duel_id=duel_id)
    if duel is None or (not joining and request.member.pk not in (duel.challenger_id,
                                                                  duel.opponent_id)):
        raise Http404
    return duel


class Duels(APIView):
    permission_classes = MEMBER

    @extend_schema(request=DuelIn, responses={201: DuelOut}, summary="Challenge to a duel")
    def post(self, request):
        data = DuelIn(data=request.data)
        data.is_valid(raise_exception=True)
        opponent = None
        if data.validated_data.get("opponent"):
            opponent = selectors.member_active(member_id=data.validated_data["opponent"])
            if opponent is None:
                raise Http404
        duel = duels.duel_create(challenger=request.member, opponent=opponent)
        duel = selectors.duel_by_id(duel_id=duel.pk)
        return Response(DuelOut(selectors.duel_view(duel=duel, member=request.member)).data,
                        status=201)


class DuelJoin(APIView):
    permission_classes = MEMBER

    @extend_schema(request=None, responses=DuelOut, summary="Take up a duel")
    def post(self, request, duel_id):
        duel = duels.duel_join(duel=_duel(request, duel_id, joining=True),
                               member=request.member)
        return Response(DuelOut(selectors.duel_view(
            duel=selectors.duel_by_id(duel_id=duel.pk), member=request.member)).data)


class DuelState(APIView):
    permission_classes = MEMBER

    @extend_schema(responses=DuelOut, summary="A duel's state (poll about once a second)")
    def get(self, request, duel_id):
        duel = duels.duel_tick(duel=_duel(request, duel_id), member=request.member)
        return Response(DuelOut(selectors.duel_view(
            duel=selectors.duel_by_id(duel_id=duel.pk), member=request.member)).data)


class DuelAnswer(APIView):
    permission_classes = MEMBER

    @extend_schema(request=AnswerIn, responses=DuelAnswerOut,
                   summary="Answer the duel's current question")
    def post(self, request, duel_id):
        data = AnswerIn(data=request.data)
        data.is_valid(raise_exception=True)
        result = duels.duel_answer(duel=_duel(request, duel_id), member=request.member,
                                   position=data.validated_data["position"],
                                   answer=data.validated_data["answer"])
        return Response(DuelAnswerOut({"correct": result.correct, "won": result.won}).data)


class BankImportIn(serializers.Serializer):
    file = serializers.FileField(help_text="an .xlsx on the template of the bank page "
                                           "(/quiz/manage/template.xlsx on the company's site)")


class BankImportErrorOut(serializers.Serializer):
    row = serializers.IntegerField(help_text="the row's number in the sheet")
    text = serializers.CharField(allow_blank=True)
    message = serializers.CharField(help_text="all of the row's problems")


class BankImportOut(serializers.Serializer):
    created = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="good rows whose text is already in the bank")
    total = serializers.IntegerField(help_text="rows read")
    errors = BankImportErrorOut(many=True)


class BankImport(APIView):
    """The company's own bank from xlsx, as on the bank page (toolkit.quiz.bank.bank_import):
    every good row imported, every bad one listed with its row number and problems; a file that
    cannot be read at all is refused with its code (question_file_*)."""

    permission_classes = ADMIN
    parser_classes = [MultiPartParser]
    throttle_scope = "api-write"

    @extend_schema(request={"multipart/form-data": BankImportIn}, responses=BankImportOut,
                   summary="Import questions into the company's bank from xlsx (admin)")
    def post(self, request):
        data = BankImportIn(data=request.data)
        data.is_valid(raise_exception=True)
        imported = bank.bank_import(upload=data.validated_data["file"])
        return Response(BankImportOut({
            "created": imported.created, "skipped": imported.skipped,
            "total": imported.checked.total, "errors": imported.checked.errors}).data)
