"""Who may read the programs' stored photos (product photos, activity photos, thumbnails).

Registered with the media door (`telepati.core.media_access`), which serves `/media/<name>`:

- a product photo of a business shown in the public catalogue (`is_public`, not *tidak
  aktif*) and an activity photo of a public activity are public — the public pages link them;
- anything else only to officers who work in the row's kecamatan.

Photos are content-addressed, so one name may belong to several rows: the widest grant wins.
"""

from __future__ import annotations

from django.db.models import QuerySet

from telepati.core.media_access import (
    OWNER_ROWS_LIMIT,
    MediaAudience,
    MediaGrant,
    MediaOwner,
    MediaViewer,
    media_owner_register,
    media_type_guess,
)
from telepati.programs.models import ActivityPhoto, GuidanceStatus, Product


def _officer_grant(viewer: MediaViewer, kecamatan_ids: set[int], name: str) -> MediaGrant | None:
    scope = viewer.scope
    if scope.is_superuser or kecamatan_ids & set(scope.home_kecamatan_ids):
        return MediaGrant(MediaAudience.OFFICER, media_type_guess(name))
    return None


def product_media_access(
    rows: QuerySet[Product], name: str, viewer: MediaViewer
) -> MediaGrant | None:
    """Public for a product of a catalogue business; else officers of its kecamatan."""
    products = list(
        rows.select_related("business").only(
            "business__is_public", "business__guidance_status", "business__kecamatan_id"
        )[:OWNER_ROWS_LIMIT]
    )
    if not products:
        return None
    if any(
        p.business.is_public and p.business.guidance_status != GuidanceStatus.INACTIVE
        for p in products
    ):
        return MediaGrant(MediaAudience.PUBLIC, media_type_guess(name))
    return _officer_grant(viewer, {p.business.kecamatan_id for p in products}, name)


def activity_photo_media_access(
    rows: QuerySet[ActivityPhoto], name: str, viewer: MediaViewer
) -> MediaGrant | None:
    """Public for a photo of a public activity; else officers of its kecamatan."""
    photos = list(
        rows.select_related("activity").only("activity__is_public", "activity__kecamatan_id")[
            :OWNER_ROWS_LIMIT
        ]
    )
    if not photos:
        return None
    if any(p.activity.is_public for p in photos):
        return MediaGrant(MediaAudience.PUBLIC, media_type_guess(name))
    return _officer_grant(viewer, {p.activity.kecamatan_id for p in photos}, name)


media_owner_register(
    MediaOwner(
        model=Product,
        fields=("photo", "thumbnail"),
        prefix="programs/products/",
        access=product_media_access,
    )
)
media_owner_register(
    MediaOwner(
        model=ActivityPhoto,
        fields=("photo", "thumbnail"),
        prefix="programs/activities/",
        access=activity_photo_media_access,
    )
)
