"""Bulk import of issued documents: uploading a file, deciding each row, resuming, scope."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from telepati.core.errors import Forbidden, InvalidInput, NotFound
from telepati.documents.lifecycle import Status
from telepati.documents.models import (
    Application,
    ApplicationEvent,
    BatchStatus,
    DocumentType,
    ImportBatch,
    ImportRow,
    RowResult,
)
from telepati.documents.selectors_import import (
    import_batch_get_for_officer,
    import_batch_list_for_officer,
)
from telepati.documents.services import imports
from telepati.documents.services.imports import import_run, import_upload
from telepati.documents.services.registration import application_register
from telepati.documents.tests.conftest import draft_for
from telepati.documents.tests.import_files import csv_bytes, xlsx_bytes
from telepati.messaging.models import OutboundMessage

pytestmark = pytest.mark.django_db

HEADER = ["kode", "nik", "jenis dokumen", "nomor dokumen"]


def nik(n: int) -> str:
    """A valid NIK (a woman born 5 August 1990), numbered."""
    return f"12710945089{n:05d}"


def upload(actor, rows, *, file_name="terbit.csv") -> ImportBatch:
    content = xlsx_bytes(rows) if file_name.endswith(".xlsx") else csv_bytes(rows)
    batch, created = import_upload(actor=actor, file_name=file_name, content=content)
    assert created
    return batch


def results(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [
        (row.row_number, row.result, row.message)
        for row in ImportRow.objects.filter(batch=batch).order_by("row_number")
    ]


def snapshot() -> tuple[int, int, int, int]:
    return (
        ApplicationEvent.objects.count(),
        OutboundMessage.objects.count(),
        ImportBatch.objects.count(),
        ImportRow.objects.count(),
    )


def test_a_good_file_marks_the_applications_issued_with_their_numbers(
    application_at, desk_operator
):
    first = application_at(Status.SUBMITTED, nik=nik(1))
    second = application_at(Status.PROCESSING, nik=nik(2))
    batch = upload(
        desk_operator,
        [HEADER, [first.code, "", "", "KTP-0001"], ["", nik(2), "KTP-el", "KTP-0002"]],
    )
    assert (batch.status, batch.total_rows, batch.processed_rows) == (BatchStatus.PENDING, 2, 0)
    assert ImportRow.objects.get(batch=batch, row_number=2).data == {
        "code": first.code,
        "nik": "",
        "document": "",
        "number": "KTP-0001",
        "name": "",
        "issued_on": "",
    }

    batch = import_run(batch_id=batch.pk)

    assert (batch.status, batch.processed_rows, batch.counts) == (
        BatchStatus.DONE,
        2,
        {RowResult.MATCHED: 2},
    )
    assert batch.finished_at is not None
    assert results(batch) == [
        (2, RowResult.MATCHED, "Ditandai terbit."),
        (3, RowResult.MATCHED, "Ditandai terbit."),
    ]
    for application, number in ((first, "KTP-0001"), (second, "KTP-0002")):
        application.refresh_from_db()
        assert (application.status, application.document_number) == (Status.ISSUED, number)
        event = application.events.order_by("-pk").first()
        assert (event.to_status, event.actor, event.data) == (
            Status.ISSUED,
            desk_operator,
            {"import_row_id": ImportRow.objects.get(batch=batch, application=application).pk},
        )
        assert OutboundMessage.objects.filter(
            dedupe_key=f"application:{application.pk}:issued"
        ).exists()


def test_the_upload_queues_processing_on_commit(
    application_at, desk_operator, django_capture_on_commit_callbacks
):
    application = application_at(Status.SUBMITTED, nik=nik(1))

    with django_capture_on_commit_callbacks(execute=True):
        batch, created = import_upload(
            actor=desk_operator,
            file_name="terbit.csv",
            content=csv_bytes([["kode"], [application.code]]),
        )

    batch.refresh_from_db()
    application.refresh_from_db()
    assert created
    assert (batch.status, batch.counts) == (BatchStatus.DONE, {RowResult.MATCHED: 1})
    assert application.status == Status.ISSUED


def test_every_kind_of_row_result(application_at, register, desk_operator, ktp_type):
    issuable = application_at(Status.SUBMITTED, nik=nik(1))
    issued = application_at(Status.ISSUED, nik=nik(2))
    needs_fix = application_at(Status.NEEDS_FIX, nik=nik(3))
    pre_registered = application_at(Status.PRE_REGISTERED, nik=nik(4))
    register(nik=nik(5))
    register(nik=nik(5))
    handed_over = application_at(Status.HANDED_OVER, nik=nik(6))
    batch = upload(
        desk_operator,
        [
            HEADER,
            [issuable.code, "", "", "KTP-1"],
            [issued.code, "", "", ""],
            [needs_fix.code, "", "", ""],
            [pre_registered.code, "", "", ""],
            ["", nik(5), "ktp-el", ""],
            ["D2611-9999", "", "", ""],
            ["", nik(9), "KTP elektronik (KTP-el)", ""],
            ["D26-1", "", "", ""],
            ["", nik(1), "Akta Kelahiran", ""],
            [issuable.code, nik(7), "", ""],
            ["", nik(1), "ktp-el", ""],
            ["", nik(6), "ktp-el", ""],
            ["", "1.27101E+15", "ktp-el", ""],
        ],
    )

    batch = import_run(batch_id=batch.pk)

    twins = ", ".join(sorted(Application.objects.filter(nik=nik(5)).values_list("code", flat=True)))
    assert results(batch) == [
        (2, RowResult.MATCHED, "Ditandai terbit."),
        (3, RowResult.ALREADY, "Sudah berstatus Terbit."),
        (4, RowResult.NOT_READY, "Berstatus Perlu perbaikan; belum dapat ditandai terbit."),
        (5, RowResult.NOT_READY, "Berstatus Pra-pendaftaran; belum dapat ditandai terbit."),
        (
            6,
            RowResult.AMBIGUOUS,
            "2 permohonan berjalan cocok dengan NIK dan jenis ini: "
            f"{twins}. "
            "Isi kolom kode agar jelas mana yang terbit.",
        ),
        (7, RowResult.NOT_FOUND, "Kode permohonan tidak ditemukan."),
        (8, RowResult.NOT_FOUND, "Tidak ada permohonan dengan NIK dan jenis dokumen ini."),
        (9, RowResult.INVALID, "Kode “D26-1” tidak dikenali (contoh yang benar: D2611-0007)."),
        (
            10,
            RowResult.INVALID,
            "Jenis dokumen “Akta Kelahiran” tidak dikenal; tulis kode atau nama dari katalog "
            "layanan.",
        ),
        (
            11,
            RowResult.INVALID,
            f"NIK pada baris berbeda dengan NIK permohonan {issuable.code}; periksa kembali "
            "barisnya.",
        ),
        (12, RowResult.DUPLICATE, f"Permohonan {issuable.code} sudah disebut di baris sebelumnya."),
        (13, RowResult.ALREADY, "Sudah berstatus Diserahkan."),
        (
            14,
            RowResult.INVALID,
            "NIK tersimpan sebagai angka (1.27101E+15), sehingga Excel dapat mengubah digit "
            "terakhirnya. Ubah format kolom NIK menjadi Teks, ketik ulang NIK, lalu unggah lagi.",
        ),
    ]
    assert batch.counts == {
        RowResult.MATCHED: 1,
        RowResult.ALREADY: 2,
        RowResult.NOT_READY: 2,
        RowResult.AMBIGUOUS: 1,
        RowResult.NOT_FOUND: 2,
        RowResult.INVALID: 4,
        RowResult.DUPLICATE: 1,
    }
    assert batch.processed_rows == batch.total_rows == 13
    needs_fix.refresh_from_db()
    assert needs_fix.status == Status.NEEDS_FIX
    assert ImportRow.objects.get(batch=batch, row_number=13).application == handed_over


def test_the_same_application_twice_in_a_file_issues_once(application_at, desk_operator):
    application = application_at(Status.SUBMITTED, nik=nik(1))
    batch = upload(
        desk_operator, [HEADER, [application.code, "", "", "A"], [application.code, "", "", "B"]]
    )

    batch = import_run(batch_id=batch.pk)

    application.refresh_from_db()
    assert application.document_number == "A"
    assert [r[1] for r in results(batch)] == [RowResult.MATCHED, RowResult.DUPLICATE]
    assert application.events.filter(to_status=Status.ISSUED).count() == 1


def test_a_file_that_does_not_decode_stores_nothing(desk_operator):
    before = snapshot()
    content = csv_bytes([["kode", "nama"], ["D2611-0001", "Sihombing Ñ"]], encoding="cp1252")

    with pytest.raises(InvalidInput) as caught:
        import_upload(actor=desk_operator, file_name="terbit.csv", content=content)

    assert "Simpan Sebagai" in str(caught.value)
    assert snapshot() == before


def test_the_same_file_again_returns_the_stored_batch_and_changes_nothing(
    application_at, desk_operator, django_capture_on_commit_callbacks
):
    application = application_at(Status.SUBMITTED, nik=nik(1))
    content = csv_bytes([["kode"], [application.code]])
    with django_capture_on_commit_callbacks(execute=True):
        first, _created = import_upload(actor=desk_operator, file_name="a.csv", content=content)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again, created = import_upload(actor=desk_operator, file_name="lagi.csv", content=content)

    assert (again, created) == (first, False)
    assert again.file_name == "a.csv"
    assert callbacks == []
    assert snapshot() == before


def test_running_a_finished_batch_again_changes_nothing(application_at, desk_operator):
    application = application_at(Status.SUBMITTED, nik=nik(1))
    batch = import_run(batch_id=upload(desk_operator, [["kode"], [application.code]]).pk)
    before = (snapshot(), batch.finished_at)

    again = import_run(batch_id=batch.pk)

    assert (snapshot(), again.finished_at) == before
    assert again.counts == {RowResult.MATCHED: 1}


def test_a_crash_mid_way_keeps_the_finished_chunks_and_resumes_with_the_rest(
    application_at, desk_operator
):
    applications = [application_at(Status.SUBMITTED, nik=nik(n)) for n in range(1, 6)]
    batch = upload(desk_operator, [["kode"], *[[a.code] for a in applications]])
    real_issue = imports.application_issue
    calls = 0

    def failing_third(**kwargs):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("pekerja berhenti")
        return real_issue(**kwargs)

    with (
        mock.patch.object(imports, "application_issue", failing_third),
        pytest.raises(RuntimeError),
    ):
        import_run(batch_id=batch.pk, chunk_size=2)

    batch.refresh_from_db()
    assert (batch.status, batch.processed_rows, batch.total_rows, batch.counts) == (
        BatchStatus.FAILED,
        2,
        5,
        {RowResult.MATCHED: 2},
    )
    assert batch.error == "pekerja berhenti"
    assert [r[1] for r in results(batch)] == [RowResult.MATCHED] * 2 + [RowResult.PENDING] * 3
    assert Application.objects.filter(status=Status.ISSUED).count() == 2

    batch = import_run(batch_id=batch.pk, chunk_size=2)

    assert (batch.status, batch.processed_rows, batch.counts, batch.error) == (
        BatchStatus.DONE,
        5,
        {RowResult.MATCHED: 5},
        "",
    )
    assert ApplicationEvent.objects.filter(to_status=Status.ISSUED).count() == 5


def test_an_application_issued_at_the_desk_after_the_upload_becomes_already(
    application_at, desk_operator
):
    application = application_at(Status.SUBMITTED, nik=nik(1))
    batch = upload(desk_operator, [["kode"], [application.code]])
    imports.application_issue(actor=desk_operator, application_id=application.pk)
    events = ApplicationEvent.objects.count()

    batch = import_run(batch_id=batch.pk)

    assert results(batch) == [(2, RowResult.ALREADY, "Sudah berstatus Terbit.")]
    assert ApplicationEvent.objects.count() == events


def test_a_row_naming_another_kecamatans_application_is_not_found(
    application_at, desk_operator, outsider, johor, johor_service
):
    johor_type = DocumentType.objects.create(
        kecamatan=johor,
        code="ktp-el",
        name="KTP-el",
        short_name="KTP-el",
        handling_unit=johor_service,
    )
    theirs = application_register(
        actor=outsider, draft=draft_for(johor_type, nik=nik(8), kelurahan_id=None)
    )
    Application.objects.filter(pk=theirs.pk).update(status=Status.SUBMITTED)
    batch = upload(desk_operator, [HEADER, [theirs.code, "", "", ""], ["", nik(8), "ktp-el", ""]])

    batch = import_run(batch_id=batch.pk)

    assert results(batch) == [
        (2, RowResult.NOT_FOUND, "Kode permohonan tidak ditemukan."),
        (3, RowResult.NOT_FOUND, "Tidak ada permohonan dengan NIK dan jenis dokumen ini."),
    ]
    theirs.refresh_from_db()
    assert theirs.status == Status.SUBMITTED


def test_an_xlsx_upload_refuses_a_nik_stored_as_a_number(application_at, desk_operator):
    application = application_at(Status.SUBMITTED, nik=nik(1))
    batch = upload(
        desk_operator,
        [["NIK", "Jenis Dokumen", "Tanggal Terbit"], [int(nik(1)), "ktp-el", "02/11/2026"]],
        file_name="terbit.xlsx",
    )

    batch = import_run(batch_id=batch.pk)

    assert batch.counts == {RowResult.INVALID: 1}
    assert results(batch)[0][2].startswith(f"NIK tersimpan sebagai angka ({nik(1)})")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def run_queries(actor, rows: int) -> int:
    codes = [[f"D2611-{9000 + n:04d}"] for n in range(rows)]
    batch = upload(actor, [["kode"], *codes], file_name=f"{rows}.csv")
    with CaptureQueriesContext(connection) as queries:
        import_run(batch_id=batch.pk, chunk_size=50)
    return len(queries)


def test_deciding_a_chunk_takes_the_same_queries_for_10_or_50_rows(desk_operator, ktp_type):
    assert run_queries(desk_operator, 10) == run_queries(desk_operator, 50)


def test_each_issued_row_costs_the_same_queries(application_at, desk_operator):
    def issuing(count: int, start: int) -> int:
        batch = upload(
            desk_operator,
            [
                ["kode"],
                *[
                    [application_at(Status.SUBMITTED, nik=nik(start + n)).code]
                    for n in range(count)
                ],
            ],
            file_name=f"{start}.csv",
        )
        with CaptureQueriesContext(connection) as queries:
            import_run(batch_id=batch.pk)
        return len(queries)

    one, two, four = issuing(1, 10), issuing(2, 20), issuing(4, 40)

    assert four - two == 2 * (two - one)


def test_only_document_officers_upload(camat, courier):
    for officer in (camat, courier):
        with pytest.raises(Forbidden):
            import_upload(
                actor=officer, file_name="a.csv", content=csv_bytes([["kode"], ["D2611-0001"]])
            )
    assert ImportBatch.objects.count() == 0


def test_batches_are_seen_by_document_officers_of_the_same_kecamatan(
    desk_operator, administrator, outsider, camat, superuser, ktp_type
):
    batch = upload(desk_operator, [["kode"], ["D2611-0001"]])

    assert import_batch_get_for_officer(user=administrator, batch_id=batch.pk) == batch
    assert list(import_batch_list_for_officer(user=desk_operator)) == [batch]
    assert list(import_batch_list_for_officer(user=superuser)) == [batch]
    assert list(import_batch_list_for_officer(user=outsider)) == []
    assert list(import_batch_list_for_officer(user=camat)) == []
    with pytest.raises(NotFound):
        import_batch_get_for_officer(user=outsider, batch_id=batch.pk)


def test_staff_of_another_section_find_only_what_their_unit_handles(application_at, section_staff):
    application = application_at(Status.SUBMITTED, nik=nik(1))
    batch = upload(section_staff, [["kode"], [application.code]])

    batch = import_run(batch_id=batch.pk)

    assert results(batch) == [(2, RowResult.NOT_FOUND, "Kode permohonan tidak ditemukan.")]
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
