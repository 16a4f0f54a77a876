"""The product's own 500 page. Something already failed, perhaps the database: the page is a
plain template rendered without the request's context processors (no user, no company, no
query), in the language the visitor chose."""

from django.http import HttpResponseServerError
from django.template import loader
from django.utils import translation

from core.language import chosen_language


def server_error(request):
    with translation.override(chosen_language(request)):
        html = loader.get_template("500.html").render({"LANGUAGE_CODE": translation.get_language()})
    return HttpResponseServerError(html)
