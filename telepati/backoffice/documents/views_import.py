"""Bulk import of issued documents: upload a Disdukcapil list, watch it being processed.

Uploading calls `import_upload`, which stores the rows and queues their processing; the
same file again returns the batch already made ("sudah pernah diunggah") and changes
nothing. The batch page shows a progress bar and the per-row results; while the batch runs,
HTMX asks for the progress fragment every 2 seconds and stops once it is done (without
JavaScript the page refreshes itself).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from telepati.accounts.capabilities import Capability
from telepati.backoffice.access import officer_view
from telepati.backoffice.documents.forms import ImportForm, errors_apply
from telepati.core.errors import DomainError, Forbidden, NotFound
from telepati.core.formatting import moment_format
from telepati.documents.models import BatchStatus, ImportBatch, RowResult
from telepati.documents.selectors_import import (
    import_batch_get_for_officer,
    import_batch_list_for_officer,
    import_row_list,
)
from telepati.documents.services.common import nik_mask
from telepati.documents.services.imports import import_counts, import_upload

RECENT_BATCHES = 20
ROWS_PER_PAGE = 100
POLL_SECONDS = 2


def _batch_url(batch: ImportBatch) -> str:
    return reverse("backoffice:document_import_detail", kwargs={"batch_id": batch.pk})


@require_http_methods(["GET", "POST"])
@officer_view(Capability.MANAGE_DOCUMENTS)
def import_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch, created = import_upload(
                    actor=user,  # type: ignore[arg-type]
                    file_name=upload.name or "",
                    content=upload.read(),
                )
            except (NotFound, Forbidden):
                raise
            except DomainError as error:
                errors_apply(form, error)
            else:
                if created:
                    messages.success(
                        request,
                        _("Berkas %(name)s diunggah: %(rows)d baris sedang diproses.")
                        % {"name": batch.file_name, "rows": batch.total_rows},
                    )
                else:
                    messages.warning(
                        request,
                        _(
                            "Berkas ini sudah pernah diunggah (%(name)s, %(moment)s); "
                            "tidak diproses lagi. Hasilnya di bawah."
                        )
                        % {"name": batch.file_name, "moment": moment_format(batch.created_at)},
                    )
                return HttpResponseRedirect(_batch_url(batch))
        messages.error(request, _("Berkas belum diunggah. Periksa pesan di formulir."))
        status = 400
    else:
        form = ImportForm()
    batches = import_batch_list_for_officer(user=user)[:RECENT_BATCHES]  # type: ignore[arg-type]
    context = {"form": form, "batches": batches}
    return render(request, "backoffice/documents/import.html", context, status=status)


def _progress_context(request: HttpRequest, batch: ImportBatch) -> dict[str, Any]:
    counts = import_counts(batch)
    page = Paginator(import_row_list(batch=batch), ROWS_PER_PAGE).get_page(
        request.GET.get("halaman")
    )
    rows = [
        {
            "row": row,
            "result": RowResult(row.result).label,
            "nik": nik_mask(str(row.data.get("nik", ""))),
        }
        for row in page.object_list
    ]
    running = batch.status in (BatchStatus.PENDING, BatchStatus.RUNNING)
    return {
        "batch": batch,
        "running": running,
        "poll_seconds": POLL_SECONDS,
        "percent": (100 * batch.processed_rows // batch.total_rows) if batch.total_rows else 100,
        "counts": [
            (RowResult(result).label, counts[result]) for result in RowResult if counts[result]
        ],
        "rows": rows,
        "page": page,
        "progress_url": _batch_url(batch),
    }


@require_GET
@officer_view(Capability.MANAGE_DOCUMENTS)
def import_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = import_batch_get_for_officer(user=request.user, batch_id=batch_id)  # type: ignore[arg-type]
    context = _progress_context(request, batch)
    if request.headers.get("HX-Request"):
        return render(request, "backoffice/documents/_import_progress.html", context)
    return render(request, "backoffice/documents/import_detail.html", context)
