"""Every text the bot shows about population documents, in Bahasa Indonesia, through gettext.

The complaint texts are in `texts.py`; these cover checking an application, the catalogue,
pre-applying and choosing pick-up or delivery once a document is issued. Titles of buttons
and list rows stay within WhatsApp's limits (buttons 20 characters, rows 24, descriptions
72; a test checks them). Notices the services send (received, issued, pick-up hours, …) are
written in `telepati.documents.notices*`, not here. Call inside `resident_language()`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

# --- Checking an application ---------------------------------------------------------------


def check_prompt() -> str:
    return _("Ketik kode permohonan dokumen Anda, misalnya D2611-0042.")


def open_list(count: int) -> str:
    return _(
        "Permohonan dokumen Anda yang sedang berjalan: %(n)d. Pilih salah satu untuk melihat "
        "rinciannya, atau ketik: cek dok <kode permohonan>."
    ) % {"n": count}


def open_list_button() -> str:
    return _("Lihat permohonan")


def open_row_description(document: str, status: str) -> str:
    return f"{document} · {status}"


def not_found(code: str) -> str:
    return _(
        "Permohonan %(code)s tidak kami temukan di antara permohonan Anda. Periksa kembali "
        "kodenya, lalu ketik: cek dok <kode permohonan>."
    ) % {"code": code}


def too_many_attempts() -> str:
    return _(
        "Maaf, sudah terlalu banyak kode yang tidak cocok dalam satu jam terakhir. Demi "
        "keamanan data warga, silakan coba lagi nanti, atau tanyakan langsung ke kantor "
        "kecamatan dengan membawa KTP-el."
    )


def status_head(*, code: str, document: str, status: str, applied: str) -> list[str]:
    return [
        _("Permohonan %(code)s") % {"code": code},
        _("Dokumen: %(document)s") % {"document": document},
        _("Status: %(status)s") % {"status": status},
        _("Didaftarkan: %(moment)s") % {"moment": applied},
    ]


def status_bring(requirements: str) -> str:
    return _("Bawa berkas asli berikut ke kantor kecamatan dan sebutkan kode ini:\n%(list)s") % {
        "list": requirements
    }


def status_due(day: str) -> str:
    return _("Target selesai: %(day)s") % {"day": day}


def status_fix(note: str) -> str:
    return _("Yang perlu diperbaiki: %(note)s\nBawa perbaikannya ke kantor kecamatan.") % {
        "note": note
    }


def status_submitted(moment: str) -> str:
    return _("Diajukan ke Disdukcapil: %(moment)s") % {"moment": moment}


def status_issued(moment: str) -> str:
    return _("Terbit: %(moment)s") % {"moment": moment}


def status_choose(delivery: bool) -> str:
    if delivery:
        return _("Pilih cara menerimanya: ambil di kantor, atau kami antar ke rumah.")
    return _("Dokumen ini diambil di kantor. Tekan *Ambil di kantor* untuk melihat yang dibawa.")


def status_pickup(hours: str) -> str:
    return _(
        "Silakan ambil di kantor kecamatan pada jam kerja (Senin–Jumat, %(hours)s WIB) dengan "
        "membawa KTP-el/KK asli dan kode permohonan. Bila diwakilkan, bawa surat kuasa."
    ) % {"hours": hours}


def status_delivery(*, day: str, address: str) -> str:
    return _("Diantar: %(day)s\nAlamat: %(address)s") % {"day": day, "address": address}


def status_out_for_delivery(address: str) -> str:
    return _("Kurir sedang menuju alamat Anda: %(address)s") % {"address": address}


def status_handed_over(moment: str) -> str:
    return _("Diserahkan: %(moment)s") % {"moment": moment}


def status_rejected(reason: str) -> str:
    return _("Alasan penolakan: %(reason)s") % {"reason": reason}


def status_cancelled(reason: str) -> str:
    return _("Alasan pembatalan: %(reason)s") % {"reason": reason}


def pickup_button() -> str:
    return _("Ambil di kantor")


def delivery_button() -> str:
    return _("Antar ke rumah")


# --- The catalogue ----------------------------------------------------------------------------


def info_prompt() -> str:
    return _(
        "Layanan dokumen kependudukan di kantor kecamatan. Pilih satu untuk melihat "
        "persyaratan, biaya dan lama prosesnya."
    )


def info_button() -> str:
    return _("Lihat layanan")


def info_empty() -> str:
    return _(
        "Maaf, daftar layanan dokumen belum tersedia di sini. Silakan tanyakan ke kantor "
        "kecamatan pada jam kerja, atau ketik *menu*."
    )


def type_info(
    *,
    name: str,
    description: str,
    requirements: list[str],
    fee: str,
    target_days: int,
    delivery: bool,
) -> str:
    lines = [f"*{name}*"]
    if description:
        lines.append(description)
    if requirements:
        lines.append(_("Persyaratan (bawa yang asli):"))
        lines.extend(f"• {item}" for item in requirements)
    if fee:
        lines.append(_("Biaya: %(fee)s") % {"fee": fee})
    lines.append(_("Lama proses: sekitar %(n)d hari kerja") % {"n": target_days})
    lines.append(
        _("Bisa diantar ke rumah setelah terbit.")
        if delivery
        else _("Diambil di kantor setelah terbit (tidak diantar).")
    )
    lines.append(
        _(
            "Daftar lebih dulu lewat WhatsApp: tekan *Daftar* atau ketik *daftar dokumen*, "
            "lalu bawa persyaratannya ke kantor kecamatan."
        )
    )
    return "\n".join(lines)


def type_info_buttons(apply_id: str) -> list[tuple[str, str]]:
    return [(apply_id, _("Daftar")), ("menu:info", _("Layanan lain")), ("proposal:menu", _("Menu"))]


# --- Pre-applying -----------------------------------------------------------------------------


def type_prompt() -> str:
    return _("Dokumen apa yang ingin Anda daftarkan? Pilih dari daftar.")


def type_button() -> str:
    return _("Pilih dokumen")


def name_prompt(document: str) -> str:
    return _("Dokumen: %(document)s. Tulis nama lengkap pemohon sesuai KK.") % {
        "document": document
    }


def name_short() -> str:
    return _("Namanya terlalu singkat. Tulis nama lengkap pemohon sesuai KK, ya.")


def nik_prompt() -> str:
    return _(
        "Tulis NIK pemohon (16 angka, ada di KTP-el atau KK). Bila belum tahu, tekan *Lewati*."
    )


def skip_button() -> str:
    return _("Lewati")


def kelurahan_prompt() -> str:
    return _("Pemohon tinggal di kelurahan mana?")


def kelurahan_button() -> str:
    return _("Pilih kelurahan")


def address_prompt() -> str:
    return _("Tulis alamat pemohon: jalan, nomor rumah, gang atau lingkungan.")


def address_short() -> str:
    return _("Alamatnya terlalu singkat. Tulis nama jalan, nomor rumah dan gangnya, ya.")


def summary(*, document: str, name: str, nik: str, kelurahan: str, address: str) -> str:
    return "\n".join(
        [
            _("Periksa pendaftaran Anda:"),
            _("Dokumen: %(document)s") % {"document": document},
            _("Nama: %(name)s") % {"name": name},
            _("NIK: %(nik)s") % {"nik": nik or _("belum diisi")},
            _("Kelurahan: %(name)s") % {"name": kelurahan},
            _("Alamat: %(address)s") % {"address": address},
            _("Tekan *Kirim* bila sudah benar."),
        ]
    )


def confirm_buttons() -> list[tuple[str, str]]:
    return [("doc:send", _("Kirim")), ("doc:cancel", _("Batal"))]


def submitted_next() -> str:
    return _(
        "Apa selanjutnya? Setelah berkas Anda diterima di loket, petugas memprosesnya; setiap "
        "perkembangan kami kabarkan lewat WhatsApp ini. Cek kapan saja dengan: cek dok <kode>."
    )


# --- Pick-up or delivery ----------------------------------------------------------------------


def address_confirm(*, document: str, code: str, address: str) -> str:
    return _(
        "%(document)s Anda (kode %(code)s) akan diantar ke alamat ini:\n%(address)s\n"
        "Apakah alamatnya benar?"
    ) % {"document": document, "code": code, "address": address}


def address_buttons(code: str) -> list[tuple[str, str]]:
    return [(f"doc:addrok:{code}", _("Alamat benar")), (f"doc:addredit:{code}", _("Ubah alamat"))]


def address_question() -> str:
    return _("Apakah alamat pengantarannya benar? Tekan *Alamat benar* atau *Ubah alamat*.")


def delivery_not_offered(document: str) -> str:
    return _("Maaf, %(document)s tidak dapat diantar. Silakan ambil di kantor kecamatan.") % {
        "document": document
    }


def delivery_address_prompt() -> str:
    return _(
        "Tulis alamat pengantaran lengkap: jalan, nomor rumah, gang atau lingkungan, dan "
        "patokannya."
    )


def day_prompt(address: str) -> str:
    return _(
        "Diantar ke: %(address)s\nPilih hari pengantaran. Kurir datang pada jam kerja; pastikan "
        "ada yang menerima dengan membawa KTP-el."
    ) % {"address": address}


def day_button() -> str:
    return _("Pilih hari")


def no_days() -> str:
    return _(
        "Maaf, belum ada hari pengantaran yang dapat dipilih. Silakan ambil di kantor, atau "
        "coba lagi besok."
    )


def choice_kept_pickup() -> str:
    return _("Pilihan Anda sudah tercatat: dokumen diambil di kantor.")


def choice_kept_delivery(day: str) -> str:
    return _("Pilihan Anda sudah tercatat: dokumen diantar pada %(day)s.") % {"day": day}
