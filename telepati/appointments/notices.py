"""What the resident reads on WhatsApp about a booking (janji temu), in Bahasa Indonesia.

Every function returns a finished text (gettext, in the deployment's language via
`resident_language()`). Inside WhatsApp's 24-hour window the text goes out; outside it the
approved template `janji_temu` with [code, service, time] (`template_params`).
"""

from __future__ import annotations

from datetime import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from telepati.appointments.models import Booking
from telepati.appointments.schedule import slot_end
from telepati.core.formatting import resident_language
from telepati.core.workdays import WIB


def slot_label(booking: Booking) -> str:
    """ "Senin, 2 November 2026, 10.00–10.30 WIB" (walk-ins: the day only)."""
    if booking.slot_start is None:
        return date_format(booking.service_day, "l, j F Y")
    return time_range_label(booking.slot_start, slot_end(booking.service, booking.slot_start))


def time_range_label(start: datetime, end: datetime) -> str:
    local_start, local_end = start.astimezone(WIB), end.astimezone(WIB)
    return (
        date_format(local_start, "l, j F Y")
        + ", "
        + local_start.strftime("%H.%M")
        + "–"
        + local_end.strftime("%H.%M")
        + " WIB"
    )


def template_params(booking: Booking) -> list[str]:
    """Parameters of the `janji_temu` template: [code, service, time]."""
    with resident_language():
        return [booking.code, booking.service.name, slot_label(booking)]


def _bring(booking: Booking) -> str:
    items = [line.strip() for line in booking.service.what_to_bring.splitlines() if line.strip()]
    if not items:
        return ""
    return "\n" + _("Yang perlu dibawa:") + "\n" + "\n".join(f"• {item}" for item in items)


def _values(booking: Booking) -> dict[str, str]:
    return {
        "code": booking.code,
        "service": booking.service.name,
        "time": slot_label(booking),
        "number": booking.queue_label,
        "place": booking.service.unit.name,
    }


def booked_text(booking: Booking) -> str:
    with resident_language():
        text = _(
            "Janji temu Anda tercatat.\n"
            "Kode: %(code)s\n"
            "Layanan: %(service)s\n"
            "Waktu: %(time)s\n"
            "Nomor antrean: %(number)s\n"
            "Tempat: %(place)s, Kantor Camat.\n"
            "Datanglah 10 menit lebih awal dan sebutkan kode ini di loket."
        ) % _values(booking)
        return text + _bring(booking) + "\n" + _cancel_hint()


def _cancel_hint() -> str:
    return _("Ketik *janji* untuk melihat, menjadwal ulang atau membatalkan.")


def rescheduled_text(booking: Booking) -> str:
    with resident_language():
        return (
            _(
                "Janji temu %(code)s dipindahkan.\n"
                "Layanan: %(service)s\n"
                "Waktu baru: %(time)s\n"
                "Nomor antrean: %(number)s"
            )
            % _values(booking)
            + "\n"
            + _cancel_hint()
        )


def cancelled_text(booking: Booking) -> str:
    with resident_language():
        return _(
            "Janji temu %(code)s (%(service)s, %(time)s) dibatalkan. Ketik *menu* bila ingin "
            "membuat janji baru."
        ) % _values(booking)


def reminder_day_before_text(booking: Booking) -> str:
    with resident_language():
        text = _(
            "Pengingat: besok Anda punya janji temu %(service)s, %(time)s, nomor antrean "
            "%(number)s (kode %(code)s). Berhalangan? Ketik *janji* untuk menjadwal ulang atau "
            "membatalkan."
        ) % _values(booking)
        return text + _bring(booking)


def reminder_hour_before_text(booking: Booking) -> str:
    with resident_language():
        return _(
            "Satu jam lagi: janji temu %(service)s pukul %(hour)s WIB, nomor antrean "
            "%(number)s. Sebutkan kode %(code)s di loket saat tiba."
        ) % {
            **_values(booking),
            "hour": booking.slot_start.astimezone(WIB).strftime("%H.%M")
            if booking.slot_start
            else "-",
        }


def called_text(booking: Booking) -> str:
    with resident_language():
        return _("Nomor Anda dipanggil: %(number)s. Silakan menuju %(counter)s.") % {
            "number": booking.queue_label,
            "counter": booking.counter_name or booking.service.counter_name,
        }


def no_show_text(booking: Booking) -> str:
    with resident_language():
        return _(
            "Janji temu %(code)s (%(service)s, %(time)s) tercatat tidak hadir. Ketik *menu* "
            "untuk membuat janji baru."
        ) % _values(booking)
