"""Photos sent while filing a complaint: downloaded after the report is made, then attached.

Runs in a task, after the commit that made the report and outside any transaction: for each
inbound photo the media id is looked up (`GraphClient.media_url`), the bytes downloaded
(`media_download`, refused above the upload limit) and kept on the `InboundMessage`, then
checked and cleaned (`reports.services.media.upload_prepare`: type by content, metadata
stripped) and attached to the resident's own new report (`report_attachments_add`). The
same client is used with the simulator in development, so the code path is the same.
A photo that cannot be fetched or is refused is marked failed and the resident is told once;
running the task again skips what is stored already.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from telepati.core.errors import DomainError
from telepati.messaging.services import Recipient, message_enqueue
from telepati.reports.models import Report
from telepati.reports.services.attachments import report_attachments_add
from telepati.reports.services.common import resident_language
from telepati.reports.services.media import PreparedUpload, upload_prepare
from telepati.whatsapp.bot import texts
from telepati.whatsapp.client import GraphClient, graph_client_from_settings
from telepati.whatsapp.errors import WhatsAppError
from telepati.whatsapp.models import InboundMessage, MediaStatus

logger = logging.getLogger(__name__)

_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


def report_photos_attach(*, report_id: int, message_ids: list[int]) -> int:
    """Fetch, clean and attach the photos of a new report; returns how many were attached."""
    report = Report.objects.select_related("reporter").get(pk=report_id)
    messages = list(InboundMessage.objects.filter(pk__in=message_ids).order_by("sent_at", "pk"))
    uploads: list[PreparedUpload] = []
    failed = False
    with graph_client_from_settings() as client:
        for message in messages:
            content = _content(client, message)
            if content is None:
                failed = True
                continue
            try:
                uploads.append(upload_prepare(name=_name(message), content=content))
            except DomainError:
                _media_mark(message, MediaStatus.FAILED)
                failed = True
    attached = 0
    if uploads and report.reporter is not None:
        try:
            attached = len(
                report_attachments_add(
                    report_id=report.pk, citizen=report.reporter, uploads=uploads
                )
            )
        except DomainError:
            logger.info("photos of report %s not attached", report.tracking_number)
            failed = True
    if failed:
        _failure_notify(report, messages[0] if messages else None)
    return attached


def _content(client: GraphClient, message: InboundMessage) -> bytes | None:
    """The photo's bytes: stored ones, else downloaded and stored on the message."""
    if message.media_status == MediaStatus.STORED and message.media_file:
        with message.media_file.open("rb") as stored:
            return stored.read()
    if not message.media_id:
        return None
    try:
        info = client.media_url(media_id=message.media_id)
        content = client.media_download(url=info.url, max_bytes=settings.TELEPATI_UPLOAD_MAX_BYTES)
    except (WhatsAppError, ValueError) as exc:
        logger.info("media %s of message %s not fetched: %s", message.media_id, message.pk, exc)
        _media_mark(message, MediaStatus.FAILED)
        return None
    message.media_file.save(_name(message), ContentFile(content), save=False)
    _media_mark(message, MediaStatus.STORED)
    return content


def _media_mark(message: InboundMessage, status: MediaStatus) -> None:
    message.media_status = status
    InboundMessage.objects.filter(pk=message.pk).update(
        media_status=status, media_file=message.media_file.name or ""
    )


def _name(message: InboundMessage) -> str:
    return f"{message.media_id or message.pk}{_EXTENSIONS.get(message.media_mime, '.jpg')}"


def _failure_notify(report: Report, message: InboundMessage | None) -> None:
    reporter = report.reporter
    if reporter is None or message is None:
        return
    with resident_language():
        text = texts.photo_refused(report.tracking_number)
    with transaction.atomic():
        message_enqueue(
            recipient=Recipient(phone=reporter.phone or "", wa_bsuid=reporter.wa_bsuid or ""),
            text=text,
            dedupe_key=f"bot:photos:{report.pk}",
            reference=f"report:{report.tracking_number}",
        )
