from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from toolkit.formsets import FixedRowsFormSet
from toolkit.life.models import ComplianceRule, DuesCategory, DuesSettings, MeetingKind
from toolkit.org.models import Member, OrgUnit
from toolkit.org.selectors import by_name


class MeetingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("组织"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("主题"), max_length=100)
    starts_at = forms.DateTimeField(label=_("开始时间"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("结束时间"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    location = forms.CharField(label=_("地点"), max_length=100, required=False)
    agenda = forms.CharField(label=_("议程"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, unit_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=unit_ids)


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("请假理由"), max_length=200)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("会议记录"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))


class DuesProfileForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=DuesCategory.choices)
    monthly_wage = forms.DecimalField(label=_("税后月工资（元）"), required=False, min_value=0,
                                      max_digits=10, decimal_places=2)


class DuesPaymentForm(forms.Form):
    member = forms.ModelChoiceField(label=_("党员"), queryset=Member.objects.none())
    month = forms.DateField(label=_("所交月份"), widget=forms.DateInput(attrs={"type": "month"}),
                            input_formats=["%Y-%m", "%Y-%m-%d"])

    def __init__(self, *args, member_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(pk__in=member_ids).select_related(
            "user").order_by(by_name(), "id")


class BaseComplianceFormSet(FixedRowsFormSet):
    refusal = _("会议频次是固定的，不能新增。")


ComplianceFormSet = modelformset_factory(ComplianceRule, formset=BaseComplianceFormSet,
                                         fields=["every_months", "warn_days"], edit_only=True,
                                         extra=0)


class DuesSettingsForm(forms.ModelForm):
    class Meta:
        model = DuesSettings
        fields = ["student", "unemployed", "retired", "due_day"]
