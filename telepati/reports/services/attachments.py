"""Attachments a resident adds to their own report after filing it.

A door that collects photos while the resident talks (the WhatsApp bot downloads them after
the report is made, outside any transaction) adds them with `report_attachments_add` while
the report is still *baru*: only the reporter may add, never more than the upload limit,
and the same photo twice is stored once (the call is safe to repeat).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from telepati.citizens.models import Citizen
from telepati.core.errors import Forbidden, InvalidInput
from telepati.reports.lifecycle import Status
from telepati.reports.models import Attachment, EventKind
from telepati.reports.services.common import event_append, now, report_lock, report_touch
from telepati.reports.services.media import PreparedUpload, attachments_store


def report_attachments_add(
    *, report_id: int, citizen: Citizen, uploads: list[PreparedUpload]
) -> list[Attachment]:
    """Attach prepared uploads to the reporter's own new report; repeats are skipped."""
    at = now()
    with transaction.atomic():
        report = report_lock(report_id=report_id)
        if report.reporter_id is None or report.reporter_id != citizen.pk:
            raise Forbidden(_("Hanya pelapor yang dapat menambah lampiran laporan ini."))
        if report.status != Status.NEW:
            raise InvalidInput(
                _("Lampiran laporan %(number)s tidak dapat ditambah lagi karena sudah diproses.")
                % {"number": report.tracking_number},
                code="attachments_closed",
            )
        known = set(report.attachments.values_list("sha256", flat=True))
        fresh: list[PreparedUpload] = []
        for upload in uploads:
            if upload.sha256 not in known:
                known.add(upload.sha256)
                fresh.append(upload)
        if not fresh:
            return []
        limit = settings.TELEPATI_UPLOAD_MAX_FILES
        if len(known) > limit:
            raise InvalidInput(
                _("Paling banyak %(n)d lampiran per laporan.") % {"n": limit},
                field_errors={"uploads": [_("Paling banyak %(n)d lampiran.") % {"n": limit}]},
            )
        report_touch(report, fields={})
        event = event_append(
            report=report,
            kind=EventKind.EDIT,
            at=at,
            actor_citizen=citizen,
            is_public=False,
            message=_("Pelapor menambah %(n)d lampiran.") % {"n": len(fresh)},
        )
        return attachments_store(
            report=report, uploads=fresh, event=event, is_public=not report.is_anonymous
        )
