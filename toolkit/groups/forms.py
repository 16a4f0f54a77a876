from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from toolkit.groups.models import GroupKind, WorkKind
from toolkit.org.models import Member
from toolkit.org.selectors import by_name


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.user.get_full_name()
        return name + gettext("（%(x)s）") % {"x": obj.unit.name} if obj.unit else name


def _members():
    return Member.objects.select_related("user", "unit").order_by("unit__order", by_name())


class GroupForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类别"), choices=GroupKind.choices)
    theme = forms.CharField(label=_("主题"), max_length=200)
    leader = MemberChoice(label=_("带头人"), queryset=Member.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _members()


class NominationForm(forms.Form):
    member = MemberChoice(label=_("被提名人"), queryset=Member.objects.none())
    reason = forms.CharField(label=_("提名理由"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _members()


class WorkForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=WorkKind.choices)
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("内容"), max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("附件（图片、PDF 或 MP4）"), required=False)
    member_lesson = forms.ModelChoiceField(label=_("关联微党课"), required=False,
                                           queryset=None)

    def __init__(self, *args, lessons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_lesson"].queryset = lessons
