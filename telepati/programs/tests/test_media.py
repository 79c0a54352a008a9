"""Programs photos at the media door: public for public rows, else officers of the kecamatan."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from telepati.accounts.selectors import officer_scope_get
from telepati.core.media_access import MediaAudience, MediaViewer, media_access_get
from telepati.programs.models import ActivityPhoto
from telepati.programs.services.activities import activity_photo_add

pytestmark = pytest.mark.django_db


def _viewer(user=None) -> MediaViewer:
    who = user or AnonymousUser()
    return MediaViewer(user=who, scope_get=lambda: officer_scope_get(user=who))


def test_a_public_activitys_photo_is_public_and_a_hidden_ones_is_for_officers(
    desk_operator, outsider, activity, photo
):
    added = activity_photo_add(actor=desk_operator, activity_id=activity.pk, photo=photo)
    grant = media_access_get(name=added.thumbnail.name, viewer=_viewer())
    assert grant is not None
    assert grant.audience is MediaAudience.PUBLIC

    type(activity).objects.filter(pk=activity.pk).update(is_public=False)

    assert media_access_get(name=added.photo.name, viewer=_viewer()) is None
    assert media_access_get(name=added.photo.name, viewer=_viewer(outsider)) is None
    officer = media_access_get(name=added.photo.name, viewer=_viewer(desk_operator))
    assert officer is not None
    assert officer.audience is MediaAudience.OFFICER
    assert ActivityPhoto.objects.count() == 1
