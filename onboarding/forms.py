from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import validate_mobile
from onboarding import creditcode
from onboarding.models import ApplicationStatus, IncubationBatch, Industry
from onboarding.validators import validate_credit_code
from tenants.models import Company, CompanyStatus, Plan


class ApplicationForm(forms.Form):
    company_name = forms.CharField(label=_("公司名称"), max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=22,
                                  help_text=_("18 位，见营业执照"))
    industry = forms.ChoiceField(label=_("所属行业"), choices=Industry.choices)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    mobile = forms.CharField(label=_("手机号"), max_length=11)
    email = forms.EmailField(label=_("电子邮箱"))
    has_party_org = forms.BooleanField(label=_("已建立党组织"), required=False)
    party_members = forms.IntegerField(label=_("党员人数"), min_value=0, max_value=100000,
                                       initial=0)
    party_branches = forms.IntegerField(label=_("党支部数"), min_value=0, max_value=1000,
                                        initial=0)
    preferred_batch = forms.ModelChoiceField(label=_("意向孵化批次"), required=False,
                                             queryset=IncubationBatch.objects.all(),
                                             empty_label=_("由孵化器安排"))

    # Checked with the other fields, so one submit shows every problem at once (the service
    # checks again: it is the rule, this is the courtesy).
    def clean_credit_code(self) -> str:
        code = creditcode.normalise(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean_mobile(self) -> str:
        mobile = self.cleaned_data["mobile"].strip()
        validate_mobile(mobile)
        return mobile


class ApproveForm(forms.Form):
    slug = forms.CharField(label=_("子域名"), max_length=40,
                           help_text=_("按公司名称拼音建议，可修改"))
    plan = forms.ChoiceField(label=_("套餐"), choices=Plan.choices, initial=Plan.TRIAL)
    batch = forms.ModelChoiceField(label=_("孵化批次"), required=False,
                                   queryset=IncubationBatch.objects.all(),
                                   empty_label=_("暂不分配"))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("驳回理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部"))] + ApplicationStatus.choices)
    industry = forms.ChoiceField(label=_("行业"), required=False,
                                 choices=[("", _("全部"))] + Industry.choices)
    batch = forms.ModelChoiceField(label=_("意向批次"), required=False,
                                   queryset=IncubationBatch.objects.all(), empty_label=_("全部"))
    q = forms.CharField(label=_("搜索"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("公司、联系人或信用代码")}))


class BatchForm(forms.Form):
    name = forms.CharField(label=_("批次名称"), max_length=100)
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))


class EnrolForm(forms.Form):
    company = forms.ModelChoiceField(
        label=_("加入公司"),
        queryset=Company.objects.exclude(schema_name="public").exclude(
            status=CompanyStatus.ARCHIVED).filter(enrolment__isnull=True),
    )


class AdminInviteForm(forms.Form):
    full_name = forms.CharField(label=_("管理员姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号"), max_length=11, validators=[validate_mobile],
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("邀请链接发到这个地址。"))
