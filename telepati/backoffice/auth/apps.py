"""The sign-in area as an app, so its session clock starts at every sign-in."""

from __future__ import annotations

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class BackofficeAuthConfig(AppConfig):
    name = "telepati.backoffice.auth"
    label = "backoffice_auth"
    verbose_name = _("Masuk kantor")

    def ready(self) -> None:
        from telepati.backoffice.auth.middleware import session_marks_on_login

        # Session bookkeeping, not domain logic: whichever way a user signs in (these pages,
        # or client.force_login in tests), the idle and absolute clocks start then, so the
        # first request after sign-in never has to write the session.
        user_logged_in.connect(session_marks_on_login, dispatch_uid="telepati_session_marks")
