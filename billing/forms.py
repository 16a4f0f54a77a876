from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from billing.models import BillingAccount, Feature, Plan

GB = 1024 ** 3
CENT = Decimal("0.01")


class DetailsForm(forms.ModelForm):
    class Meta:
        model = BillingAccount
        fields = ["invoice_title", "tax_id", "invoice_address", "invoice_bank", "email"]


class PlanForm(forms.Form):
    """Staff's plan: prices in yuan and storage in GB on the page, fen and bytes in the plan."""

    code = forms.SlugField(label=_("代码"), max_length=40,
                           help_text=_("英文字母、数字或连字符，创建后不能修改。"))
    name = forms.CharField(label=_("名称"), max_length=50)
    price_month = forms.DecimalField(label=_("月付价格（元）"), max_digits=9, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0"))])
    price_year = forms.DecimalField(label=_("年付价格（元）"), max_digits=10, decimal_places=2,
                                    validators=[MinValueValidator(Decimal("0"))])
    member_limit = forms.IntegerField(label=_("党员上限"), min_value=1, max_value=10_000_000)
    storage_quota_gb = forms.DecimalField(label=_("存储空间（GB）"), max_digits=8,
                                          decimal_places=2,
                                          validators=[MinValueValidator(Decimal("0.01"))])
    features = forms.MultipleChoiceField(label=_("功能"), choices=Feature.choices,
                                         required=False, widget=forms.CheckboxSelectMultiple)
    is_public = forms.BooleanField(label=_("可订阅"), required=False)
    sort = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=0)

    def __init__(self, data=None, *, plan: Plan | None = None, **kwargs):
        if plan is not None:
            kwargs["initial"] = plan_initial(plan)
        super().__init__(data, **kwargs)
        if plan is not None:
            self.fields["code"].disabled = True
            self.fields["code"].initial = plan.code
            self.fields["code"].help_text = ""

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"code": data["code"], "name": data["name"].strip(),
                "price_month_fen": int(data["price_month"] * 100),
                "price_year_fen": int(data["price_year"] * 100),
                "member_limit": data["member_limit"],
                "storage_quota_bytes": int(data["storage_quota_gb"] * GB),
                "features": list(data["features"]), "is_public": data["is_public"],
                "sort": data["sort"]}


def plan_initial(plan: Plan) -> dict:
    return {"code": plan.code, "name": plan.name,
            "price_month": (Decimal(plan.price_month_fen) / 100).quantize(CENT),
            "price_year": (Decimal(plan.price_year_fen) / 100).quantize(CENT),
            "member_limit": plan.member_limit,
            "storage_quota_gb": (Decimal(plan.storage_quota_bytes) / GB).quantize(CENT),
            "features": list(plan.features), "is_public": plan.is_public, "sort": plan.sort}


def _date_input() -> forms.DateInput:
    # ISO, whatever the language: <input type="date"> takes nothing else.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class SponsorForm(forms.Form):
    """A sponsored period (孵化期免费) for a company or a whole batch."""

    starts_on = forms.DateField(label=_("开始日期"), widget=_date_input())
    ends_on = forms.DateField(label=_("结束日期"), widget=_date_input())
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
