"""Request guards for the web doors, and language selection.

`NulQueryMiddleware` answers 400 to a query string carrying a NUL character: no page has a
use for it, and PostgreSQL refuses it in text (a DataError, i.e. a 500) wherever a filter
reaches the database.

Language selection: Bahasa Indonesia unless the person chose English on the site.

Django's LocaleMiddleware follows the browser's Accept-Language header. Many residents'
phones are set to English while they expect their kecamatan's service in Indonesian, so
TELEPATI ignores that header: the language cookie set by the language switch decides,
and without it the site speaks the deployment's default language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware that reads only the explicit choice (cookie), never Accept-Language."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NulQueryMiddleware:
    """400 for a query string with a NUL character (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                _("Alamat halaman berisi karakter yang tidak valid."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
