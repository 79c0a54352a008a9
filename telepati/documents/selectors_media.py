"""Who may read a delivery's proof photo (`DeliveryAttempt.photo`).

Registered with the media door (`telepati.core.media_access`), which serves `/media/<name>`:
the photo shows the recipient at their door, so it is for officers only — those who can
see the application (`application_scope_q`, the rule of `selectors.application_get_for_officer`:
the kecamatan desk, the handling unit, the kelurahan office, and the courier it was assigned
to). Never public.
"""

from __future__ import annotations

from django.db.models import QuerySet

from telepati.core.media_access import (
    MediaAudience,
    MediaGrant,
    MediaOwner,
    MediaViewer,
    media_owner_register,
    media_type_guess,
)
from telepati.documents.models import Application, DeliveryAttempt
from telepati.documents.services.common import application_scope_q


def delivery_photo_media_access(
    rows: QuerySet[DeliveryAttempt], name: str, viewer: MediaViewer
) -> MediaGrant | None:
    """For officers who can see an application the photo belongs to (one query)."""
    visible = Application.objects.filter(
        application_scope_q(viewer.scope), pk__in=rows.values("application_id")
    )
    if not visible.exists():
        return None
    # Proof photos are re-encoded on upload (JPEG or PNG), so the name's extension is true.
    return MediaGrant(MediaAudience.OFFICER, media_type_guess(name))


media_owner_register(
    MediaOwner(
        model=DeliveryAttempt,
        fields=("photo",),
        prefix="documents/",
        access=delivery_photo_media_access,
    )
)
