"""Who may read a report's stored files (photos, PDFs, their thumbnails, resolution evidence).

Registered with the media door (`telepati.core.media_access`), which serves `/media/<name>`:

- a public photo (`is_public`, kind photo) of a public report (accepted by the desk, not
  *rahasia*) — and its thumbnail — is public, as the open-data door already links it;
- anything else only to an officer who can see the report: VIEW_REPORTS within their scope
  (`report_scope_q`), the rule of `selectors.report_get_for_officer`. Residents have no
  account; they receive their photos through WhatsApp, not from here.

Files are content-addressed, so one name may belong to several attachments (the same photo
sent twice): the widest grant among them wins.
"""

from __future__ import annotations

from django.db.models import QuerySet

from telepati.accounts.capabilities import Capability
from telepati.core.media_access import (
    OWNER_ROWS_LIMIT,
    MediaAudience,
    MediaGrant,
    MediaOwner,
    MediaViewer,
    media_owner_register,
)
from telepati.reports.models import Attachment, AttachmentKind, Report
from telepati.reports.selectors_public import PUBLIC_STATUS_VALUES
from telepati.reports.services.common import report_scope_q

THUMBNAIL_TYPE = "image/jpeg"


def _is_public(attachment: Attachment) -> bool:
    report = attachment.report
    return (
        attachment.is_public
        and attachment.kind == AttachmentKind.PHOTO
        and not report.is_confidential
        and report.status in PUBLIC_STATUS_VALUES
    )


def attachment_media_access(
    rows: QuerySet[Attachment], name: str, viewer: MediaViewer
) -> MediaGrant | None:
    """Public for a public photo of a public report; else for officers who see the report."""
    attachments = list(
        rows.select_related("report").only(
            "report",
            "file",
            "kind",
            "content_type",
            "is_public",
            "report__status",
            "report__is_confidential",
        )[:OWNER_ROWS_LIMIT]
    )
    if not attachments:
        return None
    first = attachments[0]
    content_type = first.content_type if first.file.name == name else THUMBNAIL_TYPE
    if any(_is_public(attachment) for attachment in attachments):
        return MediaGrant(MediaAudience.PUBLIC, content_type)
    scope = viewer.scope
    if not scope.can(Capability.VIEW_REPORTS):
        return None
    report_ids = sorted({attachment.report_id for attachment in attachments})
    if not Report.objects.filter(report_scope_q(scope), pk__in=report_ids).exists():
        return None
    return MediaGrant(MediaAudience.OFFICER, content_type)


media_owner_register(
    MediaOwner(
        model=Attachment,
        fields=("file", "thumbnail"),
        prefix="reports/",
        access=attachment_media_access,
    )
)
