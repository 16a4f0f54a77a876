import re

from django import forms
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import Member

_SPLIT = re.compile(r"[\s,，、;；]+")


def paired_parse(text: str) -> list[dict]:
    """One employee a line: the name, then the department (space, comma or 、 between)."""
    rows = []
    for line in text.splitlines():
        parts = [p for p in _SPLIT.split(line.strip(), maxsplit=1) if p]
        if parts:
            rows.append({"name": parts[0], "department": parts[1] if len(parts) > 1 else ""})
    return rows


def paired_text(paired: list[dict]) -> str:
    return "\n".join(f"{p['name']} {p.get('department', '')}".strip() for p in paired)


class PairedField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(label=_("结对职工（每行一人：姓名 部门）"), max_length=3000,
                         widget=forms.Textarea(attrs={"rows": 5,
                                                      "placeholder": "张三 生产部\n李四 质检部"}),
                         **kwargs)

    def clean(self, value):
        return paired_parse(super().clean(value))


class BlockForm(forms.Form):
    name = forms.CharField(label=_("区块名称"), max_length=100)
    scope = forms.CharField(label=_("区域范围"), max_length=200,
                            help_text=_("例如：3F 东区 A1–A8 工位"))
    responsible = forms.ModelChoiceField(label=_("责任党员"), queryset=Member.objects.none())
    paired = PairedField()

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = members
        self.fields["responsible"].label_from_instance = lambda m: (
            f"{m.user.full_name}（{m.unit.name if m.unit else ''}）")
        if members.count() == 1:
            self.fields["responsible"].initial = members.first()


class PairingForm(forms.Form):
    paired = PairedField()


class TransferForm(forms.Form):
    to = forms.ModelChoiceField(label=_("移交给"), queryset=Member.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = members
        self.fields["to"].label_from_instance = lambda m: (
            f"{m.user.full_name}（{m.unit.name if m.unit else ''}）")
