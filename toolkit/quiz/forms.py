from django import forms
from django.utils.translation import gettext_lazy as _

from toolkit.quiz.models import Source
from training.models import QuestionKind


class SpecialRoundForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    opens_at = forms.DateTimeField(label=_("开始时间"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("结束时间"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    question_count = forms.IntegerField(label=_("题数"), initial=10)
    seconds_per_question = forms.IntegerField(label=_("每题限时（秒）"), initial=30)
    source = forms.ChoiceField(label=_("题库"), choices=Source.choices, initial=Source.BOTH)


class BankQuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("题干"), widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(label=_("选项（每行一个）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    answer = forms.CharField(
        label=_("答案"), max_length=200,
        help_text=_("单选填字母，多选如 A,C，判断填 对/错，填空的多个可接受答案用 | 分隔。"))
    explanation = forms.CharField(label=_("解析"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("题库文件（.xlsx）"))
