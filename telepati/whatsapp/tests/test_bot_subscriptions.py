"""Announcement subscriptions over WhatsApp: langganan, berhenti, stop (Meta's opt-out)."""

from __future__ import annotations

import pytest

from telepati.announcements.models import Subscription
from telepati.citizens.models import Citizen
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.tests.test_bot_support import (  # noqa: F401
    Phone,
    bot_setup,
    categories,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(client, django_capture_on_commit_callbacks, bot_setup, categories):  # noqa: F811
    return Phone(client, django_capture_on_commit_callbacks)


def _active() -> set[tuple[str, str | None]]:
    return set(
        Subscription.objects.filter(is_active=True).values_list("topic__code", "kelurahan__name")
    )


def _state() -> str:
    return Conversation.objects.get().bot_state


def test_langganan_lists_the_topics_then_the_kelurahan_and_subscribes(phone, harjosari_i):
    replies = phone.text("Langganan")

    ((text, interactive),) = replies
    assert text.startswith("Pilih topik pengumuman kecamatan yang ingin Anda terima")
    rows = interactive["sections"][0][1]
    assert [row[0] for row in rows] == [
        "sub:t:jadwal-vaksinasi",
        "sub:t:info-banjir-drainase",
        "sub:t:pelatihan-umkm",
        "sub:t:pengumuman-umum",
        "sub:t:*",
    ]
    ((text, interactive),) = phone.choose("sub:t:info-banjir-drainase")
    assert [row[0] for row in interactive["sections"][0][1]][:1] == ["sub:k:*"]
    assert f"sub:k:{harjosari_i.pk}" in [row[0] for row in interactive["sections"][0][1]]

    ((text, _),) = phone.choose(f"sub:k:{harjosari_i.pk}")

    assert text.startswith(
        "Terima kasih, Anda berlangganan pengumuman: Info banjir & drainase (Harjosari I)."
    )
    assert _active() == {("info-banjir-drainase", "Harjosari I")}
    row = Subscription.objects.get()
    assert (row.citizen.phone, row.source, row.kecamatan.code) == (
        "+6281234567890",
        "whatsapp",
        "medan-amplas",
    )
    assert _state() == ""


def test_typed_answers_work_as_well_as_taps(phone):
    phone.text("langganan")
    phone.text("banjir")
    ((text, _),) = phone.text("semua kelurahan")

    assert "(semua kelurahan)" in text
    assert _active() == {("info-banjir-drainase", None)}


def test_langganan_semua_subscribes_to_every_topic_for_the_whole_kecamatan(phone):
    ((text, _),) = phone.text("langganan semua")

    assert text.startswith(
        "Terima kasih, Anda berlangganan pengumuman: Jadwal vaksinasi, Info banjir & drainase, "
        "Pelatihan UMKM, Pengumuman umum (semua kelurahan)."
    )
    assert len(_active()) == 4


@pytest.mark.parametrize("word", ["berhenti", "STOP", "Stop!"])
def test_berhenti_and_stop_ask_to_confirm_and_then_stop_everything(phone, word):
    phone.text("langganan semua")

    ((text, interactive),) = phone.text(word)
    assert text == (
        "Berhenti menerima semua pengumuman kecamatan (Jadwal vaksinasi, Info banjir & "
        "drainase, Pelatihan UMKM, Pengumuman umum)?"
    )
    assert [b[0] for b in interactive["buttons"]] == ["sub:stop:yes", "sub:stop:no"]
    assert len(_active()) == 4  # nothing stops before the answer

    ((text, _),) = phone.choose("sub:stop:yes", "Ya, berhenti")

    assert text.startswith("Baik, Anda tidak akan menerima pengumuman lagi.")
    assert _active() == set()
    assert Subscription.objects.filter(opted_out_at__isnull=False).count() == 4


def test_answering_no_keeps_the_subscriptions(phone):
    phone.text("langganan semua")
    phone.text("berhenti")

    ((text, _),) = phone.text("tidak")

    assert text == "Baik, langganan pengumuman Anda tetap aktif."
    assert len(_active()) == 4


def test_berhenti_with_a_topic_stops_only_that_topic_at_once(phone):
    phone.text("langganan semua")

    ((text, _),) = phone.text("berhenti umkm")

    assert text == "Baik, Anda berhenti menerima pengumuman Pelatihan UMKM."
    assert {code for code, _ in _active()} == {
        "jadwal-vaksinasi",
        "info-banjir-drainase",
        "pengumuman-umum",
    }


def test_an_unknown_topic_lists_the_topics(phone):
    ((text, _),) = phone.text("berhenti sepakbola")

    assert text == (
        "Topik itu tidak kami kenal. Topik yang ada: Jadwal vaksinasi, Info banjir & drainase, "
        "Pelatihan UMKM, Pengumuman umum. Contoh: *berhenti banjir*."
    )


def test_stop_without_subscriptions_says_so_and_stop_in_a_flow_cancels_it(phone):
    ((text, _),) = phone.text("stop")
    assert text == (
        "Anda tidak sedang berlangganan pengumuman. Ketik *langganan* untuk memilih topik."
    )

    phone.choose("menu:report")
    ((text, _),) = phone.text("stop")

    assert text == "Baik, dibatalkan. Ketik *menu* untuk melihat layanan."
    assert _state() == ""


def test_subscribing_again_reactivates_the_same_row(phone):
    phone.text("langganan semua")
    phone.text("berhenti")
    phone.text("ya")

    phone.text("langganan semua")

    assert Subscription.objects.count() == 4
    assert len(_active()) == 4
    assert Citizen.objects.count() == 1
