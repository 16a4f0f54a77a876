"""知识问答 pages: the rounds open now, playing a round one question at a time (each served by
the server, answered by a form post, its answer shown only then), a round's results and
leaderboard."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import Refused
from toolkit.org.access import company_user_required, member_required
from toolkit.quiz import selectors, services
from toolkit.quiz.drawing import pool_size, question_revealed, question_shown


def _round(round_id: int):
    found = selectors.round_by_id(round_id=round_id)
    if found is None:
        raise Http404
    return found


@company_user_required
def home(request):
    rounds = selectors.rounds_open()
    attempts = (selectors.attempts_by_round(member=request.member, rounds=rounds)
                if request.member else {})
    duels = selectors.duels_of(member=request.member) if request.member else []
    sizes = {source: pool_size(source=source) for source in {r.source for r in rounds}}
    return render(request, "quiz/home.html", {
        "rounds": [(r, attempts.get(r.pk), sizes[r.source]) for r in rounds], "duels": duels,
        "duels_open": selectors.duels_open_to(member=request.member) if request.member else []})


@require_POST
@member_required
def start(request, round_id):
    """Draws the member's one attempt (a button, not a link: nothing is drawn by a GET)."""
    quiz_round = _round(round_id)
    try:
        services.attempt_start(round=quiz_round, member=request.member)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("quiz:home")
    return redirect("quiz:play", round_id=quiz_round.pk)


@member_required
def play(request, round_id):
    """GET: the question to answer now (served now, its clock running). POST: the answer to
    it, then the answer and explanation are shown with a link to the next question."""
    quiz_round = _round(round_id)
    if request.method == "POST":
        return _answer(request, quiz_round)
    attempt = selectors.attempt_of(round=quiz_round, member=request.member)
    if attempt is None:
        return redirect("quiz:home")
    try:
        question = services.question_next(attempt=attempt, member=request.member)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("quiz:result", round_id=quiz_round.pk)
    if question is None:
        return redirect("quiz:result", round_id=quiz_round.pk)
    shown = question_shown(question)
    return render(request, "quiz/play.html", {
        "round": quiz_round, "attempt": attempt, "question": shown,
        "options": list(zip("ABCDEF", shown["options"], strict=False)),
        "seconds_left": max(0, int((question.deadline - timezone.now()).total_seconds()))})


def _answer(request, quiz_round):
    attempt = selectors.attempt_of(round=quiz_round, member=request.member)
    if attempt is None:
        return redirect("quiz:play", round_id=quiz_round.pk)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        position = 0
    answer = request.POST.getlist("answer")
    try:
        answered = services.answer_submit(attempt_id=attempt.pk, member=request.member,
                                          position=position, answer=answer)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("quiz:play", round_id=quiz_round.pk)
    return render(request, "quiz/answered.html", {
        "round": quiz_round, "attempt": answered.attempt,
        "shown": question_revealed(answered.question), "finished": answered.next is None})


@company_user_required
def result(request, round_id):
    quiz_round = _round(round_id)
    attempt = (selectors.attempt_of(round=quiz_round, member=request.member)
               if request.member else None)
    questions = []
    if attempt is not None and attempt.finished_at is not None:
        questions = [question_revealed(q)
                     for q in selectors.attempt_questions(attempt=attempt)]
    scope = request.GET.get("scope", "company")
    unit_id = request.member.unit_id if scope == "branch" and request.member else None
    return render(request, "quiz/result.html", {
        "round": quiz_round, "attempt": attempt, "questions": questions, "scope": scope,
        "board": selectors.leaderboard(round=quiz_round, unit_id=unit_id)})

