"""WhatsApp conversations in the back-office: who may open them, the inbox, the thread with
delivery states, and the operator's take-over, reply and release through the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from telepati.backoffice.tests.test_units_support import page_queries
from telepati.citizens.models import Citizen
from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.whatsapp.models import Conversation, InboundMessage
from telepati.whatsapp.tests.test_bot_support import (  # noqa: F401
    Phone,
    bot_setup,
    categories,
)

pytestmark = pytest.mark.usefixtures("bot_setup", "categories")

LIST = reverse("backoffice:conversations")


def page(name: str, conversation: Conversation) -> str:
    return reverse(f"backoffice:{name}", kwargs={"conversation_id": conversation.pk})


@pytest.fixture
def phone(client, django_capture_on_commit_callbacks) -> Phone:
    return Phone(client, django_capture_on_commit_callbacks)


@pytest.fixture
def handed_over(phone) -> Conversation:
    """Siti greets the bot, then asks for an officer."""
    phone.text("halo")
    phone.text("petugas")
    conversation = Conversation.objects.get()
    assert conversation.handed_over_at is not None
    return conversation


def other_resident(index: int, *, handed_over: bool = False) -> Conversation:
    moment = timezone.now() - timedelta(minutes=index)
    citizen = Citizen.objects.create(name=f"Warga {index}", phone=f"+62812000{index:05d}")
    return Conversation.objects.create(
        citizen=citizen,
        wa_id=f"62812000{index:05d}",
        profile_name=f"Warga {index}",
        last_inbound_at=moment,
        handed_over_at=moment if handed_over else None,
    )


# --- Who may open the pages -----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("desk_operator", 200),
        ("administrator", 200),
        ("superuser", 200),
        ("camat", 403),
        ("lurah", 403),
        ("agency_liaison", 403),
        ("section_staff", 403),
        ("kelurahan_staff", 403),
        ("courier", 403),
        ("outsider", 403),
    ],
)
def test_only_the_wa_center_desk_of_the_line_opens_the_conversations(
    client, request, handed_over, persona, status
):
    client.force_login(request.getfixturevalue(persona))

    listing = client.get(LIST)
    detail = client.get(page("conversation_detail", handed_over))

    assert listing.status_code == status
    assert detail.status_code == (200 if status == 200 else 403 if persona != "outsider" else 404)
    if status != 200:
        assert "Siti Aminah" not in listing.content.decode() + detail.content.decode()


def test_the_outsider_cannot_take_over_a_conversation_of_another_kecamatan(
    client, outsider, handed_over
):
    client.force_login(outsider)

    response = client.post(page("conversation_take", handed_over))

    assert response.status_code == 404
    handed_over.refresh_from_db()
    assert handed_over.handed_over_to is None


# --- The inbox ------------------------------------------------------------------------


def test_handed_over_conversations_come_first_oldest_first_with_the_masked_number(
    client, desk_operator, handed_over
):
    older = other_resident(90, handed_over=True)
    other_resident(1)
    client.force_login(desk_operator)

    content = client.get(LIST).content.decode()

    waiting, recent = content.split("Percakapan terbaru dengan bot")
    assert waiting.index("Warga 90") < waiting.index("Siti Aminah")
    assert "Warga 1<" in recent
    assert "Siti Aminah" not in recent
    assert "+62 ••• •••• 7890" in waiting
    assert "6281234567890" not in content
    assert "Belum ada petugas" in waiting
    assert "menunggu 1\xa0jam, 30\xa0menit" in waiting
    assert older.profile_name in waiting


def test_the_inbox_takes_the_same_queries_for_10_or_1000_conversations(client, desk_operator):
    def residents(start: int, stop: int) -> None:
        for index in range(start, stop):
            other_resident(index, handed_over=index % 10 == 0)

    residents(0, 10)
    client.force_login(desk_operator)
    few = page_queries(client, LIST)
    residents(10, 1000)

    many = page_queries(client, LIST)

    # user, scope, the line's kecamatan, the waiting ones, a page of recent ones
    assert (len(few), len(many)) == (5, 5)


# --- The thread -----------------------------------------------------------------------


def test_the_thread_shows_both_sides_in_order_with_delivery_states(
    client, desk_operator, handed_over
):
    replies = list(OutboundMessage.objects.order_by("pk"))
    OutboundMessage.objects.filter(pk=replies[0].pk).update(status=MessageStatus.READ)
    OutboundMessage.objects.filter(pk=replies[-1].pk).update(
        status=MessageStatus.FAILED,
        last_error="Pesan di luar jendela 24 jam",
        last_error_code="131047",
    )
    client.force_login(desk_operator)

    content = client.get(page("conversation_detail", handed_over)).content.decode()
    thread = content.split('id="thread"')[1]

    assert thread.index(">halo<") < thread.index(replies[0].text[:30]) < thread.index(">petugas<")
    assert ">Dibaca</span>" in content
    assert ">Gagal</span>" in content
    assert "Alasan gagal: Pesan di luar jendela 24 jam (131047)" in content
    assert 'hx-trigger="every 10s"' in content


def test_a_stored_photo_shows_as_a_thumbnail(client, desk_operator, handed_over):
    from django.core.files.base import ContentFile

    message = InboundMessage.objects.filter(conversation=handed_over).earliest("sent_at")
    message.media_status = "stored"
    message.media_mime = "image/jpeg"
    message.media_file.save("foto.jpg", ContentFile(b"\xff\xd8fake"), save=True)
    client.force_login(desk_operator)

    content = client.get(page("conversation_detail", handed_over)).content.decode()

    assert f'<img src="{message.media_file.url}" alt="Foto dari warga"' in content


def test_the_polling_fragment_returns_the_thread_only(client, desk_operator, handed_over):
    client.force_login(desk_operator)

    response = client.get(page("conversation_thread", handed_over), headers={"HX-Request": "true"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "petugas" in content


def test_the_thread_pages_the_latest_50_with_older_ones_on_request(
    client, desk_operator, handed_over
):
    start = timezone.now() - timedelta(hours=3)
    InboundMessage.objects.bulk_create(
        InboundMessage(
            wamid=f"wamid.old.{i}",
            conversation=handed_over,
            kind="text",
            text=f"pesan lama {i:03d}",
            sent_at=start + timedelta(seconds=i),
        )
        for i in range(120)
    )
    client.force_login(desk_operator)

    latest = client.get(page("conversation_detail", handed_over))
    older = client.get(
        page("conversation_detail", handed_over),
        {"sebelum": latest.context["thread"].older_cursor},
    )

    newest_items = latest.context["thread"].items
    older_items = older.context["thread"].items
    assert (len(newest_items), len(older_items)) == (50, 50)
    assert older_items[-1].key() < newest_items[0].key()
    assert "Muat pesan sebelumnya" in latest.content.decode()
    assert 'hx-trigger="every 10s"' not in older.content.decode()


def test_the_page_takes_the_same_queries_for_10_or_1000_messages(
    client, desk_operator, handed_over
):
    def messages(start: int, stop: int) -> None:
        moment = timezone.now() - timedelta(hours=2)
        InboundMessage.objects.bulk_create(
            InboundMessage(
                wamid=f"wamid.bulk.{i}",
                conversation=handed_over,
                kind="text",
                text=f"pesan {i}",
                sent_at=moment + timedelta(seconds=i),
            )
            for i in range(start, stop)
        )
        OutboundMessage.objects.bulk_create(
            OutboundMessage(
                dedupe_key=f"bulk:{i}", recipient_phone="+6281234567890", text=f"jawaban {i}"
            )
            for i in range(start, stop)
        )

    messages(0, 10)
    client.force_login(desk_operator)
    url = page("conversation_detail", handed_over)
    few = page_queries(client, url)
    messages(10, 1000)

    many = page_queries(client, url)

    # user, scope, line's kecamatan, conversation, inbound page, outbound page, reports
    assert (len(few), len(many)) == (7, 7)


# --- Take over, reply, release --------------------------------------------------------


def test_the_operator_takes_over_replies_and_gives_back_to_the_bot(
    client, desk_operator, handed_over, phone
):
    client.force_login(desk_operator)

    taken = client.post(page("conversation_take", handed_over), follow=True)
    assert "Percakapan Anda ambil alih; bot tidak membalas warga ini." in taken.content.decode()
    assert "Kirim balasan" in taken.content.decode()
    key = taken.context["form"].initial["client_key"]

    text = "Selamat siang Bu Siti, sampahnya kami teruskan ke DLH hari ini."
    replied = client.post(
        page("conversation_reply", handed_over), {"text": text, "client_key": key}, follow=True
    )
    client.post(page("conversation_reply", handed_over), {"text": text, "client_key": key})

    assert "Balasan masuk antrean kirim." in replied.content.decode()
    sent = OutboundMessage.objects.filter(reference=f"conversation:{handed_over.pk}")
    assert [(m.text, m.recipient_phone) for m in sent] == [(text, "+6281234567890")]
    assert ">Antre</span>" in replied.content.decode()

    released = client.post(page("conversation_release", handed_over), follow=True)
    assert "Percakapan dikembalikan ke bot." in released.content.decode()
    handed_over.refresh_from_db()
    assert (handed_over.handed_over_at, handed_over.handed_over_to) == (None, None)
    assert phone.text("menu") != []


def test_an_empty_reply_is_refused_and_nothing_is_queued(client, desk_operator, handed_over):
    client.force_login(desk_operator)
    client.post(page("conversation_take", handed_over))
    before = OutboundMessage.objects.count()

    response = client.post(
        page("conversation_reply", handed_over), {"text": "  ", "client_key": "k1"}
    )

    assert response.status_code == 400
    assert response.content.decode().count("Tulis balasan untuk warga.") == 2
    assert OutboundMessage.objects.count() == before


def test_a_too_long_reply_is_refused_and_the_text_is_kept(client, desk_operator, handed_over):
    client.force_login(desk_operator)
    client.post(page("conversation_take", handed_over))
    before = OutboundMessage.objects.count()
    text = "a" * 4097

    response = client.post(
        page("conversation_reply", handed_over), {"text": text, "client_key": "k2"}
    )

    assert response.status_code == 400
    assert "Balasan terlalu panjang (maksimal 4096 karakter)." in response.content.decode()
    assert f"\n{text}</textarea>" in response.content.decode()
    assert OutboundMessage.objects.count() == before


def test_a_reply_after_the_24_hour_window_is_refused_with_the_reason(
    client, desk_operator, handed_over
):
    client.force_login(desk_operator)
    client.post(page("conversation_take", handed_over))
    Conversation.objects.filter(pk=handed_over.pk).update(
        last_inbound_at=timezone.now() - timedelta(hours=25)
    )
    before = OutboundMessage.objects.count()

    response = client.post(
        page("conversation_reply", handed_over), {"text": "Halo Bu", "client_key": "k3"}
    )

    assert response.status_code == 409
    assert "Jendela 24 jam WhatsApp sudah tertutup" in response.content.decode()
    assert "\nHalo Bu</textarea>" in response.content.decode()
    assert OutboundMessage.objects.count() == before


def test_releasing_a_conversation_the_bot_already_has_says_so(client, desk_operator, phone):
    phone.text("halo")
    conversation = Conversation.objects.get()
    client.force_login(desk_operator)

    response = client.post(page("conversation_release", conversation))

    assert response.status_code == 409
    assert "Percakapan ini sedang ditangani bot." in response.content.decode()
