"""Reads of import batches for officers: those of the kecamatan where they manage documents."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.selectors import officer_scope_get
from telepati.core.errors import NotFound
from telepati.documents.models import ImportBatch, ImportRow


def import_batch_list_for_officer(*, user: User) -> QuerySet[ImportBatch]:
    """Batches uploaded in the kecamatan where `user` manages documents, newest first
    (nothing for anyone else; a superuser sees all)."""
    scope = officer_scope_get(user=user)
    batches = ImportBatch.objects.select_related("uploaded_by", "kecamatan")
    if scope.is_superuser:
        return batches.all()
    if not scope.can(Capability.MANAGE_DOCUMENTS):
        return batches.none()
    return batches.filter(
        kecamatan_id__in=sorted(scope.kecamatan_ids_for(Capability.MANAGE_DOCUMENTS))
    )


def import_batch_get_for_officer(*, user: User, batch_id: int) -> ImportBatch:
    """One batch the officer may see, or NotFound (another kecamatan's batch included)."""
    batch = import_batch_list_for_officer(user=user).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("Data impor tidak ditemukan."))
    return batch


def import_row_list(*, batch: ImportBatch, result: str | None = None) -> QuerySet[ImportRow]:
    """The rows of a batch the caller already holds (from the selectors above), in file order,
    optionally only one result."""
    rows = ImportRow.objects.filter(batch=batch).select_related("application")
    if result:
        rows = rows.filter(result=result)
    return rows.order_by("row_number")
