import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toolkit.indices.models import IndexItem, IndexSettings
from toolkit.indices.services import SETTINGS_FIELDS
from toolkit.org.models import Member
from toolkit.org.selectors import by_name
from toolkit.periods import add_months, quarter_start


class SettingsForm(forms.ModelForm):
    class Meta:
        model = IndexSettings
        fields = list(SETTINGS_FIELDS)


class ItemForm(forms.ModelForm):
    class Meta:
        model = IndexItem
        fields = ["name", "kind", "points", "active", "code"]


class SelfAssessForm(forms.Form):
    text = forms.CharField(label=_("自评"), max_length=2000, widget=forms.Textarea(attrs={
        "rows": 5}))


class ReviewForm(forms.Form):
    adjustment = forms.DecimalField(label=_("调整分（可为负）"), max_digits=8, decimal_places=2,
                                    min_value=Decimal(-1000), max_value=Decimal(1000),
                                    initial=Decimal(0))
    reason = forms.CharField(label=_("调整理由"), max_length=200, required=False)


class ItemRecordForm(forms.Form):
    member = forms.ModelChoiceField(label=_("党员"), queryset=Member.objects.none())
    item = forms.ModelChoiceField(label=_("加减分项"),
                                  queryset=IndexItem.objects.filter(active=True))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, unit_ids: list[int], user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (Member.objects.filter(unit_id__in=unit_ids)
                                          .exclude(user=user).select_related("user")
                                          .order_by(by_name(), "id"))


def ended_quarters(*, today: datetime.date | None = None, count: int = 8) -> list[datetime.date]:
    """The last `count` quarters that have ended, newest first."""
    current = quarter_start(today or timezone.localdate())
    return [add_months(current, -3 * i) for i in range(1, count + 1)]


class QuarterForm(forms.Form):
    start = forms.ChoiceField(label=_("季度"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = [
            (q.isoformat(), f"{q.year}Q{(q.month - 1) // 3 + 1}") for q in ended_quarters()]

    def clean_start(self) -> datetime.date:
        return datetime.date.fromisoformat(self.cleaned_data["start"])
