"""The media door: `/media/<name>` serves an uploaded file to those its owner allows.

Uploaded files are personal data (photos of homes, people at their door), so the media
folder is never served as static files. This view asks `core.media_access` which row owns
the name and whether the viewer may read it; an unknown file, a refused one and a name that
tries to leave the media folder all answer the same 404. Officers count only once signed
in with the second factor their role requires; everyone else is a member of the public.

Allowed files are streamed from the storage (`FileResponse`) or, when
`TELEPATI_MEDIA_ACCEL_REDIRECT` names an internal nginx location (e.g. "/protected-media/"),
handed to nginx with `X-Accel-Redirect`, so the web process does not carry the bytes.
Headers: the stored content type (`nosniff`; only images and PDF inline, anything else as a
download), `Cache-Control: private` for officers' files and `public` for public ones.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from telepati.accounts.scope import OfficerScope, scope_build
from telepati.accounts.selectors import officer_scope_get
from telepati.backoffice.auth.selectors import is_verified, two_factor_required
from telepati.core.media_access import (
    DOWNLOAD_TYPE,
    MediaAudience,
    MediaGrant,
    MediaViewer,
    media_access_get,
    media_type_inline,
)

MAX_AGE_SECONDS = 3600


def _viewer(request: HttpRequest) -> MediaViewer:
    user = request.user

    def scope_get() -> OfficerScope:
        if not user.is_authenticated:
            return scope_build(user_id=None, is_active=False, is_superuser=False, grants=())
        scope = officer_scope_get(user=user)
        if two_factor_required(user=user, scope=scope) and not is_verified(user):
            # Half signed in: no more than the public until the second factor is given.
            return scope_build(user_id=user.pk, is_active=False, is_superuser=False, grants=())
        return scope

    return MediaViewer(user=user, scope_get=scope_get)


def _headers(response: HttpResponseBase, grant: MediaGrant) -> HttpResponseBase:
    inline = media_type_inline(grant.content_type)
    response["Content-Type"] = grant.content_type if inline else DOWNLOAD_TYPE
    response["Content-Disposition"] = "inline" if inline else "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    audience = "public" if grant.audience is MediaAudience.PUBLIC else "private"
    response["Cache-Control"] = f"{audience}, max-age={MAX_AGE_SECONDS}"
    return response


@require_safe
def media_serve(request: HttpRequest, name: str) -> HttpResponseBase:
    """The file `name` (a storage name, as `FieldFile.url` writes it) or 404."""
    grant = media_access_get(name=name, viewer=_viewer(request))
    if grant is None:
        raise Http404(_("Berkas tidak ditemukan."))
    accel = getattr(settings, "TELEPATI_MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response: HttpResponseBase = HttpResponse()
        response["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{quote(name)}"
        return _headers(response, grant)
    try:
        stored = default_storage.open(name, "rb")
    except (OSError, SuspiciousFileOperation):
        raise Http404(_("Berkas tidak ditemukan.")) from None
    return _headers(FileResponse(stored), grant)
