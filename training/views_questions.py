"""The question bank's pages: list and filter, add and edit, import from xlsx."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import trainer_required
from core.errors import Refused, refusal_to_form
from training import question_services, selectors
from training.forms import QuestionFilterForm, QuestionForm, QuestionImportForm
from training.models import Question
from training.question_check import answer_display
from training.question_import import template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@trainer_required
def question_list(request):
    filters = QuestionFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    found = selectors.questions(**{k: v for k, v in criteria.items() if v})
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    for question in page:
        question.answer_text = answer_display(question)
    return render(request, "training/question_list.html", {"filters": filters, "page": page})


@trainer_required
def question_edit(request, question_id=None):
    question = get_object_or_404(Question, pk=question_id) if question_id else None
    initial = {}
    if question is not None:
        initial = {"kind": question.kind, "text": question.text,
                   "options": "\n".join(question.options), "answer": answer_display(question),
                   "explanation": question.explanation, "category": question.category,
                   "tags": question.tags}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["options"] = data["options"].splitlines()
        try:
            saved = question_services.question_save(question=question, by=request.user, **data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            if question is not None and saved.pk != question.pk:
                messages.success(request, _("这道题已用于已发布的课程：已保存为新题，旧题停用。"))
            else:
                messages.success(request, _("试题已保存。"))
            return redirect("training:question_list")
    in_use = question is not None and selectors.question_in_published(question=question)
    return render(request, "training/question_form.html",
                  {"form": form, "question": question, "in_use": in_use},
                  status=400 if form.is_bound and form.errors else 200)


@trainer_required
@require_POST
def question_retire(request, question_id):
    question = get_object_or_404(Question, pk=question_id)
    question_services.question_retire(question=question)
    messages.success(request, _("试题已停用。"))
    return redirect("training:question_list")


@trainer_required
def question_import(request):
    form = QuestionImportForm(request.POST or None, request.FILES or None)
    errors, status = [], 200
    if request.method == "POST" and form.is_valid():
        try:
            made, errors = question_services.questions_import(upload=form.cleaned_data["file"],
                                                              by=request.user)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            if not errors:
                messages.success(request, _("已导入 %(n)s 道题。") % {"n": len(made)})
                return redirect("training:question_list")
    if form.is_bound and (form.errors or errors):
        status = 400
    return render(request, "training/question_import.html", {"form": form, "errors": errors},
                  status=status)


@trainer_required
def question_template(request):
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="question-template.xlsx"'
    return response
