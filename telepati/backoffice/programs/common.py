"""Helpers shared by the programs pages: the officer and their area, choices, refusals."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from telepati.accounts.models import User
from telepati.accounts.scope import OfficerScope
from telepati.backoffice.programs.forms import errors_apply
from telepati.core.errors import Conflict, DomainError
from telepati.org.models import Kelurahan
from telepati.programs.selectors_officer import ProgramsArea, programs_area

PAGE_SIZE = 50


def officer(request: HttpRequest) -> tuple[User, OfficerScope, ProgramsArea]:
    """The signed-in officer, their scope (set by `officer_view`) and programs area."""
    user = request.user
    assert isinstance(user, User)
    scope: OfficerScope = request.officer_scope  # type: ignore[attr-defined]
    return user, scope, programs_area(scope)


def kelurahan_choices(kelurahan: list[Kelurahan]) -> list[tuple[int, str]]:
    """Kelurahan as choices; named with their kecamatan when the list spans several."""
    several = len({k.kecamatan_id for k in kelurahan}) > 1
    return [(k.pk, f"{k.name} ({k.kecamatan.name})" if several else k.name) for k in kelurahan]


def refused(request: HttpRequest, form: forms.Form, error: DomainError | None, what: str) -> int:
    """Show a refusal: the service's errors on the form, a message on top; returns the
    status of the re-rendered page (409 when someone else changed the row first)."""
    if error is not None:
        errors_apply(form, error)
    reason = str(error.message) if error is not None else _("Periksa isian yang ditandai.")
    text = _("%(what)s belum tersimpan: %(reason)s") % {"what": what, "reason": reason}
    if any(isinstance(f, forms.FileField) for f in form.fields.values()) and request.FILES:
        text = f"{text} {_('Foto yang dipilih tidak ikut tersimpan; pilih ulang fotonya.')}"
    messages.error(request, text)
    return 409 if isinstance(error, Conflict) else 400


def version_of(form: forms.Form) -> int | None:
    value = form.cleaned_data.get("expected_version")
    return int(value) if value is not None else None
