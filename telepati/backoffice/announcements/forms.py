"""The compose form of an announcement: template, its parameters, topics, kelurahan.

The form only parses; `announcement_create`/`_update` decide, and their Indonesian errors
land on the fields through `errors_apply`. The parameter fields follow the chosen template
(param_1, param_2, … labelled as the template says).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from telepati.announcements.selectors import kelurahan_list, template_list_active, topic_list_active
from telepati.announcements.services.announcements import (
    AnnouncementDraft,
    template_param_labels,
)
from telepati.core.errors import DomainError, InvalidInput


def errors_apply(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the form (per field where the form has it)."""
    placed = False
    if isinstance(error, InvalidInput):
        for field, messages in error.field_errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, str(message))
                placed = True
    if not placed:
        form.add_error(None, str(error.message))


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ComposeForm(forms.Form):
    title = forms.CharField(label=_("Judul (hanya untuk petugas)"), max_length=150, required=False)
    template = forms.TypedChoiceField(label=_("Templat WhatsApp"), coerce=int, required=False)
    topics = forms.TypedMultipleChoiceField(
        label=_("Topik"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    kelurahan = forms.TypedMultipleChoiceField(
        label=_("Kelurahan (kosongkan untuk semua kelurahan)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, kecamatan_id: int, initial: Any = None) -> None:
        super().__init__(data, initial=initial)
        templates = template_list_active()
        cast(forms.ChoiceField, self.fields["template"]).choices = [
            ("", _("— pilih templat —"))
        ] + [(t.pk, t.name) for t in templates]
        cast(forms.ChoiceField, self.fields["topics"]).choices = [
            (t.pk, t.name) for t in topic_list_active()
        ]
        cast(forms.ChoiceField, self.fields["kelurahan"]).choices = [
            (k.pk, k.name) for k in kelurahan_list(kecamatan_id=kecamatan_id)
        ]
        chosen = _int(
            self.data.get("template") if data is not None else (initial or {}).get("template")
        )
        self.chosen_template = next((t for t in templates if t.pk == chosen), None)
        for n, label in enumerate(self.param_labels(), start=1):
            self.fields[f"param_{n}"] = forms.CharField(label=label, max_length=500, required=False)

    def param_labels(self) -> list[str]:
        return template_param_labels(self.chosen_template) if self.chosen_template else []

    def param_fields(self) -> list[forms.BoundField]:
        return [self[f"param_{n}"] for n in range(1, len(self.param_labels()) + 1)]

    def draft(self) -> AnnouncementDraft:
        data = self.cleaned_data
        return AnnouncementDraft(
            title=data.get("title") or "",
            template_id=data.get("template"),
            params=[data.get(f"param_{n}") or "" for n in range(1, len(self.param_labels()) + 1)],
            topic_ids=list(data.get("topics") or []),
            kelurahan_ids=list(data.get("kelurahan") or []),
        )
