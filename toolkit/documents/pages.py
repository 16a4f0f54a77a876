"""What every printed page shares: the stylesheets, the HTML shell and masked numbers."""

from django.template.loader import render_to_string
from django.utils import translation

# The renderer's fetcher serves the project's static files at these paths.
STYLESHEETS = ("/static/pdf/print.css", "/static/pdf/handbook.css")


def page_html(template: str, context: dict) -> str:
    """A whole HTML document for one section or document, in Chinese whatever the language of
    the request or worker that asks: the handbook is printed in Chinese."""
    with translation.override("zh-hans"):
        return render_to_string(template, {"stylesheets": STYLESHEETS, **context})


def mobile_masked(mobile: str) -> str:
    """139****0001: enough to tell two members apart, not enough to call them."""
    if len(mobile) < 7:
        return "*" * len(mobile)
    return f"{mobile[:3]}****{mobile[-4:]}"
