"""Reading import files: formats, encodings, separators, headers, and rows that cannot be used."""

from __future__ import annotations

import codecs
from datetime import date, datetime

import pytest

from telepati.core.errors import InvalidInput
from telepati.documents.services.imports_parse import MAX_ROWS, ParsedRow, import_file_parse
from telepati.documents.tests.import_files import csv_bytes, xlsx_bytes

NIK = "1271094508900002"
NOT_UTF8 = (
    "Berkas CSV tidak dapat dibaca karena bukan UTF-8. Di Excel pilih “Simpan Sebagai” → "
    "“CSV UTF-8 (dipisahkan koma)”, lalu unggah ulang."
)
MISSING_COLUMNS = (
    "Kolom wajib tidak ditemukan. Baris pertama harus berisi judul kolom: “kode” (kode "
    "permohonan), atau “nik” dan “jenis dokumen”. Kolom lain yang dibaca: “nomor dokumen”, "
    "“nama”, “tanggal terbit”."
)
NIK_AS_NUMBER = (
    "NIK tersimpan sebagai angka (%s), sehingga Excel dapat mengubah digit terakhirnya. "
    "Ubah format kolom NIK menjadi Teks, ketik ulang NIK, lalu unggah lagi."
)


def refusal(file_name: str, content: bytes) -> str:
    with pytest.raises(InvalidInput) as caught:
        import_file_parse(file_name=file_name, content=content)
    assert caught.value.field_errors == {"file": [str(caught.value)]}
    return str(caught.value)


def row(line: int, problem: str = "", /, **data: str) -> ParsedRow:
    values = dict.fromkeys(("code", "nik", "document", "number", "name", "issued_on"), "")
    values.update(data)
    return ParsedRow(row_number=line, data=values, problem=problem)


def test_a_semicolon_csv_with_a_bom_and_loose_headers_is_read():
    content = codecs.BOM_UTF8 + csv_bytes(
        [
            ["No.", "Kode Permohonan", "NO. NIK", "Jenis_Dokumen", "Nomor Dokumen", "Tgl Terbit"],
            ["1", "d2611-0007", NIK, "KTP-el", "1271-LU-01112026-0001", "02/11/2026"],
        ],
        delimiter=";",
    )

    rows = import_file_parse(file_name="TERBIT.CSV", content=content)

    assert rows == [
        row(
            2,
            code="D2611-0007",
            nik=NIK,
            document="KTP-el",
            number="1271-LU-01112026-0001",
            issued_on="2026-11-02",
        )
    ]


def test_a_comma_csv_in_utf16_with_a_bom_is_read():
    content = csv_bytes([["kode", "nama"], ["D2611-0001", "Siti Aminah"]], encoding="utf-16")

    assert import_file_parse(file_name="a.csv", content=content) == [
        row(2, code="D2611-0001", name="Siti Aminah")
    ]


def test_a_windows_1252_csv_is_refused_with_how_to_save_it_again():
    content = csv_bytes([["kode", "nama"], ["D2611-0001", "José Simanjuntak"]], encoding="cp1252")

    assert refusal("a.csv", content) == NOT_UTF8


@pytest.mark.parametrize(
    ("file_name", "content", "message"),
    [
        ("a.csv", b"", "Berkas kosong. Unggah berkas CSV atau XLSX berisi data dokumen terbit."),
        (
            "a.csv",
            b"\r\n;;\r\n",
            "Berkas kosong. Unggah berkas CSV atau XLSX berisi data dokumen terbit.",
        ),
        (
            "a.csv",
            b"kode;nama\r\n;\r\n",
            "Berkas hanya berisi judul kolom. Isi data dokumen terbit di bawahnya, lalu unggah.",
        ),
        (
            "a.pdf",
            b"%PDF-1.4",
            "Jenis berkas tidak didukung. Unggah berkas CSV (.csv) atau Excel (.xlsx) dengan "
            "baris pertama berisi judul kolom.",
        ),
        (
            "a.xls",
            b"\xd0\xcf\x11\xe0",
            "Format Excel lama (.xls) tidak didukung. Buka berkas di Excel lalu “Simpan "
            "Sebagai” Buku Kerja Excel (.xlsx) atau CSV UTF-8.",
        ),
        (
            "a.xlsx",
            b"PK\x03\x04 not really a workbook",
            "Berkas Excel tidak dapat dibuka (rusak atau bukan .xlsx). Buka di Excel, “Simpan "
            "Sebagai” Buku Kerja Excel (.xlsx), lalu unggah ulang.",
        ),
        ("a.csv", b"nama;nik\r\nSiti;1271094508900002\r\n", MISSING_COLUMNS),
    ],
)
def test_unusable_files_are_refused_with_a_clear_reason(file_name, content, message):
    assert refusal(file_name, content) == message


def test_a_file_over_five_megabytes_is_refused():
    content = b"kode\n" + b"D2611-0001\n" * (5 * 1024 * 1024 // 11 + 1)

    assert refusal("a.csv", content) == (
        "Berkas lebih besar dari 5 MB. Bagi data menjadi beberapa berkas (paling banyak "
        "5.000 baris per berkas) lalu unggah satu per satu."
    )


def test_a_file_over_five_thousand_rows_is_refused():
    rows = [["kode"]] + [[f"D2611-{n:04d}"] for n in range(1, MAX_ROWS + 2)]

    assert refusal("a.csv", csv_bytes(rows)) == (
        "Berkas berisi lebih dari 5.000 baris data. Bagi menjadi beberapa berkas lalu unggah "
        "satu per satu."
    )


def test_exactly_five_thousand_rows_are_accepted():
    rows = [["kode"]] + [[f"D2611-{n:04d}"] for n in range(1, MAX_ROWS + 1)]

    assert len(import_file_parse(file_name="a.csv", content=csv_bytes(rows))) == MAX_ROWS


def test_nik_and_type_without_a_code_are_enough_and_blank_lines_are_skipped():
    content = csv_bytes([["NIK", "Jenis Dokumen"], ["", ""], [NIK, "kk"]])

    assert import_file_parse(file_name="a.csv", content=content) == [row(3, nik=NIK, document="kk")]


def test_rows_that_cannot_be_used_carry_the_reason():
    content = csv_bytes(
        [
            ["kode", "nik", "jenis dokumen", "tanggal terbit"],
            ["D26-7", "", "", ""],
            ["", "12710945", "kk", ""],
            ["", "1.27101E+15", "kk", ""],
            ["", "1,27101E+15", "kk", ""],
            ["", NIK, "", ""],
            ["D2611-0001", "", "", "kemarin"],
        ]
    )

    rows = import_file_parse(file_name="a.csv", content=content)

    assert [(r.row_number, r.problem) for r in rows] == [
        (2, "Kode “D26-7” tidak dikenali (contoh yang benar: D2611-0007)."),
        (3, "NIK harus 16 angka. (NIK “12710945”)"),
        (4, NIK_AS_NUMBER % "1.27101E+15"),
        (5, NIK_AS_NUMBER % "1,27101E+15"),
        (6, "Isi kolom kode, atau NIK dan jenis dokumen."),
        (7, "Tanggal terbit “kemarin” tidak dikenali (gunakan HH/BB/TTTT)."),
    ]


def test_an_xlsx_with_dates_and_numbers_as_cells():
    content = xlsx_bytes(
        [
            ["Kode", "NIK", "Jenis Dokumen", "Nomor Dokumen", "Tanggal Terbit"],
            ["D2611-0001", NIK, "ktp-el", 12710001, datetime(2026, 11, 2, 0, 0)],
            ["D2611-0002", 1271094508900002, "ktp-el", "A-1", date(2026, 11, 3)],
            ["D2611-0003", 1.27101e15, "ktp-el", 7.0, "03/11/2026"],
        ]
    )

    rows = import_file_parse(file_name="terbit.xlsx", content=content)

    assert rows == [
        row(
            2,
            code="D2611-0001",
            nik=NIK,
            document="ktp-el",
            number="12710001",
            issued_on="2026-11-02",
        ),
        row(
            3,
            NIK_AS_NUMBER % "1271094508900002",
            code="D2611-0002",
            nik="1271094508900002",
            document="ktp-el",
            number="A-1",
            issued_on="2026-11-03",
        ),
        row(
            4,
            NIK_AS_NUMBER % "1271010000000000",
            code="D2611-0003",
            nik="1271010000000000",
            document="ktp-el",
            number="7",
            issued_on="2026-11-03",
        ),
    ]


def test_an_xlsx_reads_only_the_first_sheet():
    from io import BytesIO

    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.append(["kode"])
    first.append(["D2611-0001"])
    second = workbook.create_sheet("Lain")
    second.append(["kode"])
    second.append(["D2611-0099"])
    buffer = BytesIO()
    workbook.save(buffer)

    rows = import_file_parse(file_name="a.xlsx", content=buffer.getvalue())

    assert [r.data["code"] for r in rows] == ["D2611-0001"]
