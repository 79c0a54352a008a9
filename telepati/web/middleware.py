"""Language selection: Bahasa Indonesia unless the person chose English on the site.

Django's LocaleMiddleware follows the browser's Accept-Language header. Many residents'
phones are set to English while they expect their kecamatan's service in Indonesian, so
TELEPATI ignores that header: the language cookie set by the language switch decides,
and without it the site speaks the deployment's default language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware that reads only the explicit choice (cookie), never Accept-Language."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
