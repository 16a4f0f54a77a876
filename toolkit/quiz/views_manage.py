"""The admin's quiz pages: the company's bank (add, retire, import from xlsx with per-row
errors, the template) and publishing a special round."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import company_admin_required
from core.errors import Refused, refusal_to_form
from toolkit.quiz import bank, services
from toolkit.quiz.drawing import pool_size
from toolkit.quiz.forms import BankQuestionForm, ImportForm, SpecialRoundForm
from toolkit.quiz.models import BankQuestion, QuizRound, RoundKind, Source
from training.question_import import template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, **forms):
    context = {
        "questions": BankQuestion.objects.filter(retired_at__isnull=True)[:200],
        "own_count": pool_size(source=Source.OWN),
        "shared_count": pool_size(source=Source.SHARED),
        "specials": QuizRound.objects.filter(kind=RoundKind.SPECIAL)[:20],
        "question_form": BankQuestionForm(), "import_form": ImportForm(),
        "round_form": SpecialRoundForm(), **forms}
    return render(request, "quiz/manage.html", context)


@company_admin_required
def manage(request):
    return _page(request)


@require_POST
@company_admin_required
def question_add(request):
    form = BankQuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            bank.bank_question_add(kind=data["kind"], text=data["text"],
                                   options=data["options"].splitlines(),
                                   answer=data["answer"], explanation=data["explanation"])
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("题目已加入题库。"))
            return redirect("quiz:manage")
    return _page(request, question_form=form)


@require_POST
@company_admin_required
def question_retire(request, question_id):
    bank.bank_question_retire(question=get_object_or_404(BankQuestion, pk=question_id))
    messages.success(request, _("题目已停用。"))
    return redirect("quiz:manage")


@require_POST
@company_admin_required
def bank_import(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, import_form=form)
    try:
        imported = bank.bank_import(upload=form.cleaned_data["file"])
    except Refused as refusal:
        refusal_to_form(form, refusal)
        return _page(request, import_form=form)
    return _page(request, imported=imported)


@company_admin_required
def bank_template(request):
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="quiz-questions.xlsx"'
    return response


@require_POST
@company_admin_required
def round_publish(request):
    form = SpecialRoundForm(request.POST)
    if form.is_valid():
        try:
            services.round_publish(**form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("专题竞赛已发布。"))
            return redirect("quiz:manage")
    return _page(request, round_form=form)
