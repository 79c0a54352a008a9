"""POST /api/v1/reports/: a client's request body becomes a report through `report_submit`.

The door only translates: the category code, a kelurahan code of the client's kecamatan,
coordinates, the reporter's optional contact (the client's app follows the report, so no
phone or e-mail is needed here), answers to the category's questions (required ones
enforced: the app shows them) and photos (multipart) prepared with `upload_prepare` outside
any transaction. The report gets channel `api`, the client's kecamatan and `api_client`.

`Idempotency-Key` makes retries safe: the submission key is the client plus the key, so a
retry returns the report already made; the same key with another body is a Conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from telepati.api.selectors import kelurahan_of_client, report_submitted_with_key
from telepati.apikeys.models import ApiClient
from telepati.core.errors import Conflict, InvalidInput
from telepati.reports.models import Channel, Report
from telepati.reports.services.intake import ReportDraft, report_submit
from telepati.reports.services.media import PreparedUpload, upload_prepare

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:\-]{1,80}$")
HEADER = "Idempotency-Key"
# report_submit's field names that the API names differently.
FIELD_NAMES = {"uploads": "photos"}


@dataclass(frozen=True)
class Submitted:
    report: Report
    created: bool


def submission_key(*, client: ApiClient, idempotency_key: str) -> str:
    return f"rest:{client.pk}:{idempotency_key}"


def _idempotency_key(value: str | None) -> str:
    if value is None:
        return ""
    key = value.strip()
    if not IDEMPOTENCY_KEY.match(key):
        raise InvalidInput(
            _("Idempotency-Key tidak sah."),
            field_errors={HEADER: [_("Pakai 1–80 huruf, angka, atau tanda _ . : -")]},
        )
    return key


def _uploads(files: list[Any]) -> list[PreparedUpload]:
    if len(files) > settings.TELEPATI_UPLOAD_MAX_FILES:
        raise InvalidInput(
            _("Terlalu banyak lampiran."),
            field_errors={
                "photos": [
                    _("Paling banyak %(n)d lampiran per laporan.")
                    % {"n": settings.TELEPATI_UPLOAD_MAX_FILES}
                ]
            },
        )
    prepared: list[PreparedUpload] = []
    for upload in files:
        name = str(upload.name or "")
        max_bytes = settings.TELEPATI_UPLOAD_MAX_BYTES
        if upload.size > max_bytes:  # refused before reading it into memory
            message = _("Berkas %(name)s terlalu besar (maksimal %(mb)d MB).") % {
                "name": name or "-",
                "mb": max_bytes // (1024 * 1024),
            }
            raise InvalidInput(message, field_errors={"photos": [message]})
        try:
            prepared.append(upload_prepare(name=name, content=upload.read()))
        except InvalidInput as exc:
            raise InvalidInput(exc.message, field_errors={"photos": [str(exc)]}) from None
    return prepared


def _same_submission(report: Report, data: dict[str, Any]) -> bool:
    return (
        report.category.code == data["category"]
        and report.description == data["description"].strip()
    )


def report_create_from_api(
    *, client: ApiClient, data: dict[str, Any], idempotency_key: str | None
) -> Submitted:
    """File (or, for a retry with the same Idempotency-Key, find) the report `data` describes.

    `data` is ReportCreateSerializer's validated data.
    """
    key = _idempotency_key(idempotency_key)
    full_key = submission_key(client=client, idempotency_key=key) if key else ""
    if full_key:
        earlier = report_submitted_with_key(client=client, submission_key=full_key)
        if earlier is not None:
            if not _same_submission(earlier, data):
                raise Conflict(
                    _("Idempotency-Key ini sudah dipakai untuk laporan %(number)s.")
                    % {"number": earlier.tracking_number}
                )
            return Submitted(report=earlier, created=False)

    kelurahan_id = None
    if data.get("kelurahan"):
        kelurahan = kelurahan_of_client(client=client, code=data["kelurahan"])
        if kelurahan is None:
            raise InvalidInput(
                _("Laporan belum lengkap. Periksa isian yang ditandai."),
                field_errors={"kelurahan": [_("Kelurahan tidak dikenal di kecamatan ini.")]},
            )
        kelurahan_id = kelurahan.pk
    uploads = _uploads(data.get("photos") or [])
    draft = ReportDraft(
        category_code=data["category"],
        description=data["description"],
        channel=Channel.API,
        title=data.get("title", ""),
        kecamatan_code=client.kecamatan.code,
        kelurahan_id=kelurahan_id,
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        address=data.get("address", ""),
        reporter_name=data.get("reporter_name", ""),
        reporter_phone=data.get("reporter_phone", ""),
        reporter_email=data.get("reporter_email", ""),
        is_anonymous=data["is_anonymous"],
        is_confidential=data["is_confidential"],
        uploads=uploads,
        answers=data.get("answers") or {},
        questions_asked=True,
        submission_key=full_key,
        api_client_id=client.pk,
        contact_required=False,
    )
    try:
        report = report_submit(draft=draft)
    except InvalidInput as exc:
        fields = {FIELD_NAMES.get(name, name): list(m) for name, m in exc.field_errors.items()}
        raise InvalidInput(exc.message, field_errors=fields) from None
    # A concurrent twin with the same key may have won the race: report_submit then returns
    # its report, and both answers say 201 (the report is still one).
    return Submitted(report=report, created=True)
