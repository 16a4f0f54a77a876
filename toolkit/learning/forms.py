from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toolkit.learning.models import LearningSettings
from toolkit.org.models import Member
from toolkit.org.selectors import by_name
from training.models import Course


class LearningSettingsForm(forms.ModelForm):
    class Meta:
        model = LearningSettings
        fields = ["member_hours", "leader_hours", "remind_days_before", "remedial_course"]

    def __init__(self, *args, courses=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a course the company has (delivered or adopted) can be the remedial course.
        self.fields["remedial_course"].queryset = (
            courses if courses is not None else Course.objects.none())
        for name, low, high in (("member_hours", 0, 999), ("leader_hours", 0, 999),
                                ("remind_days_before", 0, 60)):
            self.fields[name].validators += [MinValueValidator(low), MaxValueValidator(high)]


class ExternalCreditForm(forms.Form):
    member = forms.ModelChoiceField(label=_("党员"), queryset=Member.objects.none())
    hours = forms.DecimalField(label=_("学时"), max_digits=4, decimal_places=1,
                               min_value=Decimal("0.5"), max_value=Decimal(99))
    occurred_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("培训内容"), max_length=200)
    evidence = forms.FileField(label=_("证明材料"), help_text=_("图片或 PDF，5 MB 以内"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (Member.objects.filter(user__is_active=True)
                                          .select_related("user").order_by(by_name(), "id"))

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("日期不能晚于今天。"))
        return day


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
