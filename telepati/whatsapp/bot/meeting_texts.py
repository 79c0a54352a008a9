"""Every text the bot shows about temu cepat (booking a visit to the office), in Bahasa
Indonesia, through gettext.

Titles of buttons and list rows stay within WhatsApp's limits (buttons 20 characters, rows
24, descriptions 72; a test checks them). The notices the services send (booked, moved,
cancelled, reminders, called) are written in `telepati.appointments.notices`, not here.
Call inside `resident_language()`.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from telepati.core.workdays import WIB


def hhmm(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime("%H.%M")


def day_title(day: date) -> str:
    """A list row title: "Senin, 2 Nov"."""
    return date_format(day, "l, j M")


def slot_title(start: datetime, end: datetime, free: int) -> str:
    """A list row title: "08.00–08.30 (3 tempat)"."""
    return _("%(start)s–%(end)s (%(n)d tempat)") % {
        "start": hhmm(start),
        "end": hhmm(end),
        "n": free,
    }


# --- Choosing a service, a day, a slot ----------------------------------------------------------


def services_prompt() -> str:
    return _(
        "Temu cepat: pesan waktu untuk datang ke kantor camat, tanpa antre lama. "
        "Pilih layanan yang Anda perlukan."
    )


def services_button() -> str:
    return _("Pilih layanan")


def no_services() -> str:
    return _("Maaf, belum ada layanan temu cepat yang dapat dipesan lewat WhatsApp.")


def days_prompt(service: str) -> str:
    return _("%(service)s: pilih hari kedatangan.") % {"service": service}


def days_button() -> str:
    return _("Pilih hari")


def day_description(free: int) -> str:
    return _("%(n)d tempat tersedia") % {"n": free}


def no_days(service: str) -> str:
    return _(
        "Maaf, jadwal %(service)s sudah penuh untuk hari-hari yang dapat dipesan. Silakan "
        "coba lagi besok, atau pilih layanan lain di menu."
    ) % {"service": service}


def slots_prompt(service: str, day: date) -> str:
    return _("%(service)s, %(day)s: pilih jam kedatangan.") % {
        "service": service,
        "day": date_format(day, "l, j F Y"),
    }


def slots_button() -> str:
    return _("Pilih jam")


def day_full(day: date) -> str:
    return _("Maaf, semua jam pada %(day)s sudah penuh. Pilih hari lain.") % {
        "day": date_format(day, "l, j F Y"),
    }


def confirm(*, service: str, time: str, name: str, bring: list[str]) -> str:
    text = _(
        "Periksa janji temu Anda:\nLayanan: %(service)s\nWaktu: %(time)s\nAtas nama: %(name)s"
    ) % {"service": service, "time": time, "name": name}
    if bring:
        text += "\n" + _("Yang perlu dibawa:") + "\n" + "\n".join(f"• {item}" for item in bring)
    return text + "\n" + _("Pesan janji ini?")


def confirm_reschedule(*, code: str, service: str, time: str) -> str:
    return _("Pindahkan janji temu %(code)s (%(service)s) ke %(time)s?") % {
        "code": code,
        "service": service,
        "time": time,
    }


def confirm_buttons(reschedule: bool) -> list[tuple[str, str]]:
    yes = _("Ya, pindahkan") if reschedule else _("Ya, pesan")
    return [("meet:ok", yes), ("meet:no", _("Batal"))]


def dropped() -> str:
    return _("Baik, janji temu tidak jadi dibuat. Ketik *menu* untuk melihat layanan.")


def slot_taken(message: str) -> str:
    return message


def alternatives_button() -> str:
    return _("Pilih jam lain")


def expired_choice() -> str:
    return _("Pilihan itu sudah tidak berlaku. Mari pilih lagi.")


# --- One's own bookings -----------------------------------------------------------------------


def none_active() -> str:
    return _("Anda belum punya janji temu yang aktif. Pilih *Temu cepat* di menu untuk membuatnya.")


def list_prompt(count: int) -> str:
    return _("Janji temu Anda yang aktif: %(n)d. Pilih salah satu untuk melihat rinciannya.") % {
        "n": count
    }


def list_button() -> str:
    return _("Lihat janji")


def booking_details(*, code: str, service: str, time: str, number: str, status: str) -> str:
    return _(
        "Janji temu %(code)s\nLayanan: %(service)s\nWaktu: %(time)s\nNomor antrean: "
        "%(number)s\nStatus: %(status)s"
    ) % {"code": code, "service": service, "time": time, "number": number, "status": status}


def booking_buttons(code: str) -> list[tuple[str, str]]:
    return [
        (f"meet:resched:{code}", _("Jadwal ulang")),
        (f"meet:cancel:{code}", _("Batalkan janji")),
    ]


def already_booked_buttons(code: str) -> list[tuple[str, str]]:
    return booking_buttons(code)


def not_found(code: str) -> str:
    return _(
        "Janji temu %(code)s tidak kami temukan di antara janji Anda. Ketik *janji* untuk "
        "melihat janji temu Anda."
    ) % {"code": code}


def cancel_question(*, code: str, service: str, time: str) -> str:
    return _("Batalkan janji temu %(code)s (%(service)s, %(time)s)?") % {
        "code": code,
        "service": service,
        "time": time,
    }


def cancel_buttons(code: str) -> list[tuple[str, str]]:
    return [(f"meet:cancelok:{code}", _("Ya, batalkan")), ("meet:keep", _("Tidak"))]


def kept() -> str:
    return _("Baik, janji temu Anda tetap berlaku.")


def not_changeable(status: str) -> str:
    return _(
        "Janji temu ini sudah berstatus %(status)s sehingga tidak dapat dijadwal ulang atau "
        "dibatalkan lewat WhatsApp. Silakan sampaikan kepada petugas di loket."
    ) % {"status": status}
