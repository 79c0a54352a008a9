"""Every text the WhatsApp bot shows a resident, in Bahasa Indonesia, through gettext.

One module so that translators (and reviewers of tone) find all of it in one place. Texts
are short: residents read them on small, cheap phones. Titles of buttons and list rows stay
within WhatsApp's limits (buttons 20 characters, list rows 24, descriptions 72); the bot
shortens anything longer, a test checks these constants. Call inside `resident_language()`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

# --- Main menu -----------------------------------------------------------------------------


def menu_body(name: str) -> str:
    greeting = _("Halo %(name)s!") % {"name": name} if name else _("Halo!")
    return (
        greeting
        + " "
        + _(
            "Ini layanan WhatsApp Kecamatan. Silakan pilih layanan. Ketik *menu* kapan saja "
            "untuk kembali ke sini, atau *batal* untuk membatalkan."
        )
    )


def menu_button() -> str:
    return _("Pilih layanan")


def menu_rows() -> list[tuple[str, str, str]]:
    """(id, title ≤24, description ≤72) of the main menu."""
    return [
        ("menu:report", _("Buat laporan"), _("Laporkan masalah di lingkungan Anda")),
        ("menu:check", _("Cek status laporan"), _("Lihat perkembangan laporan Anda")),
        ("menu:document", _("Cek dokumen kependudukan"), _("Status permohonan KTP, KK, akta")),
        ("menu:apply", _("Daftar dokumen"), _("Pra-pendaftaran KTP, KK, akta, surat")),
        ("menu:info", _("Info layanan"), _("Persyaratan dokumen dan cara daftar")),
        ("menu:meeting", _("Temu cepat"), _("Janji bertemu petugas kecamatan")),
        ("menu:officer", _("Bicara dengan petugas"), _("Percakapan diteruskan ke petugas")),
    ]


def session_expired() -> str:
    return _("Sesi sebelumnya sudah berakhir karena lama tidak ada balasan. Mari mulai lagi.")


def cancelled() -> str:
    return _("Baik, dibatalkan. Ketik *menu* untuk melihat layanan.")


def misunderstood() -> str:
    return _(
        "Maaf, kami belum memahami pesan Anda. Silakan pilih dari menu, atau ketik *petugas* "
        "untuk bicara dengan petugas."
    )


def unreadable() -> str:
    return _(
        "Maaf, jenis pesan ini belum dapat kami baca. Silakan kirim sebagai teks biasa, foto, "
        "atau lokasi."
    )


def handover(hours: str) -> str:
    return _(
        "Baik, percakapan ini kami teruskan ke petugas. Petugas akan membalas pada jam kerja "
        "(Senin–Jumat, %(hours)s WIB). Mohon tunggu, ya."
    ) % {"hours": hours}


def handover_after_misunderstanding() -> str:
    return _("Maaf, kami belum berhasil memahami pesan Anda.")


def error(message: str) -> str:
    # "Nama terlalu…" → "Maaf, nama terlalu…"; an acronym ("NIK harus…") keeps its capitals.
    if message[1:2].islower():
        message = message[:1].lower() + message[1:]
    return _("Maaf, %(message)s") % {"message": message}


# --- Filing a complaint ------------------------------------------------------------------


def category_prompt() -> str:
    return _("Pilih kategori masalah yang ingin Anda laporkan.")


def category_button() -> str:
    return _("Pilih kategori")


def more_row() -> tuple[str, str]:
    return _("Lainnya…"), _("Lihat pilihan berikutnya")


def description_prompt(category: str) -> str:
    return _(
        "Kategori: %(category)s. Ceritakan masalahnya: apa yang terjadi, sejak kapan, dan di "
        "mana (minimal 10 huruf)."
    ) % {"category": category}


def description_short() -> str:
    return _("Uraiannya terlalu singkat. Ceritakan masalahnya minimal 10 huruf, ya.")


def photos_prompt() -> str:
    return _(
        "Ada foto masalahnya? Kirim foto (boleh lebih dari satu), atau tekan *Lanjut* bila "
        "tidak ada."
    )


def photo_received(count: int) -> str:
    return _("Foto ke-%(n)d diterima. Kirim foto lain, atau tekan *Lanjut*.") % {"n": count}


def photo_limit(limit: int) -> str:
    return _("Paling banyak %(n)d foto. Tekan *Lanjut* untuk meneruskan.") % {"n": limit}


def continue_button() -> str:
    return _("Lanjut")


def location_prompt() -> str:
    return _(
        "Di mana lokasinya? Bagikan lokasi (📎 lalu *Lokasi*), atau ketik alamatnya, "
        "misalnya: Jl. Garu II gang Mawar."
    )


def address_short() -> str:
    return _("Alamatnya terlalu singkat. Tulis nama jalan dan patokannya, ya.")


def kelurahan_prompt() -> str:
    return _("Lokasi itu masuk kelurahan mana?")


def kelurahan_button() -> str:
    return _("Pilih kelurahan")


def summary(*, category: str, description: str, photos: int, location: str, kelurahan: str) -> str:
    lines = [
        _("Periksa laporan Anda:"),
        _("Kategori: %(category)s") % {"category": category},
        _("Uraian: %(description)s") % {"description": description},
        _("Foto: %(n)d") % {"n": photos},
        _("Lokasi: %(location)s") % {"location": location},
    ]
    if kelurahan:
        lines.append(_("Kelurahan: %(name)s") % {"name": kelurahan})
    lines.append(_("Tekan *Kirim* bila sudah benar."))
    return "\n".join(lines)


def location_pin(name: str) -> str:
    return _("titik peta (%(name)s)") % {"name": name} if name else _("titik peta")


def similar_report(number: str) -> str:
    return _(
        "Catatan: laporan serupa di dekat lokasi ini (%(number)s) sedang ditangani. Anda tetap "
        "dapat mengirim laporan ini."
    ) % {"number": number}


def confirm_buttons() -> list[tuple[str, str]]:
    return [
        ("confirm:send", _("Kirim")),
        ("confirm:edit", _("Ubah")),
        ("confirm:cancel", _("Batal")),
    ]


def confirm_expected() -> str:
    return _("Tekan *Kirim* untuk mengirim laporan, *Ubah* untuk memperbaikinya, atau *Batal*.")


def edit_prompt() -> str:
    return _("Bagian mana yang ingin diubah?")


def edit_button() -> str:
    return _("Pilih bagian")


def edit_rows() -> list[tuple[str, str, str]]:
    return [
        ("edit:category", _("Kategori"), ""),
        ("edit:description", _("Uraian"), ""),
        ("edit:photos", _("Foto"), ""),
        ("edit:location", _("Lokasi"), ""),
    ]


def submitted_next() -> str:
    return _(
        "Apa selanjutnya? Petugas memeriksa laporan Anda, lalu meneruskannya ke unit yang "
        "berwenang. Setiap perkembangan kami kabarkan lewat WhatsApp ini."
    )


def proposal(category: str) -> str:
    return _(
        "Sepertinya Anda ingin melaporkan masalah *%(category)s*. Jadikan pesan ini laporan?"
    ) % {"category": category}


def proposal_without_category() -> str:
    return _("Ingin menjadikan pesan ini laporan? Pilih dulu kategorinya.")


def proposal_buttons(with_yes: bool) -> list[tuple[str, str]]:
    buttons = [("proposal:choose", _("Pilih kategori")), ("proposal:menu", _("Menu"))]
    return [("proposal:yes", _("Ya, laporkan")), *buttons] if with_yes else buttons


def photo_refused(number: str) -> str:
    return _(
        "Maaf, satu foto untuk laporan %(number)s tidak dapat kami simpan. Foto lain tetap "
        "tersimpan; petugas dapat meminta foto lagi bila perlu."
    ) % {"number": number}


# --- Commands ------------------------------------------------------------------------------


def check_prompt() -> str:
    return _("Ketik nomor laporan Anda, misalnya L2611-0042.")


def report_not_found(number: str) -> str:
    return _(
        "Laporan %(number)s tidak kami temukan di antara laporan Anda. Periksa kembali "
        "nomornya, lalu ketik: cek <nomor laporan>."
    ) % {"number": number}


def report_status(
    *, number: str, category: str, status: str, submitted: str, details: list[str]
) -> str:
    lines = [
        _("Laporan %(number)s") % {"number": number},
        _("Kategori: %(category)s") % {"category": category},
        _("Status: %(status)s") % {"status": status},
        _("Diterima: %(moment)s") % {"moment": submitted},
    ]
    return "\n".join(lines + details)


def status_on_hold(reason: str) -> str:
    return _("Mohon lengkapi: %(reason)s") % {"reason": reason}


def status_rejected(reason: str) -> str:
    return _("Alasan: %(reason)s") % {"reason": reason}


def status_merged(number: str) -> str:
    return _("Laporan ini digabung dengan laporan %(number)s; ikuti perkembangannya di sana.") % {
        "number": number
    }


def nothing_to_rate() -> str:
    return _("Tidak ada laporan Anda yang menunggu penilaian. Ketik *menu* untuk melihat layanan.")


def dispute_usage() -> str:
    return _("Untuk menyanggah penyelesaian, ketik: sanggah <nomor laporan> <alasan>.")


def dispute_reason_prompt(number: str) -> str:
    return _("Apa alasan Anda menyanggah penyelesaian laporan %(number)s? Tulis singkat, ya.") % {
        "number": number
    }
