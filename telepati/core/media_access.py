"""Who may read an uploaded file: a registry of the models that own files, and its rules.

Uploaded files (report photos, delivery proofs, WhatsApp media) are personal data, so they
are never served as plain static files. The media door (`telepati.web.views_media`) takes
the requested name, and this module finds the rows whose file field holds exactly that
name and asks the owning app whether the viewer may read it. Each app registers its owners
in a `selectors_media` module next to its selectors (found like `admin.py`, by
`autodiscover_modules`), so the rule lives with the app's other access rules and this
kernel imports no domain app:

    media_owner_register(
        MediaOwner(model=Attachment, fields=("file", "thumbnail"), prefix="reports/",
                   access=attachment_media_access)
    )

An access function receives the (lazy) queryset of the rows owning the file, the name and
the viewer, and answers a `MediaGrant` (public, or for this officer, with the stored content
type) or None. None for an unknown file and for a refused one alike: the door answers 404
in both cases, so a file's existence never leaks.
"""

from __future__ import annotations

import mimetypes
import posixpath
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.module_loading import autodiscover_modules

from telepati.accounts.scope import OfficerScope

# Types a browser may show inline; anything else is sent as a download of unknown type, so
# a stored file can never run as a page of this site (no HTML, SVG or script inline).
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})
DOWNLOAD_TYPE = "application/octet-stream"
# Content-addressed files may be shared by several rows (the same photo sent twice); access
# is decided on at most this many of them.
OWNER_ROWS_LIMIT = 50
NAME_MAX_LENGTH = 255


class MediaAudience(Enum):
    """Who may receive the file: anyone (public pages, may be cached) or this officer only."""

    PUBLIC = "public"
    OFFICER = "officer"


@dataclass(frozen=True, slots=True)
class MediaGrant:
    """An access function's yes: for whom, and the type the file was stored with."""

    audience: MediaAudience
    content_type: str


class MediaViewer:
    """Who asks for a file: the user and, read once on first need, their officer scope.

    The door passes an empty scope for anonymous visitors and for officers who have not
    passed the second factor their role requires.
    """

    def __init__(self, *, user: Any, scope_get: Callable[[], OfficerScope]) -> None:
        self.user = user
        self._scope_get = scope_get

    @cached_property
    def scope(self) -> OfficerScope:
        return self._scope_get()


Access = Callable[[QuerySet[Any], str, MediaViewer], MediaGrant | None]


@dataclass(frozen=True)
class MediaOwner:
    """A model whose file fields hold uploads under `prefix`, and the rule for reading them."""

    model: type[models.Model]
    fields: tuple[str, ...]
    prefix: str
    access: Access

    def rows(self, name: str) -> QuerySet[Any]:
        """The rows whose file fields hold exactly `name` (lazy: the access function reads)."""
        condition = Q()
        for field in self.fields:
            condition |= Q(**{field: name})
        return self.model._default_manager.filter(condition)


_owners: list[MediaOwner] = []
_discovered = False
_lock = threading.Lock()


def media_owner_register(owner: MediaOwner) -> None:
    """Add an owner (called by each app's `selectors_media` module when it is imported)."""
    for field in owner.fields:
        owner.model._meta.get_field(field)  # a typo fails at start-up, not on a request
    if any(o.model is owner.model and o.fields == owner.fields for o in _owners):
        return
    _owners.append(owner)


def media_owners() -> tuple[MediaOwner, ...]:
    """Every registered owner; imports each installed app's `selectors_media` once."""
    global _discovered
    if not _discovered:
        with _lock:
            if not _discovered:
                autodiscover_modules("selectors_media")
                _discovered = True
    return tuple(_owners)


def media_name_clean(name: str) -> str | None:
    """The storage name if it is a plain relative path; None for anything that could escape
    the media folder or was never written by a file field (absolute, `..`, `\\`, NUL)."""
    if not name or len(name) > NAME_MAX_LENGTH:
        return None
    if "\\" in name or "\x00" in name or name.startswith("/") or name.endswith("/"):
        return None
    if posixpath.normpath(name) != name or any(part in ("", ".", "..") for part in name.split("/")):
        return None
    return name


def media_access_get(*, name: str, viewer: MediaViewer) -> MediaGrant | None:
    """What `viewer` may do with the stored file `name`; None when unknown or refused.

    Only owners whose prefix matches are asked (usually one), so a request costs the owner's
    look-up plus what its rule needs. When several owners hold the name, the widest grant wins.
    """
    clean = media_name_clean(name)
    if clean is None:
        return None
    best: MediaGrant | None = None
    for owner in media_owners():
        if not clean.startswith(owner.prefix):
            continue
        grant = owner.access(owner.rows(clean), clean, viewer)
        if grant is None:
            continue
        if grant.audience is MediaAudience.PUBLIC:
            return grant
        best = best or grant
    return best


def media_type_inline(content_type: str) -> bool:
    """Whether a stored type may be shown in the browser (see INLINE_TYPES)."""
    return content_type in INLINE_TYPES


def media_type_guess(name: str) -> str:
    """The type of a file stored without one, from its extension (images are re-encoded on
    upload, so the extension matches the content)."""
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed or DOWNLOAD_TYPE
