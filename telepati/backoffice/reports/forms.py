"""Forms of the complaints desk: the inbox filters and one form per report-page action.

Forms only parse what was typed; the services decide. Action forms carry the version the
officer saw (`expected_version`, hidden) so a decision made on a stale page is refused.
Domain errors land on the form through `errors_apply` (field errors where the service names
a field this form shows, otherwise on the form as a whole).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from telepati.core.errors import DomainError, InvalidInput
from telepati.org.models import Kelurahan, Unit
from telepati.reports.lifecycle import Status
from telepati.reports.models import Category, Channel, Priority
from telepati.reports.selectors import DeadlineFilter, ReportFilters
from telepati.reports.selectors_inbox import InboxSort


def _choices_set(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


# --- Inbox -------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    """The inbox's GET form; unknown or invalid values are dropped, never an error page."""

    q = forms.CharField(label=_("Cari"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.TypedChoiceField(label=_("Kategori"), required=False, coerce=int)
    kelurahan = forms.TypedChoiceField(label=_("Kelurahan"), required=False, coerce=int)
    unit = forms.TypedChoiceField(label=_("Diteruskan ke unit"), required=False, coerce=int)
    channel = forms.ChoiceField(label=_("Kanal"), required=False)
    deadline = forms.ChoiceField(label=_("Batas waktu"), required=False)
    mine = forms.BooleanField(label=_("Ditugaskan kepada saya"), required=False)
    sort = forms.ChoiceField(label=_("Urutkan"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        categories: list[Category],
        kelurahan: list[Kelurahan],
        units: list[Unit],
    ) -> None:
        super().__init__(data)
        every = [("", _("Semua"))]
        _choices_set(self, "status", every + list(Status.choices))
        _choices_set(self, "category", every + [(c.pk, c.name) for c in categories])
        _choices_set(self, "kelurahan", every + [(k.pk, k.name) for k in kelurahan])
        _choices_set(self, "unit", every + [(u.pk, u.name) for u in units])
        _choices_set(self, "channel", every + list(Channel.choices))
        _choices_set(
            self,
            "deadline",
            [
                *every,
                (DeadlineFilter.DUE_SOON, _("Segera jatuh tempo")),
                (DeadlineFilter.BREACHED, _("Lewat batas waktu")),
            ],
        )
        _choices_set(
            self,
            "sort",
            [
                (InboxSort.NEWEST, _("Terbaru")),
                (InboxSort.OLDEST, _("Terlama")),
                (InboxSort.DEADLINE, _("Batas waktu terdekat")),
            ],
        )

    def value(self, name: str) -> Any:
        """The cleaned value, or empty when the field was invalid (ignored)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    def report_filters(self) -> ReportFilters:
        return ReportFilters(
            status=self.value("status") or None,
            category_id=self.value("category") or None,
            kelurahan_id=self.value("kelurahan") or None,
            unit_id=self.value("unit") or None,
            channel=self.value("channel") or None,
            deadline=self.value("deadline") or None,
            assigned_to_me=bool(self.value("mine")),
        )

    def search_text(self) -> str:
        return self.value("q") or ""

    def sort_order(self) -> InboxSort:
        return InboxSort(self.value("sort") or InboxSort.NEWEST)


class BulkForm(forms.Form):
    """Rows picked in the inbox for a bulk action."""

    reports = forms.MultipleChoiceField(label=_("Laporan terpilih"))
    action = forms.ChoiceField(
        label=_("Tindakan"),
        choices=[("assign_me", _("Tugaskan ke saya")), ("verify", _("Verifikasi terpilih"))],
    )

    def __init__(self, data: Any, *, max_rows: int) -> None:
        super().__init__(data)
        self.max_rows = max_rows
        picked = data.getlist("reports") if hasattr(data, "getlist") else []
        _choices_set(self, "reports", [(value, value) for value in picked])

    def clean_reports(self) -> list[str]:
        values: list[str] = list(dict.fromkeys(self.cleaned_data["reports"]))
        if len(values) > self.max_rows:
            raise forms.ValidationError(
                _("Pilih paling banyak %(n)d laporan sekaligus.") % {"n": self.max_rows}
            )
        return values


# --- Report page actions -----------------------------------------------------------------


class ActionForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def errors_apply(self, error: DomainError) -> None:
        """Show a refused service call on the form, keeping what was typed."""
        fields = error.field_errors if isinstance(error, InvalidInput) else {}
        placed: list[str] = []
        for name, messages in fields.items():
            target = FIELD_ALIASES.get(name, name)
            if target in self.fields:
                for message in messages:
                    self.add_error(target, message)
                placed += messages
        if str(error) not in placed:
            self.add_error(None, str(error))


class ServiceChoiceField(forms.TypedChoiceField):
    """A choice list for display; any value of the right type passes to the service, which
    decides (so a refused officer gets the service's answer, not a form error)."""

    def valid_value(self, value: Any) -> bool:
        return True


class ServiceMultipleChoiceField(forms.TypedMultipleChoiceField):
    """Several choices for display; the service checks every value (see ServiceChoiceField)."""

    def valid_value(self, value: Any) -> bool:
        return True


# Service field names → form field names, where they differ.
FIELD_ALIASES = {"unit_ids": "units", "into_report": "into", "uploads": "photo"}

_TEXTAREA = forms.Textarea(attrs={"rows": 3})


class VerifyForm(ActionForm):
    title = forms.CharField(label=_("Intisari"), max_length=150, required=False)
    category = ServiceChoiceField(label=_("Kategori"), required=False)
    kelurahan = ServiceChoiceField(label=_("Kelurahan"), required=False, coerce=int)
    priority = ServiceChoiceField(label=_("Prioritas"), choices=Priority.choices, required=False)

    def __init__(
        self, *args: Any, categories: list[Category], kelurahan: list[Kelurahan], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices_set(self, "category", [(c.code, c.name) for c in categories])
        _choices_set(self, "kelurahan", [("", "-")] + [(k.pk, k.name) for k in kelurahan])


class HoldForm(ActionForm):
    question = forms.CharField(label=_("Yang perlu dilengkapi pelapor"), widget=_TEXTAREA)


class RejectForm(ActionForm):
    reason = forms.CharField(label=_("Alasan penolakan"), widget=_TEXTAREA)


class ForwardForm(ActionForm):
    units = ServiceMultipleChoiceField(
        label=_("Unit tujuan"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    instruction = forms.CharField(label=_("Instruksi"), widget=_TEXTAREA, required=False)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices_set(self, "units", [(u.pk, u.name) for u in units])


class AssignForm(ActionForm):
    assignee = ServiceChoiceField(label=_("Petugas"), coerce=int, required=False)

    def __init__(self, *args: Any, officers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices_set(self, "assignee", [("", _("— lepas penugasan —")), *officers])


class NoteForm(ActionForm):
    message = forms.CharField(label=_("Catatan internal"), widget=_TEXTAREA)


class ReplyForm(ActionForm):
    message = forms.CharField(label=_("Kabar untuk pelapor (WhatsApp)"), widget=_TEXTAREA)


class ResolveForm(ActionForm):
    message = forms.CharField(label=_("Hasil penanganan untuk pelapor"), widget=_TEXTAREA)
    photo = forms.FileField(label=_("Foto bukti (opsional)"), required=False)


class CloseForm(ActionForm):
    reason = forms.CharField(label=_("Catatan penutupan (opsional)"), required=False)


class ReopenForm(ActionForm):
    reason = forms.CharField(label=_("Alasan dibuka kembali"), widget=_TEXTAREA)


class MergeForm(ActionForm):
    into = forms.CharField(label=_("Nomor laporan tujuan"), max_length=20)
