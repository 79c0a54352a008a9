"""Reports, categories and timelines as Open311 GeoReport v2 data (plain dicts, spec order).

Field mapping (see docs/open311.md): `service_request_id` is the tracking number;
`agency_responsible` the units holding the matter (or the kecamatan desk before any
disposition); `service_notice` the category's deadline targets; `expected_datetime` the
resolution deadline; `updated_datetime` the last public timeline entry, or the closing time
of a closed request; `media_url` the first public photo. Nothing about the reporter is ever
written: Open311 output is public.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.open311.status import CLOSED, extended_status, open311_status
from telepati.reports.models import (
    Category,
    CategoryQuestion,
    DispositionStatus,
    Report,
    ReportEvent,
)

OPEN_DISPOSITIONS = frozenset(
    {DispositionStatus.PENDING, DispositionStatus.ACKNOWLEDGED, DispositionStatus.IN_PROGRESS}
)


def w3c_datetime(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset (W3C profile), in the deployment's time zone."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def service_notice(category: Category) -> str:
    return _(
        "Laporan diverifikasi dalam %(verify)d hari kerja, ditindaklanjuti dalam "
        "%(respond)d hari kerja, dan ditargetkan selesai dalam %(resolve)d hari kerja."
    ) % {
        "verify": category.sla_verification_days,
        "respond": category.sla_first_response_days,
        "resolve": category.sla_resolution_days,
    }


def service_data(category: Category) -> dict[str, Any]:
    questions: list[CategoryQuestion] = getattr(category, "open_questions", [])
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(questions),
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def attribute_data(question: CategoryQuestion) -> dict[str, Any]:
    values = question.values if isinstance(question.values, list) else []
    return {
        "variable": question.variable,
        "code": question.code,
        "datatype": question.datatype,
        "required": question.required,
        "datatype_description": question.datatype_description or None,
        "order": question.order,
        "description": question.description,
        "values": [{"key": item["key"], "name": item["name"]} for item in values],
    }


def service_definition_data(category: Category) -> dict[str, Any]:
    questions: list[CategoryQuestion] = getattr(category, "open_questions", [])
    return {
        "service_code": category.code,
        "attributes": [attribute_data(question) for question in questions],
    }


def _agency(report: Report) -> str:
    dispositions = getattr(report, "public_dispositions", [])
    holding = [d.unit.name for d in dispositions if d.status in OPEN_DISPOSITIONS]
    if holding:
        return ", ".join(dict.fromkeys(holding))
    if dispositions:
        return dispositions[-1].unit.name
    return _("Kecamatan %(name)s") % {"name": report.kecamatan.name}


def _media_url(request: HttpRequest, photos: list[Any]) -> str | None:
    if not photos:
        return None
    return request.build_absolute_uri(photos[0].file.url)


def _coordinate(value: Any) -> float | None:
    return float(value) if value is not None else None


def request_data(request: HttpRequest, report: Report) -> dict[str, Any]:
    """One public report as a GeoReport v2 `request` (from `report_list_public`)."""
    status = open311_status(report.status)
    if status == CLOSED:
        updated = report.closed_at or report.resolved_at
    else:
        updated = getattr(report, "public_note_at", None)
    kelurahan = report.kelurahan
    address = report.address or (kelurahan.name if kelurahan is not None else "")
    return {
        "service_request_id": report.tracking_number,
        "status": status,
        "status_notes": getattr(report, "public_note", None) or None,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": _agency(report),
        "service_notice": service_notice(report.category),
        "requested_datetime": w3c_datetime(report.submitted_at),
        "updated_datetime": w3c_datetime(updated or report.submitted_at),
        "expected_datetime": w3c_datetime(report.resolution_due_at),
        "address": address or None,
        "address_id": kelurahan.code if kelurahan is not None else None,
        "zipcode": (kelurahan.postal_code or None) if kelurahan is not None else None,
        "lat": _coordinate(report.latitude),
        "long": _coordinate(report.longitude),
        "media_url": _media_url(request, getattr(report, "public_photos", [])),
    }


def created_data(report: Report) -> dict[str, Any]:
    """The answer to a POST: the id at once (we are `realtime`), never a token."""
    return {
        "service_request_id": report.tracking_number,
        "service_notice": service_notice(report.category),
        "account_id": None,
    }


def update_data(request: HttpRequest, event: ReportEvent) -> dict[str, Any]:
    """One public timeline entry as a `request_update` (the updates extension)."""
    state = getattr(event, "status_then", None) or event.report.status
    return {
        "update_id": str(event.pk),
        "service_request_id": event.report.tracking_number,
        "status": extended_status(state),
        "updated_datetime": w3c_datetime(event.created_at),
        "description": event.message,
        "media_url": _media_url(request, getattr(event, "public_photos", [])),
    }
