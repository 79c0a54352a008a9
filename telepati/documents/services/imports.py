"""Bulk import of issued documents: an uploaded Disdukcapil list marks applications terbit.

A batch lives through: menunggu (stored by `import_upload`) → diproses (`import_run`, in a
task queued on commit) → selesai, or gagal when processing broke (running it again resumes
with the rows still pending). Each row ends in one result (`RowResult`):

- matched — the application was marked issued through `application_issue` (as the uploader,
  with the row's document number);
- already — it was issued (or handed over) before; nothing changes;
- not_found — no application the uploader may manage has that code / NIK and type
  (another kecamatan's applications are "not found" too: nothing leaks);
- ambiguous — several open applications have that NIK and type: use the code instead;
- invalid — the row itself is wrong (malformed code or NIK, unknown type, a NIK or type that
  contradicts the application's), with the reason;
- duplicate — an earlier row of the same file already named that application;
- not_ready — the application is in a state that cannot become issued (pra-pendaftaran,
  berkas diterima, perlu perbaikan, ditolak, dibatalkan).

The same file (by SHA-256, per kecamatan) is stored once: uploading it again returns the
existing batch and changes nothing. Rows are processed in chunks, each its own transaction
under a lock on the batch row, so progress shows while it runs, two workers never decide a
row twice, and a crash loses at most the chunk in hand. Issuing twice cannot happen: the
lifecycle refuses ISSUE on an issued application and the row becomes "already".
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import officer_scope_get
from telepati.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from telepati.documents.lifecycle import AWAITING_HANDOVER, IN_PROGRESS_STATES, Status
from telepati.documents.models import (
    Application,
    BatchStatus,
    DocumentType,
    ImportBatch,
    ImportRow,
    RowResult,
)
from telepati.documents.services.common import application_scope_q, documents_manage_allowed
from telepati.documents.services.imports_parse import header_fold, import_file_parse
from telepati.documents.services.pipeline import application_issue

CHUNK_SIZE = 50
ISSUED_OR_LATER: frozenset[Status] = AWAITING_HANDOVER | {Status.HANDED_OVER}
ISSUABLE: frozenset[Status] = frozenset({Status.PROCESSING, Status.SUBMITTED})


def import_upload(
    *, actor: User, file_name: str, content: bytes, kecamatan_id: int | None = None
) -> tuple[ImportBatch, bool]:
    """Store an uploaded file as a batch of pending rows and queue its processing.

    Returns (batch, created); the same bytes again return the stored batch with created
    False and change nothing. A file that cannot be read raises InvalidInput (field "file")
    and nothing is stored. `kecamatan_id` is needed only by officers who manage documents in
    several kecamatan (and superusers).
    """
    scope = officer_scope_get(user=actor)
    kecamatan = _upload_kecamatan(scope, kecamatan_id)
    digest = hashlib.sha256(content).hexdigest()
    existing = ImportBatch.objects.filter(kecamatan_id=kecamatan, file_sha256=digest).first()
    if existing is not None:
        return existing, False
    rows = import_file_parse(file_name=file_name, content=content)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                kecamatan_id=kecamatan,
                file_name=file_name.replace("\\", "/").rsplit("/", 1)[-1][:255],
                file_sha256=digest,
                uploaded_by=actor,
                total_rows=len(rows),
                created_at=timezone.now(),
            )
            ImportRow.objects.bulk_create(
                ImportRow(
                    batch=batch,
                    row_number=row.row_number,
                    data={**row.data, "problem": row.problem} if row.problem else row.data,
                )
                for row in rows
            )
            batch_id = batch.pk
            transaction.on_commit(lambda: _run_enqueue(batch_id), robust=True)
    except IntegrityError:
        # The same file uploaded at the same moment by a colleague: theirs won.
        return ImportBatch.objects.get(kecamatan_id=kecamatan, file_sha256=digest), False
    return batch, True


def _upload_kecamatan(scope: OfficerScope, kecamatan_id: int | None) -> int:
    if not scope.can(Capability.MANAGE_DOCUMENTS):
        raise Forbidden(_("Peran Anda tidak berwenang mengimpor data dokumen terbit."))
    allowed = scope.kecamatan_ids_for(Capability.MANAGE_DOCUMENTS)
    if kecamatan_id is not None:
        if scope.is_superuser or kecamatan_id in allowed:
            return kecamatan_id
        raise Forbidden(_("Anda tidak mengelola dokumen di kecamatan tersebut."))
    if len(allowed) == 1:
        return next(iter(allowed))
    raise Forbidden(_("Pilih kecamatan tujuan impor; Anda tidak terikat pada satu kecamatan."))


def _run_enqueue(batch_id: int) -> None:
    from telepati.documents.tasks_import import import_run_task  # tasks import services

    import_run_task.enqueue(batch_id=batch_id)


# --- Processing ---------------------------------------------------------------------------


def import_run(*, batch_id: int, chunk_size: int = CHUNK_SIZE) -> ImportBatch:
    """Decide every pending row of the batch, chunk by chunk; idempotent and resumable."""
    try:
        while _chunk_run(batch_id=batch_id, chunk_size=chunk_size):
            pass
    except Exception as error:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=str(error)[:1000]
        )
        raise
    return ImportBatch.objects.get(pk=batch_id)


@dataclass
class _Decision:
    result: RowResult
    message: str = ""
    application: Application | None = None


def _chunk_run(*, batch_id: int, chunk_size: int) -> bool:
    """Decide the next chunk of pending rows; False once none is left (batch done)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == BatchStatus.DONE:
            return False
        rows = list(
            ImportRow.objects.filter(batch=batch, result=RowResult.PENDING).order_by("row_number")[
                :chunk_size
            ]
        )
        if rows:
            context = _Context.load(batch=batch, rows=rows)
            for row in rows:
                decision = context.decide(row)
                row.result = decision.result
                row.message = decision.message
                row.application = decision.application
            ImportRow.objects.bulk_update(rows, ["result", "message", "application"])
        counts = dict(
            ImportRow.objects.filter(batch=batch)
            .exclude(result=RowResult.PENDING)
            .values_list("result")
            .annotate(n=Count("id"))
            .values_list("result", "n")
        )
        batch.counts = counts
        batch.processed_rows = sum(counts.values())
        fields = ["counts", "processed_rows", "status", "error"]
        batch.error = ""
        if rows:
            batch.status = BatchStatus.RUNNING
        else:
            batch.status = BatchStatus.DONE
            batch.finished_at = timezone.now()
            fields.append("finished_at")
        batch.save(update_fields=fields)
        return bool(rows)


class _Context:
    """What one chunk needs from the database, read in a fixed number of queries."""

    def __init__(
        self,
        *,
        batch: ImportBatch,
        types: dict[str, DocumentType],
        by_code: dict[str, Application],
        by_nik: dict[tuple[str, int], list[Application]],
        seen: set[int],
    ) -> None:
        self.batch = batch
        self.types = types
        self.by_code = by_code
        self.by_nik = by_nik
        self.seen = seen

    @classmethod
    def load(cls, *, batch: ImportBatch, rows: list[ImportRow]) -> _Context:
        scope = officer_scope_get(user=batch.uploaded_by)
        types: dict[str, DocumentType] = {}
        for document_type in DocumentType.objects.filter(kecamatan_id=batch.kecamatan_id):
            for name in (document_type.code, document_type.name, document_type.short_name):
                types.setdefault(header_fold(name), document_type)
        candidates = Application.objects.none()
        codes = {row.data.get("code", "") for row in rows} - {""}
        niks = {row.data.get("nik", "") for row in rows if not row.data.get("code")} - {""}
        if scope.can(Capability.MANAGE_DOCUMENTS) and (codes or niks):
            candidates = Application.objects.filter(
                application_scope_q(scope),
                Q(code__in=sorted(codes)) | Q(nik__in=sorted(niks)),
                kecamatan_id=batch.kecamatan_id,
            ).order_by("applied_at", "pk")
        by_code: dict[str, Application] = {}
        by_nik: dict[tuple[str, int], list[Application]] = {}
        for application in candidates:
            # Seen is not enough (a camat sees every application): only those they handle.
            if not documents_manage_allowed(
                scope,
                kecamatan_id=application.kecamatan_id,
                handling_unit_id=application.handling_unit_id,
                kelurahan_id=application.kelurahan_id,
            ):
                continue
            by_code[application.code] = application
            if application.nik:
                key = (application.nik, application.document_type_id)
                by_nik.setdefault(key, []).append(application)
        first_row = rows[0].row_number
        seen = set(
            ImportRow.objects.filter(
                batch=batch, row_number__lt=first_row, application__isnull=False
            ).values_list("application_id", flat=True)
        )
        return cls(batch=batch, types=types, by_code=by_code, by_nik=by_nik, seen=seen)

    def decide(self, row: ImportRow) -> _Decision:
        data = row.data
        if data.get("problem"):
            return _Decision(RowResult.INVALID, data["problem"])
        document_type = None
        if data.get("document"):
            document_type = self.types.get(header_fold(data["document"]))
            if document_type is None:
                return _Decision(
                    RowResult.INVALID,
                    _(
                        "Jenis dokumen “%(value)s” tidak dikenal; tulis kode atau nama "
                        "dari katalog layanan."
                    )
                    % {"value": data["document"]},
                )
        found = self._find(data, document_type)
        if not isinstance(found, Application):
            return found
        if found.pk in self.seen:
            return _Decision(
                RowResult.DUPLICATE,
                _("Permohonan %(code)s sudah disebut di baris sebelumnya.") % {"code": found.code},
                found,
            )
        self.seen.add(found.pk)
        return self._issue(row, found)

    def _find(
        self, data: dict[str, str], document_type: DocumentType | None
    ) -> Application | _Decision:
        if data.get("code"):
            application = self.by_code.get(data["code"])
            if application is None:
                return _Decision(RowResult.NOT_FOUND, _("Kode permohonan tidak ditemukan."))
            if data.get("nik") and application.nik and application.nik != data["nik"]:
                return _Decision(
                    RowResult.INVALID,
                    _(
                        "NIK pada baris berbeda dengan NIK permohonan %(code)s; "
                        "periksa kembali barisnya."
                    )
                    % {"code": application.code},
                )
            if document_type is not None and document_type.pk != application.document_type_id:
                return _Decision(
                    RowResult.INVALID,
                    _("Jenis dokumen pada baris berbeda dengan permohonan %(code)s.")
                    % {"code": application.code},
                )
            return application
        assert document_type is not None  # the parser requires NIK and type without a code
        matches = self.by_nik.get((data["nik"], document_type.pk), [])
        open_ones = [a for a in matches if a.status in IN_PROGRESS_STATES]
        if len(open_ones) > 1:
            return _Decision(
                RowResult.AMBIGUOUS,
                _(
                    "%(n)d permohonan berjalan cocok dengan NIK dan jenis ini: %(codes)s. "
                    "Isi kolom kode agar jelas mana yang terbit."
                )
                % {"n": len(open_ones), "codes": ", ".join(a.code for a in open_ones)},
            )
        if open_ones:
            return open_ones[0]
        issued = [a for a in matches if a.status in ISSUED_OR_LATER]
        if issued:
            return issued[-1]
        if matches:
            return matches[-1]
        return _Decision(
            RowResult.NOT_FOUND, _("Tidak ada permohonan dengan NIK dan jenis dokumen ini.")
        )

    def _issue(self, row: ImportRow, application: Application) -> _Decision:
        status = Status(application.status)
        if status in ISSUED_OR_LATER:
            return _already(application, status)
        if status not in ISSUABLE:
            return _not_ready(application, status)
        try:
            issued = application_issue(
                actor=self.batch.uploaded_by,
                application_id=application.pk,
                document_number=row.data.get("number", ""),
                import_row_id=row.pk,
            )
        except InvalidInput as error:
            return _Decision(RowResult.INVALID, str(error.message), application)
        except (InvalidTransition, Conflict):
            # Changed since this chunk read it (e.g. issued at the desk meanwhile).
            status = Status(
                Application.objects.values_list("status", flat=True).get(pk=application.pk)
            )
            if status in ISSUED_OR_LATER:
                return _already(application, status)
            return _not_ready(application, status)
        except (NotFound, Forbidden):
            return _Decision(RowResult.NOT_FOUND, _("Kode permohonan tidak ditemukan."))
        return _Decision(RowResult.MATCHED, _("Ditandai terbit."), issued)


def _already(application: Application, status: Status) -> _Decision:
    return _Decision(
        RowResult.ALREADY,
        _("Sudah berstatus %(status)s.") % {"status": status.label},
        application,
    )


def _not_ready(application: Application, status: Status) -> _Decision:
    return _Decision(
        RowResult.NOT_READY,
        _("Berstatus %(status)s; belum dapat ditandai terbit.") % {"status": status.label},
        application,
    )


def import_counts(batch: ImportBatch) -> Counter[str]:
    """Rows per result, pending included (for a summary that adds up to the total)."""
    counts: Counter[str] = Counter({str(k): int(v) for k, v in batch.counts.items()})
    counts[RowResult.PENDING] = max(batch.total_rows - batch.processed_rows, 0)
    return counts
