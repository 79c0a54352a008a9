"""Texts of the hand-over notices: pick-up, delivery scheduled, courier on the way, delivered,
failed attempt.

Every function returns Indonesian text through gettext; callers run them inside
`resident_language()` (see `telepati.documents.services.handover` and `.delivery`). The
texts name the application code so a resident with several applications knows which one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from telepati.core.formatting import day_format, moment_format
from telepati.core.workdays import parse_office_hours
from telepati.documents.models import Application

# The buttons offered when a delivery failed without a new day: pick a day, or come by.
DELIVERY_BUTTON_PREFIX = "doc:delivery:"
PICKUP_BUTTON_PREFIX = "doc:pickup:"


def office_hours_text(value: str | None = None) -> str:
    """Office hours as residents read them: "08:00-16:00" → "08.00–16.00"."""
    opens_at, closes_at = parse_office_hours(value or settings.TELEPATI_OFFICE_HOURS)
    return f"{opens_at:%H.%M}–{closes_at:%H.%M}"


def _office_name(application: Application) -> str:
    office = application.handling_unit.name
    address = application.kecamatan.address
    return f"{office} ({address})" if address else office


def pickup_text(application: Application) -> str:
    """The resident will collect: where, when, what to bring, who may collect instead."""
    return _(
        "Dokumen %(document)s Anda (kode %(code)s) siap diambil di %(office)s, "
        "pada hari kerja pukul %(hours)s WIB.\n\n"
        "Bawa:\n"
        "• KTP-el dan Kartu Keluarga asli;\n"
        "• bukti pendaftaran atau kode permohonan %(code)s.\n\n"
        "Bila diwakilkan, penerima membawa surat kuasa dari pemohon serta KTP-el asli "
        "pemohon dan penerima kuasa."
    ) % {
        "document": application.document_type.name,
        "code": application.code,
        "office": _office_name(application),
        "hours": office_hours_text(),
    }


def delivery_scheduled_text(application: Application) -> str:
    """The document will be brought to the resident's address on the chosen day."""
    return _(
        "Dokumen %(document)s Anda (kode %(code)s) dijadwalkan diantar pada %(day)s "
        "ke alamat: %(address)s.\n\n"
        "Pastikan ada yang menerima dan siapkan KTP-el pemohon. Kurir akan memotret "
        "serah terima sebagai bukti."
    ) % {
        "document": application.document_type.name,
        "code": application.code,
        "day": day_format(application.delivery_date),
        "address": application.delivery_address,
    }


def dispatch_text(application: Application) -> str:
    """The courier has left with the document."""
    return _(
        "Kurir sedang menuju alamat Anda untuk mengantar dokumen %(document)s "
        "(kode %(code)s): %(address)s. Siapkan KTP-el pemohon."
    ) % {
        "document": application.document_type.name,
        "code": application.code,
        "address": application.delivery_address,
    }


def handed_over_text(application: Application, *, recipient_name: str, at: datetime) -> str:
    """Confirmation that the document changed hands (at the office or at the door)."""
    return _(
        "Dokumen %(document)s (kode %(code)s) telah diserahkan kepada %(name)s "
        "pada %(moment)s. Terima kasih telah menggunakan layanan kami."
    ) % {
        "document": application.document_type.name,
        "code": application.code,
        "name": recipient_name,
        "moment": moment_format(at),
    }


def delivery_failed_text(
    application: Application, *, reason: str, rescheduled_to: date | None
) -> str:
    """A failed attempt: why, and the new day or the request to choose again."""
    values = {
        "document": application.document_type.name,
        "code": application.code,
        "reason": reason,
        "day": day_format(rescheduled_to),
    }
    if rescheduled_to is not None:
        return (
            _(
                "Kurir belum berhasil mengantar dokumen %(document)s (kode %(code)s): "
                "%(reason)s\n\nPengantaran dijadwalkan ulang pada %(day)s."
            )
            % values
        )
    return (
        _(
            "Kurir belum berhasil mengantar dokumen %(document)s (kode %(code)s): "
            "%(reason)s\n\nSilakan pilih hari antar yang baru, atau ambil dokumen di kantor."
        )
        % values
    )


def choose_again_buttons(application: Application) -> dict[str, Any]:
    """Quick replies after a failed attempt: a new delivery day, or pick-up at the office."""
    return {
        "type": "buttons",
        "buttons": [
            [f"{DELIVERY_BUTTON_PREFIX}{application.code}", _("Pilih hari antar")],
            [f"{PICKUP_BUTTON_PREFIX}{application.code}", _("Ambil di kantor")],
        ],
    }
