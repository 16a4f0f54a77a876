from django import forms
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import Member
from toolkit.org.selectors import by_name
from toolkit.projects.models import FigureKind, ProjectKind


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80)
    kind = forms.ChoiceField(label=_("类别"), choices=ProjectKind.choices)
    goal = forms.CharField(label=_("目标"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))


class FigureForm(forms.Form):
    name = forms.CharField(label=_("指标"), max_length=40)
    unit = forms.CharField(label=_("单位"), max_length=10)
    kind = forms.ChoiceField(label=_("类型"), choices=FigureKind.choices)
    target = forms.DecimalField(label=_("目标值"), required=False, min_value=0,
                                max_digits=14, decimal_places=2)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    """A progress report: the date, a note, a value per figure of the project, evidence."""

    occurred_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), max_length=500)
    files = MultipleFileField(label=_("证明材料（图片或 PDF）"), required=False)

    def __init__(self, *args, figures, **kwargs):
        super().__init__(*args, **kwargs)
        self.figures = list(figures)
        for figure in self.figures:
            self.fields[f"figure_{figure.pk}"] = forms.DecimalField(
                label=f"{figure.name}（{figure.unit}）", required=False, min_value=0,
                max_digits=14, decimal_places=2)

    def values(self) -> dict:
        return {f.pk: self.cleaned_data.get(f"figure_{f.pk}") for f in self.figures
                if self.cleaned_data.get(f"figure_{f.pk}")}


class SharingForm(forms.Form):
    share = forms.BooleanField(label=_("向孵化器报送项目汇总数据"), required=False)


class ParticipantForm(forms.Form):
    member = forms.ModelChoiceField(label=_("参与党员"), queryset=Member.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.select_related("user", "unit").order_by(
            "unit__order", by_name())
        self.fields["member"].label_from_instance = lambda m: m.user.get_full_name()
