"""Forms of the activity log: the list's filters, recording an activity, and the actions on
one activity (progress, photos, linked complaints).

The kind of activity is one select grouped by program; the service refuses a kind of
another program. The place is one select too: a kelurahan, or a whole kecamatan for work
across kelurahan ("k<id>"), offered only to officers who manage the kecamatan as a whole.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from telepati.backoffice.programs.forms import (
    DATE_ERRORS,
    EVERY,
    AmountField,
    PhotoField,
    VersionForm,
    choices_set,
    date_input,
)
from telepati.programs.models import ActivityKind, BudgetSource, PhotoStage, Program
from telepati.programs.models.activity import PROGRAM_KINDS
from telepati.programs.services.activities import ActivityDraft

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
COORDINATE_ERRORS = {"invalid": _("Isi koordinat dengan angka desimal, mis. 3.5321.")}


def month_parse(value: str) -> dt.date | None:
    """ "2026-10" → 1 October 2026; anything else → None."""
    found = _MONTH_RE.match(value.strip())
    if found is None:
        return None
    year, month = int(found[1]), int(found[2])
    return dt.date(year, month, 1) if 1 <= month <= 12 and year >= 2000 else None


def kind_choices() -> list[Any]:
    """Kinds grouped by program (in the order of the choices), then the kind every program
    may use."""
    groups: list[Any] = [("", _("Pilih jenis kegiatan"))]
    for program in Program:
        kinds = PROGRAM_KINDS.get(program.value, frozenset())
        groups.append(
            (program.label, [(k.value, k.label) for k in ActivityKind if k.value in kinds])
        )
    groups.append((_("Semua program"), [(ActivityKind.OTHER.value, ActivityKind.OTHER.label)]))
    return groups


class ActivityFilterForm(forms.Form):
    """The list's GET form; unknown or invalid values are dropped, never an error page."""

    program = forms.ChoiceField(label=_("Program"), required=False)
    kelurahan = forms.TypedChoiceField(
        label=_("Kelurahan"), required=False, coerce=int, empty_value=None
    )
    bulan = forms.CharField(
        label=_("Bulan"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"}),
    )

    def __init__(self, data: Any, *, kelurahan: list[tuple[int, str]]) -> None:
        super().__init__(data)
        choices_set(self, "program", [EVERY, *Program.choices])
        choices_set(self, "kelurahan", [EVERY, *kelurahan])

    def value(self, name: str) -> Any:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    def month(self) -> dt.date | None:
        return month_parse(self.value("bulan") or "")


def place_parse(value: str) -> tuple[int | None, int | None]:
    """The place select's value → (kecamatan id, kelurahan id); "k3" is all of kecamatan 3."""
    if value.startswith("k") and value[1:].isdigit():
        return int(value[1:]), None
    if value.isdigit():
        return None, int(value)
    return None, None


class ActivityForm(forms.Form):
    """The fields of `ActivityDraft`."""

    program = forms.ChoiceField(label=_("Program"), required=False)
    kind = forms.ChoiceField(label=_("Jenis kegiatan"), required=False)
    title = forms.CharField(label=_("Judul"), required=False, max_length=200)
    kelurahan = forms.ChoiceField(
        label=_("Wilayah"),
        error_messages={"required": _("Pilih wilayah."), "invalid_choice": _("Pilih wilayah.")},
    )
    place_name = forms.CharField(
        label=_("Lokasi"),
        required=False,
        max_length=200,
        help_text=_("Mis. Jl. Garu II, gang Mawar."),
    )
    date = forms.DateField(label=_("Tanggal"), widget=date_input(), error_messages=DATE_ERRORS)
    end_date = forms.DateField(
        label=_("Tanggal selesai"), required=False, widget=date_input(), error_messages=DATE_ERRORS
    )
    latitude = forms.DecimalField(
        label=_("Lintang"),
        required=False,
        max_digits=9,
        decimal_places=6,
        localize=False,
        error_messages=COORDINATE_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Bujur"),
        required=False,
        max_digits=9,
        decimal_places=6,
        localize=False,
        error_messages=COORDINATE_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    description = forms.CharField(
        label=_("Uraian"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    partner = forms.CharField(
        label=_("Pelaksana/mitra"),
        required=False,
        max_length=200,
        help_text=_("Mis. Dinas SDABMBK, DLH, UPT Puskesmas Amplas."),
    )
    budget_source = forms.ChoiceField(label=_("Sumber anggaran"), required=False)
    budget_amount = AmountField(label=_("Anggaran (Rp)"))
    progress_percent = AmountField(label=_("Progres (%)"), max_length=3)
    target_group = forms.CharField(
        label=_("Sasaran"),
        required=False,
        max_length=150,
        help_text=_("Wajib untuk vaksinasi, mis. lansia, anak 6–11 tahun."),
    )
    people_count = AmountField(label=_("Jumlah orang"))
    is_public = forms.BooleanField(label=_("Tampilkan di halaman publik"), required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        places: list[tuple[str, str]],
        kecamatan_of: dict[int, int],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.kecamatan_of = kecamatan_of
        choices_set(self, "program", [("", _("Pilih program")), *Program.choices])
        choices_set(self, "kind", kind_choices())
        choices_set(self, "kelurahan", [("", _("Pilih wilayah")), *places])
        choices_set(
            self, "budget_source", [("", _("Tidak ada/tidak diketahui")), *BudgetSource.choices]
        )

    def draft(self) -> ActivityDraft:
        """The draft (the place is one of the offered choices, so its kecamatan is known)."""
        data = self.cleaned_data
        kecamatan_id, kelurahan_id = place_parse(data["kelurahan"])
        if kelurahan_id is not None:
            kecamatan_id = self.kecamatan_of[kelurahan_id]
        assert kecamatan_id is not None
        return ActivityDraft(
            kecamatan_id=kecamatan_id,
            kelurahan_id=kelurahan_id,
            program=data["program"],
            kind=data["kind"],
            title=data["title"],
            date=data["date"],
            end_date=data["end_date"],
            place_name=data["place_name"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            description=data["description"],
            partner=data["partner"],
            budget_source=data["budget_source"],
            budget_amount=data["budget_amount"],
            progress_percent=data["progress_percent"] or 0,
            target_group=data["target_group"],
            people_count=data["people_count"],
            is_public=data["is_public"],
        )


def activity_initial() -> dict[str, Any]:
    return {"date": timezone.localdate(), "is_public": True, "progress_percent": 0}


# --- Actions on one activity --------------------------------------------------------------


class ProgressForm(VersionForm):
    progress_percent = AmountField(label=_("Progres (%)"), max_length=3, required=True)
    end_date = forms.DateField(
        label=_("Tanggal selesai"), required=False, widget=date_input(), error_messages=DATE_ERRORS
    )
    people_count = AmountField(label=_("Jumlah orang"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["progress_percent"].error_messages["required"] = _("Isi progres 0 sampai 100.")


class ActivityPhotoForm(forms.Form):
    stage = forms.ChoiceField(label=_("Tahap"), choices=PhotoStage.choices)
    photo = PhotoField(label=_("Foto"))
    caption = forms.CharField(label=_("Keterangan"), required=False, max_length=200)


class LinkForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Nomor laporan"),
        max_length=40,
        help_text=_("Nomor lacak laporan warga yang diselesaikan kegiatan ini."),
        error_messages={"required": _("Isi nomor laporan.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
