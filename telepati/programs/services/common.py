"""Building blocks of the programs services: access, version checks and cleaned photos.

The programs have no resident-facing lifecycle, so the recipe is short. Inside one
`transaction.atomic()` each service:

1. locks the row it changes (`select_for_update`);
2. checks access — rows of a kecamatan the officer does not work in raise NotFound (existence
   does not leak); officers of the kecamatan without MANAGE_PROGRAMS (a camat, a lurah) get
   Forbidden; the staff of a kantor kelurahan act only on their own kelurahan;
3. checks `expected_version` (→ Conflict) and validates inputs (→ InvalidInput with
   Indonesian per-field messages);
4. changes the row and bumps `version`.

Photos are checked and cleaned *before* the transaction by the complaints' `upload_prepare`
(type by content, size, EXIF and GPS stripped, thumbnail), then stored under
content-addressed names inside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability, roles_with
from telepati.accounts.models import User
from telepati.accounts.scope import KELURAHAN_OFFICE, OfficerScope
from telepati.accounts.selectors import officer_scope_get
from telepati.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from telepati.reports.models import AttachmentKind
from telepati.reports.services.media import PreparedUpload, upload_prepare


@dataclass(frozen=True)
class PhotoUpload:
    """A photo as it arrived (file name and bytes), before it is checked and cleaned."""

    name: str
    content: bytes


def programs_manage_allowed(
    scope: OfficerScope, *, kecamatan_id: int, kelurahan_id: int | None
) -> bool:
    """Whether one membership holding MANAGE_PROGRAMS covers a row located like this: any unit
    of the kecamatan, except that a kantor kelurahan covers only its own kelurahan."""
    if scope.is_superuser:
        return True
    allowed = roles_with(Capability.MANAGE_PROGRAMS)
    for grant in scope.grants:
        if grant.role not in allowed or grant.kecamatan_id != kecamatan_id:
            continue
        if grant.unit_kind != KELURAHAN_OFFICE:
            return True
        if kelurahan_id is not None and grant.kelurahan_id == kelurahan_id:
            return True
    return False


def officer_require(
    *,
    user: User,
    kecamatan_id: int,
    kelurahan_id: int | None,
    not_found: str,
) -> OfficerScope:
    """Check that `user` works in the kecamatan (else NotFound with `not_found`) and may manage
    programs there (else Forbidden); return their scope."""
    scope = officer_scope_get(user=user)
    if not scope.is_superuser and kecamatan_id not in scope.home_kecamatan_ids:
        raise NotFound(not_found)
    if not programs_manage_allowed(scope, kecamatan_id=kecamatan_id, kelurahan_id=kelurahan_id):
        raise Forbidden(_("Peran Anda tidak berwenang mengelola data program prioritas."))
    return scope


def version_check(*, current: int, expected: int | None, label: str) -> None:
    """Refuse to change a row that changed since the caller looked at it."""
    if expected is not None and current != expected:
        raise Conflict(
            _(
                "Data %(label)s baru saja diubah oleh petugas lain. "
                "Muat ulang halaman untuk melihat keadaan terbaru."
            )
            % {"label": label}
        )


def photo_prepare(upload: PhotoUpload, *, field: str = "photo") -> PreparedUpload:
    """Check and clean one photo (outside any transaction); PDFs and other files are refused."""
    try:
        prepared = upload_prepare(name=upload.name, content=upload.content)
    except InvalidInput as error:
        raise InvalidInput(error.message, field_errors={field: [str(error.message)]}) from None
    if prepared.kind != AttachmentKind.PHOTO:
        message = _("Berkas %(name)s bukan foto. Kirim foto JPG, PNG atau WebP.") % {
            "name": prepared.original_name or "-"
        }
        raise InvalidInput(message, field_errors={field: [message]})
    return prepared


def photo_store(photo: FieldFile, thumbnail: FieldFile, prepared: PreparedUpload) -> str:
    """Put a cleaned photo and its thumbnail on the row's fields under content-hash names
    (an identical photo already stored is reused, never copied again); returns the hash."""
    digest = prepared.sha256
    _file_put(photo, name=f"{digest[:2]}/{digest}{prepared.extension}", content=prepared.content)
    if prepared.thumbnail is not None:
        _file_put(thumbnail, name=f"{digest[:2]}/{digest}.jpg", content=prepared.thumbnail)
    return digest


def _file_put(field_file: FieldFile, *, name: str, content: bytes) -> None:
    path = field_file.field.generate_filename(field_file.instance, name)
    if field_file.storage.exists(path):
        field_file.name = path
    else:
        field_file.save(name, ContentFile(content), save=False)
