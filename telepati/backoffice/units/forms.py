"""Forms of the unit portal: shapes only; the unit-work services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from telepati.reports.models import DispositionStatus
from telepati.reports.selectors_units import ALL, OPEN, UnitDeadline, UnitFilters


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Zero or more photos in one input (the services clean and count them)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(PhotosField, self).clean(item, initial) for item in data]
        return [] if not data else [super().clean(data, initial)]


class InboxFilterForm(forms.Form):
    """The filters of the unit inbox (query string); unknown values fall back to defaults."""

    status = forms.ChoiceField(
        label=_("Status disposisi"),
        required=False,
        choices=[(OPEN, _("Masih terbuka")), *DispositionStatus.choices, (ALL, _("Semua"))],
    )
    batas = forms.ChoiceField(
        label=_("Batas waktu"),
        required=False,
        choices=[
            ("", _("Semua")),
            (UnitDeadline.DUE_SOON, _("Segera jatuh tempo")),
            (UnitDeadline.BREACHED, _("Lewat batas waktu")),
        ],
    )

    def filters(self) -> UnitFilters:
        if not self.is_valid():
            return UnitFilters()
        return UnitFilters(
            status=self.cleaned_data["status"] or OPEN, deadline=self.cleaned_data["batas"]
        )


class _ActionForm(forms.Form):
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AcknowledgeForm(_ActionForm):
    pass


class UpdateForm(_ActionForm):
    message = forms.CharField(
        label=_("Apa yang sudah dilakukan?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_public = forms.BooleanField(
        label=_("Tampilkan kepada pelapor"), required=False, initial=True
    )
    photos = PhotosField(label=_("Foto (opsional)"))


class CompleteForm(_ActionForm):
    message = forms.CharField(
        label=_("Hasil pekerjaan (dikirim kepada pelapor)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = PhotosField(label=_("Foto bukti pekerjaan"))


class ReturnForm(_ActionForm):
    reason = forms.CharField(
        label=_("Alasan bukan wewenang unit ini"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
