"""The WhatsApp simulator: Meta-shaped signed webhooks, the conversation view, simulated media."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.checks import Error
from django.urls import reverse

from telepati.messaging.models import MessageStatus, OutboundMessage
from telepati.whatsapp import simulator
from telepati.whatsapp.client import GraphClient
from telepati.whatsapp.errors import WhatsAppPermanentError
from telepati.whatsapp.models import WebhookDelivery
from telepati.whatsapp.parser import webhook_parse
from telepati.whatsapp.signature import signature_header, signature_valid
from telepati.whatsapp.simulator_payloads import SimResident, media_sha256, payload_body

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"
WA_ID = "6281234567890"
NAME = "Siti Aminah"
OTHER_PHONE = "+6281298765432"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def simulator_on(settings, tmp_path):
    settings.TELEPATI_SIMULATOR_ENABLED = True
    settings.PRODUCTION = False
    settings.VAR_DIR = tmp_path
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_APP_SECRET = "telepati-dev-app-secret"
    return settings


def send(client, **data):
    return client.post(
        reverse("simulator:send"),
        {"phone": PHONE, "name": NAME, **data},
        HTTP_HX_REQUEST="true",
    )


def posted():
    """The one delivery the webhook view stored, parsed back by the real parser."""
    delivery = WebhookDelivery.objects.get()
    return delivery, webhook_parse(json.loads(delivery.body))


def outbound(phone=PHONE, **fields):
    defaults = {"dedupe_key": f"test:{phone}:{OutboundMessage.objects.count()}", "text": "Halo"}
    return OutboundMessage.objects.create(recipient_phone=phone, **{**defaults, **fields})


# --- Enabled only outside production ------------------------------------------------------


def test_page_renders_a_phone_chat_when_enabled(client):
    response = client.get(reverse("simulator:page"), {"phone": "0812-3456-7890", "name": NAME})

    assert response.status_code == 200
    assert 'id="thread"' in response.content.decode()
    assert "+6281234567890" in response.content.decode()


@pytest.mark.parametrize("name", ["page", "thread"])
def test_pages_are_not_found_when_disabled(client, settings, name):
    settings.TELEPATI_SIMULATOR_ENABLED = False

    assert client.get(reverse(f"simulator:{name}"), {"phone": PHONE}).status_code == 404


def test_sending_is_not_found_when_disabled_and_posts_nothing(client, settings):
    settings.TELEPATI_SIMULATOR_ENABLED = False

    assert send(client, action="text", body="halo").status_code == 404
    assert WebhookDelivery.objects.count() == 0


def test_production_never_serves_the_simulator_even_when_asked(client, settings):
    settings.PRODUCTION = True

    assert client.get(reverse("simulator:page")).status_code == 404


def test_system_check_refuses_the_simulator_in_production(settings):
    settings.PRODUCTION = True

    messages = simulator.check_simulator_off_in_production()

    assert [(type(m), m.id) for m in messages] == [(Error, "whatsapp.E101")]


def test_system_check_is_quiet_in_development():
    assert simulator.check_simulator_off_in_production() == []


def test_production_settings_refuse_the_simulator_at_check_time():
    env = {
        "TELEPATI_ENV": "production",
        "SECRET_KEY": "p9F-" + "x7Kq2mZ" * 9,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "telepati.example.org",
        "TELEPATI_SIMULATOR_ENABLED": "true",
        "DATABASE_URL": "sqlite:///:memory:",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "whatsapp.E101" in result.stderr


def test_development_defaults_point_media_lookups_at_the_simulator():
    code = "import config.settings as s; print(s.TELEPATI_SIMULATOR_ENABLED, s.WHATSAPP_GRAPH_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"TELEPATI_ENV": "development", "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "True http://127.0.0.1:8000/simulator/graph"


# --- Each action posts what Meta would post -------------------------------------------------


def test_text_round_trips_through_the_real_parser(client):
    assert send(client, action="text", body="Sampah menumpuk di Jl. Garu II").status_code == 200

    _delivery, batch = posted()
    (message,) = batch.messages
    assert batch.problems == ()
    assert (message.kind, message.text, message.from_wa_id) == (
        "text",
        "Sampah menumpuk di Jl. Garu II",
        WA_ID,
    )
    assert message.contact is not None
    assert message.contact.name == NAME
    assert message.wamid.startswith("wamid.")
    assert message.phone_number_id == "100000000000002"


def test_envelope_has_every_part_meta_sends(client):
    send(client, action="text", body="halo")

    payload = json.loads(WebhookDelivery.objects.get().body)
    value = payload["entry"][0]["changes"][0]["value"]
    assert payload["object"] == "whatsapp_business_account"
    assert payload["entry"][0]["changes"][0]["field"] == "messages"
    assert set(value) == {"messaging_product", "metadata", "contacts", "messages"}
    assert value["contacts"][0]["wa_id"] == WA_ID
    assert value["contacts"][0]["user_id"].startswith("ID.")
    assert value["messages"][0]["timestamp"].isdigit()


def test_every_message_gets_a_fresh_wamid(client):
    send(client, action="text", body="satu")
    send(client, action="text", body="dua")

    bodies = [json.loads(d.body) for d in WebhookDelivery.objects.all()]
    wamids = {b["entry"][0]["changes"][0]["value"]["messages"][0]["id"] for b in bodies}
    assert len(wamids) == 2


def test_tapped_button_round_trips_with_its_id_title_and_context(client):
    send(client, action="button", reply_id="menu:lapor", title="Buat laporan", context_id="sim.7")

    _delivery, batch = posted()
    (message,) = batch.messages
    assert (message.kind, message.reply_id, message.text, message.context_id) == (
        "interactive",
        "menu:lapor",
        "Buat laporan",
        "sim.7",
    )
    assert message.raw["interactive"]["type"] == "button_reply"


def test_tapped_list_row_round_trips_as_a_list_reply(client):
    send(
        client,
        action="list",
        reply_id="kategori:sampah",
        title="Sampah",
        description="Sampah tidak diangkut",
        context_id="sim.8",
    )

    _delivery, batch = posted()
    (message,) = batch.messages
    assert (message.kind, message.reply_id, message.text, message.context_id) == (
        "interactive",
        "kategori:sampah",
        "Sampah",
        "sim.8",
    )
    assert message.raw["interactive"]["list_reply"]["description"] == "Sampah tidak diangkut"


def test_preset_pin_round_trips_with_name_and_address(client):
    send(client, action="preset")

    _delivery, batch = posted()
    (message,) = batch.messages
    assert message.kind == "location"
    assert message.location is not None
    assert (message.location.latitude, message.location.longitude) == (
        Decimal("3.5331217"),
        Decimal("98.7138544"),
    )
    assert (message.location.name, message.location.address) == (
        "Jl. Garu II",
        "Jl. Garu II No. 12, Harjosari I, Medan Amplas",
    )


def test_typed_coordinates_are_a_current_location_share_without_name(client):
    send(client, action="location", latitude="3.54", longitude="98.72")

    _delivery, batch = posted()
    (message,) = batch.messages
    assert message.location is not None
    assert (message.location.latitude, message.location.name, message.location.address) == (
        Decimal("3.54"),
        "",
        "",
    )


def test_bad_coordinates_post_nothing_and_say_why(client):
    response = send(client, action="location", latitude="utara", longitude="98.72")

    assert "Lintang dan bujur harus berupa angka." in response.content.decode()
    assert WebhookDelivery.objects.count() == 0


def test_photo_round_trips_as_an_image_with_a_media_id_and_meta_s_hash(client):
    photo = io.BytesIO(PNG)
    photo.name = "sampah.png"

    send(client, action="photo", photo=photo, caption="Tumpukan sampah")

    _delivery, batch = posted()
    (message,) = batch.messages
    assert message.kind == "image"
    assert message.media is not None
    assert (message.media.mime_type, message.media.sha256, message.text) == (
        "image/png",
        media_sha256(PNG),
        "Tumpukan sampah",
    )
    assert message.media.media_id.isdigit()


def test_mark_read_posts_read_statuses_for_this_resident_s_sent_messages_only(client):
    mine = outbound(status=MessageStatus.SENT, provider_message_id="sim.1")
    outbound(status=MessageStatus.READ, provider_message_id="sim.2")
    outbound(phone=OTHER_PHONE, status=MessageStatus.SENT, provider_message_id="sim.3")

    send(client, action="read")

    _delivery, batch = posted()
    assert [(s.wamid, s.status, s.recipient_wa_id) for s in batch.statuses] == [
        (mine.provider_message_id, "read", WA_ID)
    ]


def test_mark_delivered_without_sent_messages_posts_nothing(client):
    response = send(client, action="delivered")

    assert "Tidak ada pesan keluar yang bisa ditandai." in response.content.decode()
    assert WebhookDelivery.objects.count() == 0


# --- Signature ------------------------------------------------------------------------------


def test_the_stored_delivery_carries_a_valid_signature(client, settings):
    send(client, action="text", body="halo")

    delivery = WebhookDelivery.objects.get()
    header = {k.lower(): v for k, v in delivery.headers.items()}.get("x-hub-signature-256")
    assert header is not None
    assert signature_valid(
        body=delivery.body.encode(), header=header, app_secret=settings.WHATSAPP_APP_SECRET
    )


def test_the_real_view_rejects_a_tampered_body(client, settings):
    resident = SimResident(wa_id=WA_ID, name=NAME)
    body = payload_body(simulator.build.text_payload(resident=resident, body="halo"))
    header = signature_header(body=body, app_secret=settings.WHATSAPP_APP_SECRET)

    response = client.post(
        reverse("whatsapp:webhook"),
        body.replace(b"halo", b"hola"),
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=header,
    )

    assert response.status_code == 403
    assert WebhookDelivery.objects.count() == 0


def test_a_wrong_app_secret_makes_the_real_view_refuse_the_simulator(client, settings):
    settings.WHATSAPP_APP_SECRET = "another-secret"
    resident = SimResident(wa_id=WA_ID, name=NAME)
    payload = simulator.build.text_payload(resident=resident, body="halo")
    settings.WHATSAPP_APP_SECRET = "telepati-dev-app-secret"

    # Sign with one secret, verify with another: the same path the simulator uses.
    body = payload_body(payload)
    header = signature_header(body=body, app_secret="another-secret")
    response = client.post(
        reverse("whatsapp:webhook"),
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=header,
    )

    assert response.status_code == 403


def test_simulator_post_and_meta_style_post_store_the_same_bytes(client, settings):
    resident = SimResident(wa_id=WA_ID, name=NAME)
    payload = simulator.build.text_payload(resident=resident, body="halo")

    assert simulator.webhook_post(payload) == 200

    assert WebhookDelivery.objects.get().body.encode() == payload_body(payload)


# --- The conversation -------------------------------------------------------------------------


def test_thread_shows_this_phone_s_outbound_messages_and_never_another_s(client):
    outbound(text="Laporan Anda L2611-0001 sudah diterima.", status=MessageStatus.DELIVERED)
    outbound(phone=OTHER_PHONE, text="Pesan untuk warga lain")

    response = client.get(reverse("simulator:thread"), {"phone": PHONE})

    content = response.content.decode()
    assert "Laporan Anda L2611-0001 sudah diterima." in content
    assert "tick-delivered" in content
    assert "Pesan untuk warga lain" not in content


def test_thread_renders_buttons_with_their_ids(client):
    outbound(
        text="Pilih layanan",
        provider_message_id="sim.11",
        status=MessageStatus.SENT,
        interactive={
            "type": "buttons",
            "buttons": [["menu:lapor", "Buat laporan"], ["menu:cek", "Cek status"]],
            "header": "",
            "footer": "",
        },
    )

    content = client.get(reverse("simulator:thread"), {"phone": PHONE}).content.decode()

    assert 'data-reply-id="menu:lapor"' in content
    assert 'data-reply-id="menu:cek"' in content
    assert 'name="context_id" value="sim.11"' in content


def test_thread_renders_list_rows_with_their_ids_and_descriptions(client):
    outbound(
        text="Pilih kategori",
        interactive={
            "type": "list",
            "button": "Kategori",
            "sections": [["Lingkungan", [["kategori:sampah", "Sampah", "Tidak diangkut"]]]],
            "header": "",
            "footer": "",
        },
    )

    content = client.get(reverse("simulator:thread"), {"phone": PHONE}).content.decode()

    assert "Kategori" in content
    assert 'data-reply-id="kategori:sampah"' in content
    assert "Tidak diangkut" in content


def test_thread_tolerates_malformed_interactive_json(client):
    outbound(text="Rusak", interactive={"type": "list", "sections": [["x", [["only-id"]]], 5]})

    assert client.get(reverse("simulator:thread"), {"phone": PHONE}).status_code == 200


def test_resident_message_shows_as_pending_until_the_worker_processes_it(client):
    send(client, action="text", body="Apakah kantor buka hari Sabtu?")

    content = client.get(reverse("simulator:thread"), {"phone": PHONE}).content.decode()

    assert "Apakah kantor buka hari Sabtu?" in content
    assert "tick-pending" in content


def test_polling_answers_no_content_when_nothing_changed(client):
    outbound(text="Halo")
    first = client.get(reverse("simulator:thread"), {"phone": PHONE})
    version = first.content.decode().split('name="v" value="')[1].split('"')[0]

    again = client.get(reverse("simulator:thread"), {"phone": PHONE, "v": version})

    assert again.status_code == 204


def test_a_processed_message_and_the_reply_appear_in_the_thread(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, action="text", body="halo")

    content = client.get(reverse("simulator:thread"), {"phone": PHONE}).content.decode()
    assert "halo" in content
    assert "tick-received" in content
    assert OutboundMessage.objects.filter(recipient_phone=PHONE).exists()
    assert 'class="bubble theirs' in content


def test_without_htmx_a_send_redirects_back_to_the_page(client):
    response = client.post(
        reverse("simulator:send"), {"phone": PHONE, "name": NAME, "action": "text", "body": "a"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("simulator:page"))


# --- Simulated Graph media --------------------------------------------------------------------


def test_media_lookup_and_download_work_with_the_bearer(client, settings):
    media_id, sha256 = simulator.media_store(content=PNG, mime_type="image/png")
    auth = {"HTTP_AUTHORIZATION": "Bearer "}

    info = client.get(f"/simulator/graph/v25.0/{media_id}", {"phone_number_id": "1"}, **auth)
    assert info.status_code == 200
    assert {k: v for k, v in info.json().items() if k != "url"} == {
        "messaging_product": "whatsapp",
        "id": media_id,
        "mime_type": "image/png",
        "sha256": sha256,
        "file_size": len(PNG),
    }
    download = client.get(info.json()["url"], **auth)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG


def test_media_lookup_and_download_refuse_without_the_bearer(client):
    media_id, _sha = simulator.media_store(content=PNG, mime_type="image/png")

    info = client.get(f"/simulator/graph/v25.0/{media_id}")
    download = client.get(reverse("simulator:graph_media_download", args=[media_id]))

    assert (info.status_code, info.json()["error"]["code"]) == (401, 190)
    assert download.status_code == 401


def test_media_refuses_a_wrong_token(client, settings):
    settings.WHATSAPP_ACCESS_TOKEN = "right"
    media_id, _sha = simulator.media_store(content=PNG, mime_type="image/png")

    response = client.get(f"/simulator/graph/v25.0/{media_id}", HTTP_AUTHORIZATION="Bearer wrong")

    assert response.status_code == 401


def test_unknown_media_id_is_a_graph_not_found(client):
    response = client.get("/simulator/graph/v25.0/123456", HTTP_AUTHORIZATION="Bearer ")

    assert (response.status_code, response.json()["error"]["code"]) == (404, 100)


def test_the_real_graph_client_downloads_from_the_simulator(live_server, settings):
    media_id, _sha = simulator.media_store(content=PNG, mime_type="image/png")
    base = f"{live_server.url}/simulator/graph"

    with GraphClient(
        base_url=base, api_version="v25.0", phone_number_id="1", access_token=""
    ) as graph:
        info = graph.media_url(media_id=media_id)
        content = graph.media_download(url=info.url, max_bytes=1024)

    assert (info.mime_type, info.file_size, content) == ("image/png", len(PNG), PNG)


def test_the_real_graph_client_gets_a_permanent_error_for_a_wrong_token(live_server, settings):
    settings.WHATSAPP_ACCESS_TOKEN = "right"
    media_id, _sha = simulator.media_store(content=PNG, mime_type="image/png")

    with (
        GraphClient(
            base_url=f"{live_server.url}/simulator/graph",
            api_version="v25.0",
            phone_number_id="1",
            access_token="wrong",
        ) as graph,
        pytest.raises(WhatsAppPermanentError),
    ):
        graph.media_url(media_id=media_id)
