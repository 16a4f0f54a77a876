"""The POST forms of a page, and the same forms filled with values no one should type: each
field takes its page-given shape (hidden values, the first real option of a select, a date
where a date goes), so the form reaches its service with numbers and texts at the extremes."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

NUMBERS = {"huge": "99999999999999999999", "negative": "-99999999999999999999", "zero": "0",
           "long": "1", "nul": "1"}
TEXTS = {"huge": "x", "negative": "x", "zero": "x", "long": "长" * 5000, "nul": "x\x00y"}
SHAPED = {"date": "2026-12-01", "datetime-local": "2026-12-01T10:00", "month": "2026-12",
          "email": "someone@example.cn", "tel": "13900000009", "time": "10:00"}


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, type, value)
    options: dict[str, list[str]] = field(default_factory=dict)
    button: tuple[str, str] | None = None


class _Forms(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url, self.forms, self.form, self.select = page_url, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.form = Form(action=a.get("action") or self.page_url)
            self.forms.append(self.form)
        if self.form is None or not a.get("name") and tag != "option":
            return
        if tag == "input":
            self.form.fields.append((a["name"], (a.get("type") or "text").lower(),
                                     a.get("value") or ""))
        elif tag == "textarea":
            self.form.fields.append((a["name"], "textarea", ""))
        elif tag == "select":
            self.select = a["name"]
            self.form.fields.append((a["name"], "select", ""))
            self.form.options[self.select] = []
        elif tag == "option" and self.select:
            self.form.options[self.select].append(a.get("value") or "")
        elif tag == "button" and self.form.button is None:
            self.form.button = (a["name"], a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def post_forms(html: str, page_url: str) -> list[Form]:
    parser = _Forms(page_url)
    parser.feed(html)
    return parser.forms


def filled(form: Form, variant: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for name, kind, value in form.fields:
        if kind == "file" or kind in ("checkbox", "radio") and name in data:
            continue
        if kind == "hidden":
            data[name] = value
        elif kind == "number":
            data[name] = NUMBERS[variant]
        elif kind in ("checkbox", "radio"):
            data[name] = value or "on"
        elif kind == "select":
            data[name] = next((o for o in form.options.get(name, []) if o), "")
        elif kind in SHAPED:
            data[name] = SHAPED[kind]
        else:
            data[name] = TEXTS[variant]
    if form.button:
        data.setdefault(*form.button)
    return data
