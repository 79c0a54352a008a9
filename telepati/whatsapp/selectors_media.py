"""Who may read media a resident sent on WhatsApp and the bot stored (`InboundMessage.media_file`).

Registered with the media door (`telepati.core.media_access`), which serves `/media/<name>`:
the officers who read the conversations (`selectors.conversations_allowed`:
HANDLE_CONVERSATIONS for the desk that owns the line, or a superuser). Never public. The
photos the bot attaches to a report are stored again, cleaned, as the report's attachments
(`reports.selectors_media`).
"""

from __future__ import annotations

from django.db.models import QuerySet

from telepati.core.media_access import (
    MediaAudience,
    MediaGrant,
    MediaOwner,
    MediaViewer,
    media_owner_register,
)
from telepati.whatsapp.models import InboundMessage
from telepati.whatsapp.selectors import conversations_allowed


def inbound_media_access(
    rows: QuerySet[InboundMessage], name: str, viewer: MediaViewer
) -> MediaGrant | None:
    """For the line's desk: the type the resident's message declared (the door shows only
    image and PDF types inline)."""
    if not conversations_allowed(viewer.scope):
        return None
    mime = rows.order_by().values_list("media_mime", flat=True).first()
    if mime is None:
        return None
    return MediaGrant(MediaAudience.OFFICER, mime or "")


media_owner_register(
    MediaOwner(
        model=InboundMessage,
        fields=("media_file",),
        prefix="whatsapp/",
        access=inbound_media_access,
    )
)
