from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from toolkit.formsets import FixedRowsFormSet
from toolkit.org.models import Member, OrgUnit
from toolkit.org.selectors import by_name
from toolkit.points.models import PointCategory, PointRule


class BoardFilterForm(forms.Form):
    """The leaderboard's period and unit, from the query string: anything else is ignored
    (a period) or not found (a unit)."""

    PERIODS = [("month", _("本月")), ("quarter", _("本季度")), ("year", _("本年"))]
    period = forms.ChoiceField(choices=PERIODS, required=False)
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.all(), required=False)


class BaseRuleFormSet(FixedRowsFormSet):
    """Edits the existing rules only: a posted row beyond them is refused, not created."""

    refusal = _("积分规则是固定的，不能新增。")


RuleFormSet = modelformset_factory(PointRule, formset=BaseRuleFormSet, edit_only=True, extra=0,
                                   fields=["points", "daily_cap", "monthly_cap", "active",
                                           "category"])


MAX_CORRECTION = 100_000  # far above any real correction, far below the balance column's limit


class CorrectionForm(forms.Form):
    member = forms.ModelChoiceField(label=_("党员"),
                                    queryset=Member.objects.select_related("user")
                                    .order_by(by_name(), "id"))
    amount = forms.IntegerField(label=_("积分（可为负）"), min_value=-MAX_CORRECTION,
                                max_value=MAX_CORRECTION)
    category = forms.ChoiceField(label=_("类别"), choices=PointCategory.choices)
    note = forms.CharField(label=_("原因"), max_length=150)
