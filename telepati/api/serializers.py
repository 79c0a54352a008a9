"""What the REST API reads and writes, as DRF serializers (they also make the schema).

Output serializers only rename and nest what the selectors return; input serializers only
check shapes (types, lengths, formats) — the domain's rules (description length, contact,
answers to the category's questions) stay in the services, whose InvalidInput comes back in
the same error shape with the same field names.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from telepati.reports.lifecycle import Status
from telepati.reports.models import Attachment, CategoryQuestion

# --- Reference data -----------------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    datatype = serializers.CharField(
        help_text="string, number, datetime, text, singlevaluelist, multivaluelist"
    )
    required = serializers.BooleanField()
    variable = serializers.BooleanField(help_text=_("false: teks keterangan, bukan pertanyaan"))
    order = serializers.IntegerField()
    description = serializers.CharField()
    hint = serializers.CharField(source="datatype_description")
    values = serializers.SerializerMethodField()

    @extend_schema_field(ChoiceSerializer(many=True))
    def get_values(self, question: CategoryQuestion) -> list[dict[str, str]]:
        values = question.values if isinstance(question.values, list) else []
        return [{"key": str(item["key"]), "name": str(item["name"])} for item in values]


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    questions = QuestionSerializer(source="open_questions", many=True)


class KelurahanSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    postal_code = serializers.CharField()
    kecamatan = serializers.CharField(source="kecamatan.code")
    kecamatan_name = serializers.CharField(source="kecamatan.name")


# --- Reports: output ----------------------------------------------------------------------


def _status_label(value: str) -> str:
    return str(Status(value).label)


class ReportSummarySerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.name")
    kelurahan = serializers.CharField(source="kelurahan.code", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_status_label(self, report: Any) -> str:
        return _status_label(report.status)


class ReportPageSerializer(serializers.Serializer):
    results = ReportSummarySerializer(source="reports", many=True)
    next_cursor = serializers.CharField(
        allow_null=True, help_text=_("Kirim sebagai ?cursor= untuk halaman berikutnya.")
    )


class PhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    def _absolute(self, field: Any) -> str | None:
        if not field:
            return None
        return str(self.context["request"].build_absolute_uri(field.url))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, photo: Attachment) -> str | None:
        return self._absolute(photo.file)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail_url(self, photo: Attachment) -> str | None:
        return self._absolute(photo.thumbnail)


class TimelineEntrySerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    kind = serializers.CharField()
    status = serializers.CharField(source="to_status", help_text=_("kosong: status tidak berubah"))
    message = serializers.CharField()
    photos = PhotoSerializer(many=True)


class OwnReportSerializer(serializers.Serializer):
    """What only the client that filed the report sees."""

    is_anonymous = serializers.BooleanField()
    is_confidential = serializers.BooleanField()
    answers = serializers.DictField()
    verification_due_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.CharField()
    hold_reason = serializers.CharField()
    merged_into = serializers.CharField(
        source="merged_into.tracking_number", allow_null=True, default=None
    )


class ReportDetailSerializer(serializers.Serializer):
    """A `ClientReportView`: the public view, plus `own` for the client's own reports."""

    tracking_number = serializers.CharField(source="report.tracking_number")
    status = serializers.ChoiceField(source="report.status", choices=Status.choices)
    status_label = serializers.SerializerMethodField()
    category = serializers.CharField(source="report.category.code")
    category_name = serializers.CharField(source="report.category.name")
    title = serializers.CharField(source="report.title")
    description = serializers.CharField(source="report.description")
    kecamatan = serializers.CharField(source="report.kecamatan.code")
    kelurahan = serializers.CharField(source="report.kelurahan.code", allow_null=True, default=None)
    address = serializers.CharField(source="report.address")
    latitude = serializers.FloatField(source="report.latitude", allow_null=True)
    longitude = serializers.FloatField(source="report.longitude", allow_null=True)
    submitted_at = serializers.DateTimeField(source="report.submitted_at")
    resolution_due_at = serializers.DateTimeField(
        source="report.resolution_due_at", allow_null=True
    )
    resolved_at = serializers.DateTimeField(source="report.resolved_at", allow_null=True)
    closed_at = serializers.DateTimeField(source="report.closed_at", allow_null=True)
    is_own = serializers.BooleanField()
    own = serializers.SerializerMethodField()
    timeline = TimelineEntrySerializer(many=True)

    def get_status_label(self, view: Any) -> str:
        return _status_label(view.report.status)

    @extend_schema_field(OwnReportSerializer(allow_null=True))
    def get_own(self, view: Any) -> dict[str, Any] | None:
        if not view.is_own:
            return None
        return dict(OwnReportSerializer(view.report, context=self.context).data)


# --- Reports: input -----------------------------------------------------------------------


@extend_schema_field({"type": "object", "additionalProperties": True})
class AnswersField(serializers.Field):
    """Answers by question code: a JSON object (in multipart, a JSON text of one)."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                data = None
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                _('Kirim jawaban sebagai objek JSON: {"kode": jawaban}.')
            )
        return data

    def to_representation(self, value: Any) -> Any:
        return value


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise serializers.ValidationError(_("Masukkan angka yang sah."))
    return value


class ReportCreateSerializer(serializers.Serializer):
    category = serializers.CharField(max_length=40, help_text=_("kode kategori"))
    description = serializers.CharField(max_length=4000, allow_blank=True)
    title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    kelurahan = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text=_("kode kelurahan")
    )
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True
    )
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    reporter_email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    is_anonymous = serializers.BooleanField(required=False, default=False)
    is_confidential = serializers.BooleanField(required=False, default=False)
    answers = AnswersField(required=False)
    photos = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, max_length=20
    )

    def validate_latitude(self, value: float | None) -> float | None:
        return _finite(value)

    def validate_longitude(self, value: float | None) -> float | None:
        return _finite(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("latitude") is None) != (attrs.get("longitude") is None):
            raise serializers.ValidationError(
                {"location": [_("Kirim latitude dan longitude bersama-sama.")]}
            )
        return attrs


class QuerySerializer(serializers.Serializer):
    """Query arguments: an empty value of a typed argument is an error, not "absent" (the
    schema says what a value must look like, and an empty one does not)."""

    def to_internal_value(self, data: Any) -> Any:
        errors = {
            name: [_("Isi nilai atau hilangkan argumen ini.")]
            for name, field in self.fields.items()
            if not isinstance(field, serializers.CharField) and data.get(name) == ""
        }
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class ReportListQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    updated_since = serializers.DateTimeField(required=False)
    cursor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    limit = serializers.IntegerField(min_value=1, max_value=100, required=False, default=20)


# --- Documents ----------------------------------------------------------------------------


class DocumentStatusQuerySerializer(QuerySerializer):
    code = serializers.CharField(max_length=30, help_text=_("kode permohonan"))
    phone_last4 = serializers.RegexField(
        r"^\d{4}\Z", help_text=_("4 angka terakhir nomor WhatsApp pemohon")
    )


class DocumentStatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    document_name = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    applicant_initials = serializers.CharField()
    applied_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    handed_over_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    fix_note = serializers.CharField()
    office_name = serializers.CharField()
    handover_mode = serializers.CharField()
    handover_mode_label = serializers.CharField()
    delivery_date = serializers.DateField(allow_null=True)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
