"""Admin for the program activity log (imported by `admin`): activities with photo uploads
and linked complaints through the services, photos shown read-only."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from telepati.accounts.admin_scoping import ScopedInlineMixin
from telepati.core.errors import InvalidInput
from telepati.programs.admin import ProgramsScopedAdmin, _actor, _errors_to_form, _run, _thumb
from telepati.programs.models import Activity, ActivityPhoto, PhotoStage
from telepati.programs.services.activities import (
    ActivityDraft,
    activity_draft_check,
    activity_link_report,
    activity_photo_add,
    activity_record,
    activity_update_progress,
)
from telepati.programs.services.common import PhotoUpload

_DRAFT_FIELDS = (
    "kelurahan",
    "program",
    "kind",
    "title",
    "date",
    "end_date",
    "place_name",
    "latitude",
    "longitude",
    "description",
    "partner",
    "budget_source",
    "budget_amount",
    "progress_percent",
    "target_group",
    "people_count",
    "is_public",
)


class ActivityForm(forms.ModelForm[Activity]):
    photo_before = forms.ImageField(label=_("foto sebelum"), required=False)
    photo_after = forms.ImageField(label=_("foto sesudah"), required=False)
    photo_other = forms.ImageField(label=_("foto dokumentasi"), required=False)
    link_reports = forms.CharField(
        label=_("nomor laporan yang diselesaikan"),
        required=False,
        help_text=_("Pisahkan dengan koma, mis. L2610-0012, L2610-0031 (kecamatan yang sama)."),
    )

    class Meta:
        model = Activity
        fields = ("kecamatan", *_DRAFT_FIELDS)

    def draft(self) -> ActivityDraft:
        data = self.cleaned_data
        values = {name: data.get(name) for name in _DRAFT_FIELDS}
        kelurahan = values.pop("kelurahan")
        for text in ("description", "partner", "budget_source", "target_group"):
            values[text] = values[text] or ""
        values["progress_percent"] = values["progress_percent"] or 0
        return ActivityDraft(
            kecamatan_id=data["kecamatan"].pk,
            kelurahan_id=kelurahan.pk if kelurahan else None,
            **values,  # type: ignore[arg-type]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                activity_draft_check(self.draft())
            except InvalidInput as error:
                _errors_to_form(self, error)
        return data


class ActivityPhotoInline(ScopedInlineMixin, admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    max_num = 0
    fields = ("preview", "stage", "caption")
    readonly_fields = ("preview",)

    @admin.display(description=_("foto"))
    def preview(self, obj: ActivityPhoto) -> str:
        return _thumb(obj.thumbnail or obj.photo)


@admin.register(Activity)
class ActivityAdmin(ProgramsScopedAdmin):
    form = ActivityForm
    list_display = ("title", "program", "kind", "date", "kelurahan", "progress_percent")
    list_filter = ("program", "kind", "is_public", "kelurahan")
    list_select_related = ("kelurahan",)
    search_fields = ("title", "place_name")
    date_hierarchy = "date"
    readonly_fields = ("linked_reports", "version", "created_by", "created_at")
    inlines = (ActivityPhotoInline,)
    actions = ("mark_finished",)

    @admin.display(description=_("laporan terkait"))
    def linked_reports(self, obj: Activity) -> str:
        return ", ".join(r.tracking_number for r in obj.reports.all()) or "-"

    def save_model(self, request: HttpRequest, obj: Activity, form: Any, change: bool) -> None:
        if change:
            obj.version += 1
            super().save_model(request, obj, form, change)
            return
        made = activity_record(actor=_actor(request), draft=form.draft())
        obj.pk = made.pk
        obj._state.adding = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        activity_id = form.instance.pk
        for field, stage in (
            ("photo_before", PhotoStage.BEFORE),
            ("photo_after", PhotoStage.AFTER),
            ("photo_other", PhotoStage.OTHER),
        ):
            upload = form.cleaned_data.get(field)
            if upload:
                photo = PhotoUpload(name=upload.name, content=upload.read())
                _run(
                    self,
                    request,
                    partial(
                        activity_photo_add,
                        actor=_actor(request),
                        activity_id=activity_id,
                        photo=photo,
                        stage=stage,
                    ),
                )
        for number in (form.cleaned_data.get("link_reports") or "").split(","):
            if number.strip():
                _run(
                    self,
                    request,
                    partial(
                        activity_link_report,
                        actor=_actor(request),
                        activity_id=activity_id,
                        tracking_number=number,
                    ),
                )

    @admin.action(description=_("Tandai selesai (progres 100%)"))
    def mark_finished(self, request: HttpRequest, queryset: QuerySet[Activity]) -> None:
        done = sum(
            _run(
                self,
                request,
                partial(
                    activity_update_progress,
                    actor=_actor(request),
                    activity_id=a.pk,
                    progress_percent=100,
                ),
            )
            for a in queryset
        )
        self.message_user(request, _("%(n)d kegiatan diperbarui.") % {"n": done})
