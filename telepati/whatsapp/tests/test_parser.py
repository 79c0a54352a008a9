"""The tolerant webhook parser, over every recorded payload and over arbitrary input."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from telepati.whatsapp.parser import (
    WaContact,
    WaError,
    WaInbound,
    WaLocation,
    WaMedia,
    WaProblem,
    WaStatus,
    WebhookBatch,
    webhook_parse,
)
from telepati.whatsapp.tests.conftest import PAYLOADS, payload_load, payload_names

PNID = "106540352242922"
SITI, SITI_BSUID = "6281234567890", "ID.1358962746384827362"
BUDI, BUDI_BSUID = "6285261234567", "ID.2874619035517738120"
SITI_CONTACT = WaContact(wa_id=SITI, bsuid=SITI_BSUID, name="Siti Aminah", username="")
# Monday 2 November 2026, 10:00 WIB.
T0 = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


def wamid(tag: str) -> str:
    """The wamids of the payload files: a fixed prefix and the base64 of a readable tag."""
    return "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFj" + base64.b64encode(tag.encode()).decode()


OUR = wamid("OUT-0001-BUTTONS")


def only_message(name: str) -> WaInbound:
    batch = webhook_parse(payload_load(name))
    assert batch.problems == ()
    assert batch.statuses == ()
    assert len(batch.messages) == 1
    return batch.messages[0]


def only_status(name: str) -> WaStatus:
    batch = webhook_parse(payload_load(name))
    assert batch.problems == ()
    assert batch.messages == ()
    assert len(batch.statuses) == 1
    return batch.statuses[0]


def test_the_wamid_helper_reproduces_the_payload_files():
    assert wamid("TEXT-0001") == "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjVEVYVC0wMDAx"


@pytest.mark.parametrize("name", payload_names())
def test_every_payload_file_parses_into_a_batch(name):
    batch = webhook_parse(payload_load(name))

    assert isinstance(batch, WebhookBatch)
    assert batch.messages or batch.statuses
    if name != "batch_malformed":
        assert batch.problems == ()


def test_a_text_message():
    message = only_message("text")

    assert message == WaInbound(
        wamid=wamid("TEXT-0001"),
        phone_number_id=PNID,
        from_wa_id=SITI,
        from_bsuid=SITI_BSUID,
        contact=SITI_CONTACT,
        timestamp=T0,
        kind="text",
        text="Selamat pagi, sampah di Jl. Garu II belum diangkut sejak Jumat.",
        reply_id="",
        media=None,
        location=None,
        shared_contacts=(),
        reaction_to=None,
        reaction_emoji=None,
        context_id=None,
        forwarded=False,
        system_type="",
        system_new_wa_id=None,
        system_new_bsuid=None,
        errors=(),
        raw=payload_load("text")["entry"][0]["changes"][0]["value"]["messages"][0],
    )


def test_a_forwarded_text_that_replies_to_our_message():
    message = only_message("text_reply_forwarded")

    assert (message.kind, message.text) == ("text", "cek L2611-0042")
    assert message.context_id == OUR
    assert message.forwarded is True


def test_an_image_with_caption_and_url():
    message = only_message("image")

    assert message.kind == "image"
    assert message.text == "Tumpukan sampah di depan gang"
    assert message.media == WaMedia(
        media_id="1003383421387256",
        mime_type="image/jpeg",
        sha256="Jm5kZ0a9k3FQ2m0Bq7yC6yT8c1eXWnq8o3mQ0rZsdhA=",
        caption="Tumpukan sampah di depan gang",
        filename="",
        url=(
            "https://lookaside.fbsbx.com/whatsapp_business/attachments/"
            "?mid=1003383421387256&ext=1793588400&hash=ATuXk"
        ),
        voice=False,
        animated=False,
    )


def test_a_video_with_caption():
    message = only_message("video")

    assert (message.kind, message.text) == ("video", "Air parit meluap ke jalan")
    assert message.media is not None
    assert (message.media.media_id, message.media.mime_type, message.media.url) == (
        "1184632265931276",
        "video/mp4",
        "",
    )


def test_a_document_keeps_its_filename_and_caption():
    message = only_message("document")

    assert message.kind == "document"
    assert message.text == "Surat pengantar RT"
    assert message.media == WaMedia(
        media_id="1588126105436712",
        mime_type="application/pdf",
        sha256="q1lV6uG7T0mC2C8m9m3JmQ2J3wq8x7q0a7H1pVZt2hE=",
        caption="Surat pengantar RT",
        filename="pengantar-rt-05.pdf",
        url="",
        voice=False,
        animated=False,
    )


def test_a_voice_note():
    message = only_message("audio_voice")

    assert (message.kind, message.text) == ("audio", "")
    assert message.media is not None
    assert message.media.media_id == "920163436569875"
    assert message.media.mime_type == "audio/ogg; codecs=opus"
    assert message.media.voice is True


def test_a_sticker():
    message = only_message("sticker")

    assert message.kind == "sticker"
    assert message.media is not None
    assert (message.media.media_id, message.media.mime_type, message.media.animated) == (
        "1305421700454237",
        "image/webp",
        False,
    )


def test_a_named_location_keeps_exact_decimal_coordinates():
    message = only_message("location_named")

    assert (message.kind, message.text) == ("location", "")
    assert message.location == WaLocation(
        latitude=Decimal("3.5331217"),
        longitude=Decimal("98.7138544"),
        name="Masjid Al-Ikhlas",
        address="Jl. Garu II No. 12, Harjosari I, Medan Amplas",
        url="https://maps.google.com/?q=3.5331217,98.7138544",
    )


def test_a_current_location_has_no_name_or_address():
    message = only_message("location_current")

    assert message.location == WaLocation(
        latitude=Decimal("3.5279"), longitude=Decimal("98.71954"), name="", address="", url=""
    )


def test_shared_contacts_are_kept_as_given():
    message = only_message("contacts")

    assert message.kind == "contacts"
    assert message.shared_contacts == (
        {
            "name": {
                "first_name": "Budi",
                "last_name": "Santoso",
                "formatted_name": "Budi Santoso",
            },
            "phones": [{"phone": "+62 852-6123-4567", "wa_id": BUDI, "type": "MOBILE"}],
        },
    )


def test_an_interactive_button_reply():
    message = only_message("interactive_button_reply")

    assert (message.kind, message.text, message.reply_id) == (
        "interactive",
        "Cek status",
        "cek_status:L2611-0042",
    )
    assert message.context_id == OUR


def test_an_interactive_list_reply():
    message = only_message("interactive_list_reply")

    assert (message.kind, message.text, message.reply_id) == (
        "interactive",
        "Sampah",
        "kategori:sampah",
    )
    assert message.context_id == wamid("OUT-0002-LIST")


def test_a_template_quick_reply_button():
    message = only_message("template_button")

    assert (message.kind, message.text, message.reply_id) == (
        "button",
        "Cek status",
        "cek_status:L2611-0042",
    )
    assert message.context_id == wamid("OUT-0003-TEMPLATE")


def test_a_reaction_added():
    message = only_message("reaction_added")

    assert (message.kind, message.reaction_to, message.reaction_emoji) == ("reaction", OUR, "👍")


def test_a_reaction_removed_has_no_emoji():
    message = only_message("reaction_removed")

    assert (message.kind, message.reaction_to, message.reaction_emoji) == ("reaction", OUR, None)


def test_an_unsupported_message_carries_its_error():
    message = only_message("unsupported")

    assert (message.kind, message.text) == ("unsupported", "")
    assert message.errors == (
        WaError(
            code=131051,
            title="Message type unknown",
            message="Message type unknown",
            details="Message type is currently not supported.",
        ),
    )


def test_a_number_change_system_message():
    message = only_message("system_user_changed_number")

    assert message.kind == "system"
    assert message.system_type == "user_changed_number"
    assert message.system_new_wa_id == "6281377778888"
    assert message.system_new_bsuid == "ID.9023746519283746501"
    assert (message.from_wa_id, message.from_bsuid) == (SITI, SITI_BSUID)
    assert message.text == (
        "Siti Aminah changed their phone number to a new number +62 813-7777-8888"
    )


def test_message_level_errors():
    message = only_message("message_errors")

    assert (message.kind, message.text) == ("unknown", "")
    assert message.errors == (
        WaError(
            code=131052,
            title="Media download error",
            message="Media download error",
            details="Unable to download the media sent by the user.",
        ),
    )


def test_value_level_errors_are_collected_beside_the_message():
    batch = webhook_parse(payload_load("value_errors"))

    assert [m.reply_id for m in batch.messages] == ["batal:L2611-0042"]
    assert batch.value_errors == (
        WaError(
            code=131000,
            title="Something went wrong",
            message="Something went wrong",
            details="Something went wrong while processing the update.",
        ),
    )
    assert batch.problems == ()


def test_an_unknown_message_type_keeps_its_raw_type_and_is_no_problem():
    message = only_message("unknown_type")

    assert (message.kind, message.text, message.reply_id) == ("poll", "", "")
    assert message.raw["poll"] == {"question": "Jadwal gotong royong?"}


def test_a_sender_known_only_by_bsuid():
    message = only_message("bsuid_only")

    assert (message.from_wa_id, message.from_bsuid) == (None, BUDI_BSUID)
    assert message.contact == WaContact(
        wa_id=None, bsuid=BUDI_BSUID, name="Budi", username="@budi.amplas"
    )
    assert message.text == "Halo, saya mau lapor lampu jalan mati."


def test_a_sent_status_with_pricing_and_callback_data():
    status = only_status("status_sent")

    assert status == WaStatus(
        wamid=wamid("OUT-0010"),
        status="sent",
        timestamp=T0 + timedelta(seconds=60),
        recipient_wa_id=SITI,
        recipient_bsuid=SITI_BSUID,
        errors=(),
        pricing_category="service",
        callback_data="outbox:17",
        raw=payload_load("status_sent")["entry"][0]["changes"][0]["value"]["statuses"][0],
    )


def test_delivered_and_read_statuses():
    delivered, read = only_status("status_delivered"), only_status("status_read")

    assert (delivered.status, delivered.timestamp, delivered.pricing_category) == (
        "delivered",
        T0 + timedelta(seconds=62),
        "",
    )
    assert (read.status, read.timestamp, read.wamid) == (
        "read",
        T0 + timedelta(seconds=300),
        wamid("OUT-0010"),
    )


def test_a_failed_status_without_contacts_keeps_its_error():
    status = only_status("status_failed")

    assert (status.wamid, status.status, status.timestamp) == (
        wamid("OUT-0011"),
        "failed",
        T0 + timedelta(seconds=90),
    )
    assert (status.recipient_wa_id, status.recipient_bsuid) == (SITI, None)
    assert status.errors == (
        WaError(
            code=131047,
            title="Re-engagement message",
            message="Re-engagement message",
            details=(
                "Message failed to send because more than 24 hours have passed since the "
                "customer last replied to this number."
            ),
        ),
    )


def test_a_batch_of_two_entries_with_two_changes_each_keeps_every_update_in_order():
    batch = webhook_parse(payload_load("batch_2x2"))

    assert [
        (m.wamid, m.kind, m.from_wa_id, m.contact and m.contact.name) for m in batch.messages
    ] == [
        (wamid("BATCH-0001"), "text", SITI, "Siti Aminah"),
        (wamid("BATCH-0002"), "text", SITI, "Siti Aminah"),
        (wamid("BATCH-0003"), "image", SITI, "Siti Aminah"),
        (wamid("BATCH-0004"), "text", BUDI, "Budi Santoso"),
        (wamid("BATCH-0005"), "location", BUDI, "Budi Santoso"),
        (wamid("BATCH-0006"), "interactive", SITI, "Siti Aminah"),
        (wamid("BATCH-0007"), "reaction", SITI, "Siti Aminah"),
    ]
    assert [m.timestamp for m in batch.messages] == [
        T0 + timedelta(seconds=s) for s in (1, 2, 3, 4, 5, 8, 9)
    ]
    assert [(s.wamid, s.status) for s in batch.statuses] == [
        (wamid("OUT-0020"), "sent"),
        (wamid("OUT-0020"), "delivered"),
    ]
    assert batch.problems == ()


def test_a_malformed_part_is_a_problem_and_the_rest_of_the_batch_survives():
    payload = payload_load("batch_malformed")
    batch = webhook_parse(payload)
    value = payload["entry"][0]["changes"][0]["value"]

    assert [m.text for m in batch.messages] == ["Sebelum yang rusak", "Sesudah yang rusak"]
    assert [s.wamid for s in batch.statuses] == [wamid("OUT-0030")]
    assert batch.problems == (
        WaProblem(
            "entry[0].changes[0].value.messages[1]", "message without id", value["messages"][1]
        ),
        WaProblem(
            "entry[0].changes[0].value.messages[2]",
            "latitude is not a number: 'utara'",
            value["messages"][2],
        ),
        WaProblem(
            "entry[0].changes[0].value.messages[3]", "message is not an object", "bukan objek"
        ),
        WaProblem("entry[0].changes[1].value", "value is not an object", "rusak"),
        WaProblem(
            "entry[0].changes[2].value.statuses[1]",
            "timestamp is not Unix seconds: 'kemarin'",
            payload["entry"][0]["changes"][2]["value"]["statuses"][1],
        ),
        WaProblem(
            "entry[0].changes[2].value.statuses[2]",
            "unknown status 'deleted'",
            payload["entry"][0]["changes"][2]["value"]["statuses"][2],
        ),
    )


def test_timestamps_are_aware_utc_datetimes():
    message = only_message("text")

    assert message.timestamp.tzinfo is UTC
    assert message.timestamp.isoformat() == "2026-11-02T03:00:00+00:00"


def test_raw_json_bytes_are_parsed_too():
    raw = (PAYLOADS / "text.json").read_bytes()

    assert webhook_parse(raw).messages[0].wamid == wamid("TEXT-0001")


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        (
            b"[1,",
            WaProblem(
                "",
                "not JSON: Expecting value: line 1 column 4 (char 3)",
                None,
            ),
        ),
        ([], WaProblem("", "payload is not an object", [])),
        (
            {"object": "page", "entry": []},
            WaProblem("object", "not a WhatsApp Business Account webhook: 'page'", "page"),
        ),
        ({"object": "whatsapp_business_account"}, WaProblem("entry", "entry is not a list", None)),
        (
            {"entry": [{"id": "1"}]},
            WaProblem("entry[0]", "entry without a list of changes", {"id": "1"}),
        ),
        (
            {"entry": [{"changes": [{"field": "account_update", "value": {}}]}]},
            WaProblem(
                "entry[0].changes[0]",
                "unsupported field 'account_update'",
                {"field": "account_update", "value": {}},
            ),
        ),
        (
            {"entry": [{"changes": [{"field": "messages", "value": {"messages": {"id": "x"}}}]}]},
            WaProblem("entry[0].changes[0].value.messages", "not a list", {"id": "x"}),
        ),
    ],
)
def test_a_payload_that_is_not_a_messages_webhook_is_one_problem(payload, problem):
    assert webhook_parse(payload) == WebhookBatch(problems=(problem,))


def message_batch(message, contacts=None):
    value = {"metadata": {"phone_number_id": PNID}, "messages": [message]}
    if contacts is not None:
        value["contacts"] = contacts
    return webhook_parse({"entry": [{"changes": [{"field": "messages", "value": value}]}]})


BASE = {
    "from": SITI,
    "id": "wamid.X",
    "timestamp": "1793588400",
    "type": "text",
    "text": {"body": "x"},
}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": None}, "message without id"),
        ({"id": ""}, "message without id"),
        ({"id": 42}, "message without id"),
        ({"type": None}, "message without type"),
        ({"timestamp": "1793588400.5"}, "timestamp is not Unix seconds: '1793588400.5'"),
        ({"timestamp": True}, "timestamp is not Unix seconds: True"),
        ({"timestamp": "9" * 30}, "timestamp out of range: '" + "9" * 30 + "'"),
        ({"text": {}}, "text message without text.body"),
        ({"type": "image", "image": {"caption": "x"}}, "image message without image.id"),
        ({"type": "location", "location": None}, "location message without location"),
        (
            {"type": "location", "location": {"latitude": 91, "longitude": 98}},
            "latitude out of range: 91",
        ),
        (
            {"type": "location", "location": {"latitude": 3.5, "longitude": "NaN"}},
            "longitude out of range: 'NaN'",
        ),
        (
            {"type": "location", "location": {"latitude": True, "longitude": 9}},
            "latitude is not a number: True",
        ),
        ({"type": "reaction", "reaction": {"emoji": "👍"}}, "reaction without reaction.message_id"),
    ],
)
def test_a_malformed_message_becomes_a_problem(change, reason):
    message = {**BASE, **change}

    batch = message_batch(message)

    assert batch.messages == ()
    assert batch.problems == (WaProblem("entry[0].changes[0].value.messages[0]", reason, message),)


def test_a_timestamp_may_be_a_json_number():
    assert message_batch({**BASE, "timestamp": 1793588400}).messages[0].timestamp == T0


def test_coordinates_given_as_strings_are_read_exactly():
    location = {"latitude": "3.53312170", "longitude": "98.7138544"}
    message = message_batch({**BASE, "type": "location", "location": location}).messages[0]

    assert message.location is not None
    assert (message.location.latitude, message.location.longitude) == (
        Decimal("3.53312170"),
        Decimal("98.7138544"),
    )


def test_the_contact_is_matched_by_bsuid_when_the_number_is_missing():
    budi = {"profile": {"name": "Budi"}, "user_id": BUDI_BSUID}
    siti = {"profile": {"name": "Siti Aminah"}, "wa_id": SITI, "user_id": SITI_BSUID}
    message = {**BASE, "from": None, "from_user_id": BUDI_BSUID}

    parsed = message_batch(message, contacts=[siti, budi]).messages[0]

    assert parsed.contact == WaContact(wa_id=None, bsuid=BUDI_BSUID, name="Budi", username="")


def test_the_contact_fills_in_the_bsuid_missing_from_the_message():
    siti = {"profile": {"name": "Siti Aminah"}, "wa_id": SITI, "user_id": SITI_BSUID}

    parsed = message_batch(BASE, contacts=[siti]).messages[0]

    assert (parsed.from_wa_id, parsed.from_bsuid) == (SITI, SITI_BSUID)


def test_a_message_without_any_identity_takes_the_only_contact_of_its_value():
    siti = {"profile": {"name": "Siti Aminah"}, "wa_id": SITI}
    message = {k: v for k, v in BASE.items() if k != "from"}

    parsed = message_batch(message, contacts=[siti]).messages[0]

    assert (parsed.from_wa_id, parsed.contact) == (SITI, WaContact(SITI, None, "Siti Aminah", ""))


def test_a_message_of_someone_else_gets_no_contact():
    budi = {"profile": {"name": "Budi"}, "wa_id": BUDI}

    parsed = message_batch(BASE, contacts=[budi]).messages[0]

    assert (parsed.from_wa_id, parsed.from_bsuid, parsed.contact) == (SITI, None, None)


def test_a_contact_without_identity_is_a_problem_but_the_message_stays():
    batch = message_batch(BASE, contacts=[{"profile": {"name": "?"}}])

    assert [m.wamid for m in batch.messages] == ["wamid.X"]
    assert batch.problems == (
        WaProblem(
            "entry[0].changes[0].value.contacts[0]",
            "contact has neither wa_id nor user_id",
            {"profile": {"name": "?"}},
        ),
    )


def test_an_interactive_reply_of_an_unknown_kind_has_no_text():
    interactive = {"type": "nfm_reply", "nfm_reply": {"response_json": "{}", "name": "flow"}}

    parsed = message_batch({**BASE, "type": "interactive", "interactive": interactive}).messages[0]

    assert (parsed.kind, parsed.text, parsed.reply_id) == ("interactive", "", "")


# --- Never raises -------------------------------------------------------------------------

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=40,
)
keys = st.sampled_from(
    [
        "id",
        "type",
        "from",
        "from_user_id",
        "timestamp",
        "text",
        "body",
        "image",
        "location",
        "latitude",
        "longitude",
        "interactive",
        "button_reply",
        "reaction",
        "message_id",
        "system",
        "context",
        "errors",
        "code",
        "status",
        "contacts",
        "wa_id",
        "user_id",
        "profile",
        "messages",
        "statuses",
        "metadata",
        "phone_number_id",
        "pricing",
    ]
)
shaped = st.recursive(
    st.none() | st.integers() | st.floats() | st.text(max_size=12) | st.just("1793588400"),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=6),
    max_leaves=60,
)


@settings(max_examples=300, deadline=None)
@given(json_like)
def test_arbitrary_json_never_raises(payload):
    assert isinstance(webhook_parse(payload), WebhookBatch)


@settings(max_examples=300, deadline=None)
@given(st.lists(shaped, max_size=4), st.lists(shaped, max_size=3), st.lists(shaped, max_size=3))
def test_arbitrary_parts_inside_a_real_envelope_never_raise(messages, statuses, contacts):
    value = {
        "metadata": {"phone_number_id": PNID},
        "messages": messages,
        "statuses": statuses,
        "contacts": contacts,
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"field": "messages", "value": value}]}],
    }

    batch = webhook_parse(payload)

    assert isinstance(batch, WebhookBatch)
    assert len(batch.messages) + len(batch.statuses) <= len(messages) + len(statuses)
