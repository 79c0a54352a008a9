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

from telepati.open311.status import CLOSED, OPEN311_STATUS, extended_status
from telepati.reports.models import (
    Attachment,
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


def _notice(verify: int, respond: int, resolve: int) -> str:
    return _(
        "Laporan diverifikasi dalam %(verify)d hari kerja, ditindaklanjuti dalam "
        "%(respond)d hari kerja, dan ditargetkan selesai dalam %(resolve)d hari kerja."
    ) % {"verify": verify, "respond": respond, "resolve": resolve}


def service_notice(category: Category) -> str:
    return _notice(
        category.sla_verification_days,
        category.sla_first_response_days,
        category.sla_resolution_days,
    )


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


def _agency(dispositions: list[tuple[str, str]]) -> str:
    """Units holding an open disposition, else the last unit that worked on the matter.
    `dispositions`: (status, unit name) in forwarding order, at least one."""
    holding = [unit for state, unit in dispositions if state in OPEN_DISPOSITIONS]
    if holding:
        return ", ".join(dict.fromkeys(holding))
    return dispositions[-1][1]


def _desk(kecamatan_name: str) -> str:
    """The agency before any disposition: the kecamatan desk."""
    return _("Kecamatan %(name)s") % {"name": kecamatan_name}


def _media_url(request: HttpRequest, photos: list[Any]) -> str | None:
    if not photos:
        return None
    return request.build_absolute_uri(photos[0].file.url)


def requests_data(request: HttpRequest, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Public reports (rows of `report_rows_public`) as GeoReport v2 `request`s.

    Built for 1,000 rows at a time: the time zone, storage, each category's notice and each
    kecamatan desk's name are looked up once, not per row. Moments come as whole seconds
    since the epoch and are written in the deployment's zone like `w3c_datetime`.
    """
    zone = timezone.get_current_timezone()
    moment = datetime.fromtimestamp
    storage = Attachment._meta.get_field("file").storage
    notices: dict[int, str] = {}
    desks: dict[str, str] = {}
    data = []
    for row in rows:
        dispositions = row["dispositions"]
        if dispositions:
            agency = _agency(dispositions)
        else:
            desk = row["kecamatan_name"]
            agency = desks.get(desk) or desks.setdefault(desk, _desk(desk))
        category_id = row["category_id"]
        notice = notices.get(category_id)
        if notice is None:
            notice = notices[category_id] = _notice(
                row["sla_verification_days"],
                row["sla_first_response_days"],
                row["sla_resolution_days"],
            )
        status = OPEN311_STATUS[row["status"]]
        submitted = row["submitted_ts"]
        updated = row["closed_ts"] if status == CLOSED else row["public_note_ts"]
        due = row["resolution_due_ts"]
        photo = row["photo"]
        data.append(
            {
                "service_request_id": row["tracking_number"],
                "status": status,
                "status_notes": row["public_note"] or None,
                "service_name": row["category_name"],
                "service_code": row["category_code"],
                "description": row["description"],
                "agency_responsible": agency,
                "service_notice": notice,
                "requested_datetime": moment(submitted, zone).isoformat(timespec="seconds"),
                "updated_datetime": moment(
                    updated if updated is not None else submitted, zone
                ).isoformat(timespec="seconds"),
                "expected_datetime": (
                    moment(due, zone).isoformat(timespec="seconds") if due is not None else None
                ),
                "address": row["address"] or row["kelurahan_name"] or None,
                "address_id": row["kelurahan_code"],
                "zipcode": row["kelurahan_postal_code"] or None,
                "lat": row["lat"],
                "long": row["long"],
                "media_url": (
                    request.build_absolute_uri(storage.url(photo)) if photo is not None else None
                ),
            }
        )
    return data


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
