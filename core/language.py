from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(request) -> str:
    """Chinese, unless this person picked another language with the switch (its cookie).
    The browser's Accept-Language is not consulted: the product is Chinese first."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        code = chosen_language(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
