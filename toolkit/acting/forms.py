import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toolkit.acting.models import DutyKind
from toolkit.org.models import Member, OrgUnit
from toolkit.org.selectors import by_name
from toolkit.periods import add_months, month_start


def month_choices(months: int = 6) -> list[tuple[str, str]]:
    first = month_start(timezone.localdate())
    return [(m.isoformat(), f"{m:%Y-%m}") for m in (add_months(first, i) for i in range(months))]


class MonthField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(label=_("月份"), choices=month_choices,
                         coerce=datetime.date.fromisoformat, **kwargs)


class ApplyForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("代理哪个组织的书记"), queryset=OrgUnit.objects.none())
    month = MonthField()
    note = forms.CharField(label=_("申请说明"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units])


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("党组织"), queryset=OrgUnit.objects.none())
    member = forms.ModelChoiceField(label=_("代理书记"), queryset=Member.objects.select_related(
        "user", "unit").filter(user__is_active=True).order_by("unit__order", "unit_id",
                                                               by_name(), "id"))
    month = MonthField()

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.user.full_name}（{m.unit.name if m.unit else ''}）")


class DutyForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=DutyKind.choices)
    text = forms.CharField(label=_("内容"), max_length=500, widget=forms.Textarea(attrs={
        "rows": 3}))
