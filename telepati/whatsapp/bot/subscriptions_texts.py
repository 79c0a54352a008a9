"""Every text the bot says about announcement subscriptions, in Bahasa Indonesia (gettext).

Titles of buttons and list rows stay within WhatsApp's limits (buttons 20 characters, rows
24, descriptions 72). Call inside `resident_language()`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def topic_prompt(current: str) -> str:
    text = _(
        "Pilih topik pengumuman kecamatan yang ingin Anda terima lewat WhatsApp. Kami hanya "
        "mengirim topik yang Anda pilih; ketik *berhenti* kapan saja untuk berhenti."
    )
    if current:
        text += "\n" + _("Langganan Anda sekarang: %(topics)s.") % {"topics": current}
    return text


def topic_button() -> str:
    return _("Pilih topik")


def topic_all_row() -> tuple[str, str]:
    return _("Semua topik"), _("Terima semua pengumuman kecamatan")


def kelurahan_prompt() -> str:
    return _(
        "Pengumuman untuk kelurahan mana? Pilih *Semua kelurahan* untuk pengumuman di seluruh "
        "kecamatan."
    )


def kelurahan_button() -> str:
    return _("Pilih kelurahan")


def kelurahan_all_row() -> tuple[str, str]:
    return _("Semua kelurahan"), _("Pengumuman untuk seluruh kecamatan")


def subscribed(*, topics: str, place: str) -> str:
    return _(
        "Terima kasih, Anda berlangganan pengumuman: %(topics)s (%(place)s). Ketik *berhenti* "
        "kapan saja untuk berhenti, atau *berhenti* diikuti nama topik untuk satu topik saja."
    ) % {"topics": topics, "place": place}


def all_kelurahan() -> str:
    return _("semua kelurahan")


def stop_confirm(topics: str) -> str:
    return _("Berhenti menerima semua pengumuman kecamatan (%(topics)s)?") % {"topics": topics}


def stop_yes_button() -> str:
    return _("Ya, berhenti")


def stop_no_button() -> str:
    return _("Tidak")


def stopped_all() -> str:
    return _(
        "Baik, Anda tidak akan menerima pengumuman lagi. Ketik *langganan* bila ingin "
        "berlangganan kembali."
    )


def stopped_topic(topics: str) -> str:
    return _("Baik, Anda berhenti menerima pengumuman %(topics)s.") % {"topics": topics}


def kept() -> str:
    return _("Baik, langganan pengumuman Anda tetap aktif.")


def not_subscribed() -> str:
    return _("Anda tidak sedang berlangganan pengumuman. Ketik *langganan* untuk memilih topik.")


def not_subscribed_topic(topic: str) -> str:
    return _("Anda tidak berlangganan pengumuman %(topic)s.") % {"topic": topic}


def topic_unknown(topics: str) -> str:
    return _(
        "Topik itu tidak kami kenal. Topik yang ada: %(topics)s. Contoh: *berhenti banjir*."
    ) % {"topics": topics}


def no_topics() -> str:
    return _("Maaf, belum ada topik pengumuman yang dapat dipilih.")


def failed(reason: str) -> str:
    return _("Maaf, langganan belum dapat diubah: %(reason)s") % {"reason": reason}
