"""双人对战 pages: challenge a colleague (or anyone), join, and the game page, which polls the
duel's state once a second and posts answers as JSON (decision 0022: short polling)."""

import json

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import Refused, error_body
from toolkit.org.access import member_required
from toolkit.quiz import duels, selectors
from toolkit.quiz.models import Duel


def _duel(duel_id: int) -> Duel:
    found = selectors.duel_by_id(duel_id=duel_id)
    if found is None:
        raise Http404
    return found


def _player(request, duel: Duel) -> None:
    if request.member.pk not in (duel.challenger_id, duel.opponent_id):
        raise Http404  # another member's duel is nothing to them


@require_POST
@member_required
def create(request):
    opponent = None
    if request.POST.get("opponent"):
        try:
            opponent = selectors.member_active(member_id=int(request.POST["opponent"]))
        except ValueError:
            opponent = None
        if opponent is None:
            raise Http404
    try:
        duel = duels.duel_create(challenger=request.member, opponent=opponent)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("quiz:home")
    return redirect("quiz:duel", duel_id=duel.pk)


@require_POST
@member_required
def join(request, duel_id):
    duel = _duel(duel_id)
    try:
        duels.duel_join(duel=duel, member=request.member)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("quiz:home")
    return redirect("quiz:duel", duel_id=duel.pk)


@member_required
def duel_page(request, duel_id):
    duel = _duel(duel_id)
    _player(request, duel)
    return render(request, "quiz/duel.html", {"duel": duel})


@member_required
def state(request, duel_id):
    duel = _duel(duel_id)
    _player(request, duel)
    duel = duels.duel_tick(duel=duel, member=request.member)
    return JsonResponse(selectors.duel_view(duel=_duel(duel.pk), member=request.member))


@require_POST
@member_required
def answer(request, duel_id):
    duel = _duel(duel_id)
    _player(request, duel)
    try:
        body = json.loads(request.body or b"{}")
        position = int(body.get("position"))
    except (ValueError, TypeError):
        return JsonResponse({"code": "invalid", "message": "", "fields": {}}, status=400)
    try:
        result = duels.duel_answer(duel=duel, member=request.member, position=position,
                                   answer=body.get("answer"))
    except Refused as refusal:
        return JsonResponse(error_body(refusal), status=400)
    return JsonResponse({"correct": result.correct, "won": result.won})
