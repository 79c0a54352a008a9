"""Reading an uploaded file of issued documents (CSV or XLSX) into clean rows. No database.

`import_file_parse(file_name=…, content=…)` either returns every non-empty data row, its
values cleaned to text, or raises `InvalidInput` saying how to fix the whole file (wrong
format or encoding, empty, too large, missing columns). A row that cannot be used on its
own (malformed code or NIK, a NIK that Excel turned into a number, an unreadable date)
keeps its values and carries a `problem`; the import marks it invalid with that reason.

Files come from Indonesian offices: Excel writes CSV with ";" as the separator and often
in a legacy code page; headers vary ("Kode Permohonan", "NO. NIK", "Jenis_Dokumen"), so
names are compared after folding case, punctuation and spacing, with aliases.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NoReturn

from django.utils.translation import gettext as _

from telepati.core.errors import InvalidInput
from telepati.documents.services.common import nik_clean

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

# Canonical column → accepted header names (already folded by `header_fold`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("kode", "kode permohonan", "kode pendaftaran", "kode berkas", "kode registrasi"),
    "nik": ("nik", "no nik", "nomor nik", "nik pemohon", "nomor induk kependudukan"),
    "document": ("jenis dokumen", "jenis", "dokumen", "jenis layanan", "layanan"),
    "number": ("nomor dokumen", "no dokumen", "nomor surat", "no surat", "nomor akta", "no akta"),
    "name": ("nama", "nama pemohon", "nama lengkap"),
    "issued_on": ("tanggal terbit", "tgl terbit", "tanggal", "tanggal penerbitan"),
}
FIELDS = tuple(COLUMNS)

_CODE_RE = re.compile(r"^D\d{4}-\d{4,6}$")
# "1.27101E+15", "1,27101E+15", "1E+15": what Excel shows (and saves) for a long number.
_SCIENTIFIC_RE = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%y")


@dataclass(frozen=True)
class ParsedRow:
    """One data row: its line number in the file (the header is line 1), cleaned values
    by canonical column name, and why it cannot be used ("" when it can)."""

    row_number: int
    data: dict[str, str]
    problem: str = ""


def header_fold(value: object) -> str:
    """A header cell compared loosely: lower case, punctuation as spaces, single spaces."""
    text = str(value or "").replace("\ufeff", "").lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def import_file_parse(*, file_name: str, content: bytes) -> list[ParsedRow]:
    """Every non-empty data row of a .csv or .xlsx file, or InvalidInput for the file."""
    if not content:
        _refuse(_("Berkas kosong. Unggah berkas CSV atau XLSX berisi data dokumen terbit."))
    if len(content) > MAX_BYTES:
        _refuse(
            _(
                "Berkas lebih besar dari 5 MB. Bagi data menjadi beberapa berkas "
                "(paling banyak %(rows)s baris per berkas) lalu unggah satu per satu."
            )
            % {"rows": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension == "csv":
        table: Iterator[Sequence[Any]] = _csv_rows(content)
    elif extension == "xlsx":
        table = _xlsx_rows(content)
    elif extension == "xls":
        _refuse(
            _(
                "Format Excel lama (.xls) tidak didukung. Buka berkas di Excel lalu "
                "“Simpan Sebagai” Buku Kerja Excel (.xlsx) atau CSV UTF-8."
            )
        )
    else:
        _refuse(
            _(
                "Jenis berkas tidak didukung. Unggah berkas CSV (.csv) atau "
                "Excel (.xlsx) dengan baris pertama berisi judul kolom."
            )
        )
    return _rows_read(table)


def _refuse(message: str) -> NoReturn:
    raise InvalidInput(message, field_errors={"file": [message]})


# --- Reading the two formats into lists of cells ------------------------------------------


def _csv_text(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        text = ""
    if not text or "\x00" in text:
        _refuse(
            _(
                "Berkas CSV tidak dapat dibaca karena bukan UTF-8. Di Excel pilih "
                "“Simpan Sebagai” → “CSV UTF-8 (dipisahkan koma)”, lalu unggah ulang."
            )
        )
    return text


def _csv_rows(content: bytes) -> Iterator[Sequence[Any]]:
    text = _csv_text(content)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    # The header decides the separator: Indonesian Excel writes ";", most tools ",".
    delimiter = max((";", ",", "\t"), key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(content: bytes) -> Iterator[Sequence[Any]]:
    # Imported here: openpyxl is only needed when an officer uploads a workbook.
    from openpyxl import load_workbook

    message = _(
        "Berkas Excel tidak dapat dibuka (rusak atau bukan .xlsx). Buka di Excel, "
        "“Simpan Sebagai” Buku Kerja Excel (.xlsx), lalu unggah ulang."
    )
    # A damaged workbook fails in many ways inside openpyxl (zip, XML, missing parts).
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        _refuse(message)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except Exception:
                _refuse(message)
            yield cells
    finally:
        workbook.close()


# --- Rows ---------------------------------------------------------------------------------


def _rows_read(table: Iterator[Sequence[Any]]) -> list[ParsedRow]:
    rows = iter(table)
    header: list[str] | None = None
    line = 0
    for cells in rows:
        line += 1
        if any(_cell_text(cell) for cell in cells):
            header = [header_fold(cell) for cell in cells]
            break
    if header is None:
        _refuse(_("Berkas kosong. Unggah berkas CSV atau XLSX berisi data dokumen terbit."))
    positions = _columns_find(header or [])
    parsed: list[ParsedRow] = []
    for cells in rows:
        line += 1
        values = {
            field: cells[index] if index < len(cells) else None
            for field, index in positions.items()
        }
        if not any(_cell_text(value) for value in values.values()):
            continue
        if len(parsed) >= MAX_ROWS:
            _refuse(
                _(
                    "Berkas berisi lebih dari %(rows)s baris data. Bagi menjadi beberapa "
                    "berkas lalu unggah satu per satu."
                )
                % {"rows": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        parsed.append(_row_clean(line, values))
    if not parsed:
        _refuse(
            _("Berkas hanya berisi judul kolom. Isi data dokumen terbit di bawahnya, lalu unggah.")
        )
    return parsed


def _columns_find(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for field, aliases in COLUMNS.items():
        for index, name in enumerate(header):
            if name in aliases and index not in positions.values():
                positions[field] = index
                break
    if "code" not in positions and not {"nik", "document"} <= positions.keys():
        _refuse(
            _(
                "Kolom wajib tidak ditemukan. Baris pertama harus berisi judul kolom: "
                "“kode” (kode permohonan), atau “nik” dan “jenis dokumen”. Kolom lain "
                "yang dibaca: “nomor dokumen”, “nama”, “tanggal terbit”."
            )
        )
    return positions


def _cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _row_clean(line: int, values: dict[str, Any]) -> ParsedRow:
    data = {field: _cell_text(value) for field, value in values.items()}
    data = {field: data.get(field, "") for field in FIELDS}
    problems: list[str] = []
    code = data["code"].replace(" ", "").upper()
    data["code"] = code
    if code and not _CODE_RE.match(code):
        problems.append(
            _("Kode “%(code)s” tidak dikenali (contoh yang benar: D2611-0007).") % {"code": code}
        )
    problems.extend(_nik_problems(data, raw=values.get("nik")))
    if not code and not (data["nik"] and data["document"]):
        problems.append(_("Isi kolom kode, atau NIK dan jenis dokumen."))
    if data["issued_on"]:
        parsed = _date_parse(data["issued_on"])
        if parsed is None:
            problems.append(
                _("Tanggal terbit “%(value)s” tidak dikenali (gunakan HH/BB/TTTT).")
                % {"value": data["issued_on"]}
            )
        else:
            data["issued_on"] = parsed.isoformat()
    return ParsedRow(row_number=line, data=data, problem=" ".join(problems))


def _nik_problems(data: dict[str, str], *, raw: object) -> list[str]:
    text = data["nik"]
    if not text:
        return []
    if isinstance(raw, int | float) or _SCIENTIFIC_RE.match(text):
        return [
            _(
                "NIK tersimpan sebagai angka (%(value)s), sehingga Excel dapat mengubah "
                "digit terakhirnya. Ubah format kolom NIK menjadi Teks, ketik ulang NIK, "
                "lalu unggah lagi."
            )
            % {"value": text}
        ]
    try:
        data["nik"] = nik_clean(text)
    except InvalidInput as error:
        return [_("%(reason)s (NIK “%(value)s”)") % {"reason": error.message, "value": text}]
    return []


def _date_parse(value: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None
