"""Filing a complaint through the bot, end to end through the signed webhook."""

from __future__ import annotations

import pytest

from telepati.reports.models import Category, Report
from telepati.whatsapp.models import Conversation
from telepati.whatsapp.tests.test_bot_support import (  # noqa: F401
    Phone,
    bot_setup,
    categories,
)

pytestmark = pytest.mark.usefixtures("bot_setup", "categories")

CATEGORY_LIST = (
    "Pilih kategori masalah yang ingin Anda laporkan.",
    {
        "type": "list",
        "button": "Pilih kategori",
        "sections": [
            [
                "",
                [
                    ["cat:kebersihan", "Kebersihan & sampah", "Sampah tidak diangkut, TPS liar"],
                    ["cat:banjir-drainase", "Banjir & drainase", "Parit tersumbat, genangan"],
                    ["cat:jalan", "Jalan rusak", "Jalan berlubang, trotoar rusak"],
                ],
            ]
        ],
        "header": "",
        "footer": "",
    },
)
CONTINUE = {"type": "buttons", "buttons": [["photos:done", "Lanjut"]], "header": "", "footer": ""}
PHOTOS_PROMPT = (
    "Ada foto masalahnya? Kirim foto (boleh lebih dari satu), atau tekan *Lanjut* bila tidak ada.",
    CONTINUE,
)
LOCATION_PROMPT = (
    "Di mana lokasinya? Bagikan lokasi (📎 lalu *Lokasi*), atau ketik alamatnya, misalnya: "
    "Jl. Garu II gang Mawar.",
    None,
)
CONFIRM = {
    "type": "buttons",
    "buttons": [["confirm:send", "Kirim"], ["confirm:edit", "Ubah"], ["confirm:cancel", "Batal"]],
    "header": "",
    "footer": "",
}
NEXT = (
    "Apa selanjutnya? Petugas memeriksa laporan Anda, lalu meneruskannya ke unit yang "
    "berwenang. Setiap perkembangan kami kabarkan lewat WhatsApp ini."
)
DESCRIPTION = "Sampah menumpuk di depan gang Mawar sudah tiga hari."


@pytest.fixture
def phone(client, django_capture_on_commit_callbacks) -> Phone:
    return Phone(client, django_capture_on_commit_callbacks)


def test_a_complaint_filed_from_the_menu_with_a_typed_address(db, phone, harjosari_i, sitirejo_ii):
    assert phone.choose("menu:report") == [CATEGORY_LIST]
    assert phone.choose("cat:kebersihan") == [
        (
            "Kategori: Kebersihan & sampah. Ceritakan masalahnya: apa yang terjadi, sejak kapan, "
            "dan di mana (minimal 10 huruf).",
            None,
        )
    ]
    assert phone.text("sampah") == [
        ("Uraiannya terlalu singkat. Ceritakan masalahnya minimal 10 huruf, ya.", None)
    ]
    assert phone.text(DESCRIPTION) == [PHOTOS_PROMPT]
    assert phone.text("lanjut") == [LOCATION_PROMPT]
    assert phone.text("Jl. Garu II, gang Mawar") == [
        (
            "Lokasi itu masuk kelurahan mana?",
            {
                "type": "list",
                "button": "Pilih kelurahan",
                "sections": [
                    [
                        "",
                        [
                            [f"kel:{harjosari_i.pk}", "Harjosari I", ""],
                            [f"kel:{sitirejo_ii.pk}", "Sitirejo II", ""],
                        ],
                    ]
                ],
                "header": "",
                "footer": "",
            },
        )
    ]
    assert phone.choose(f"kel:{harjosari_i.pk}", "Harjosari I") == [
        (
            "Periksa laporan Anda:\n"
            "Kategori: Kebersihan & sampah\n"
            f"Uraian: {DESCRIPTION}\n"
            "Foto: 0\n"
            "Lokasi: Jl. Garu II, gang Mawar\n"
            "Kelurahan: Harjosari I\n"
            "Tekan *Kirim* bila sudah benar.",
            CONFIRM,
        )
    ]
    confirm = phone.payload(
        {
            "type": "interactive",
            "interactive": {
                "type": "button_reply",
                "button_reply": {"id": "confirm:send", "title": "Kirim"},
            },
        }
    )
    replies = phone.post(confirm)

    report = Report.objects.get()
    assert replies[0][0].startswith(
        f"Terima kasih, laporan Anda sudah kami terima dengan nomor {report.tracking_number} "
        "(kategori: Kebersihan & sampah)."
    )
    assert replies[1:] == [(NEXT, None)]
    assert report.channel == "whatsapp"
    assert report.submission_key == f"wa:{phone.last_wamid}"
    assert report.description == DESCRIPTION
    assert report.kelurahan == harjosari_i
    assert report.address == "Jl. Garu II, gang Mawar"
    assert report.reporter == Conversation.objects.get().citizen
    assert (report.reporter.phone, report.reporter.name) == ("+6281234567890", "Siti Aminah")
    assert Conversation.objects.get().bot_state == ""

    assert phone.post(confirm) == []  # Meta redelivers the confirming message
    assert Report.objects.count() == 1


def test_a_shared_location_pin_completes_the_location(db, phone, harjosari_i):
    phone.choose("menu:report")
    phone.choose("cat:banjir-drainase")
    phone.text("Parit tersumbat, air meluap ke jalan setiap hujan.")
    phone.choose("photos:done")

    [(summary, buttons)] = phone.location(
        latitude=3.5331217,
        longitude=98.7138544,
        name="Masjid Al-Ikhlas",
        address="Jl. Garu II No. 12",
    )

    assert summary.splitlines()[4] == "Lokasi: titik peta (Masjid Al-Ikhlas), Jl. Garu II No. 12"
    assert buttons == CONFIRM
    phone.choose("confirm:send")
    report = Report.objects.get()
    assert (str(report.latitude), str(report.longitude)) == ("3.533122", "98.713854")
    assert report.category.code == "banjir-drainase"
    assert report.kelurahan is None


def test_a_free_form_message_is_offered_as_a_report_with_a_proposed_category(
    db, phone, harjosari_i
):
    text = "Ada sampah menumpuk di depan gang Mawar, baunya sampai ke rumah."

    assert phone.text(text) == [
        (
            "Sepertinya Anda ingin melaporkan masalah *Kebersihan & sampah*. Jadikan pesan ini "
            "laporan?",
            {
                "type": "buttons",
                "buttons": [
                    ["proposal:yes", "Ya, laporkan"],
                    ["proposal:choose", "Pilih kategori"],
                    ["proposal:menu", "Menu"],
                ],
                "header": "",
                "footer": "",
            },
        )
    ]
    # The description is what the resident already wrote: on to the photos.
    assert phone.choose("proposal:yes") == [PHOTOS_PROMPT]
    phone.choose("photos:done")
    phone.location(latitude=3.53, longitude=98.71)
    phone.choose("confirm:send")

    report = Report.objects.get()
    assert report.category.code == "kebersihan"
    assert report.description == text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Parit di depan rumah tersumbat, banjir tiap hujan", "banjir-drainase"),
        ("Jalan berlubang besar di Jl. Pertahanan", "jalan"),
        ("Got mampet dan air tergenang", "banjir-drainase"),
    ],
)
def test_the_proposed_category_follows_the_keywords(db, phone, text, code):
    name = Category.objects.get(code=code).name
    assert phone.text(text)[0][0].startswith(f"Sepertinya Anda ingin melaporkan masalah *{name}*")


def test_choosing_another_category_keeps_the_description(db, phone):
    phone.text("Ada sampah menumpuk di depan gang Mawar.")

    assert phone.choose("proposal:choose") == [CATEGORY_LIST]
    assert phone.choose("cat:jalan") == [PHOTOS_PROMPT]


def test_an_unclear_free_form_message_offers_to_choose_a_category(db, phone):
    assert phone.text("Tolong dibantu ya pak, sudah lama begini") == [
        (
            "Ingin menjadikan pesan ini laporan? Pilih dulu kategorinya.",
            {
                "type": "buttons",
                "buttons": [["proposal:choose", "Pilih kategori"], ["proposal:menu", "Menu"]],
                "header": "",
                "footer": "",
            },
        )
    ]
    assert phone.choose("proposal:menu")[0][1]["button"] == "Pilih layanan"


def test_change_from_the_summary_asks_again_for_that_part_only(db, phone, harjosari_i):
    phone.choose("menu:report")
    phone.choose("cat:kebersihan")
    phone.text(DESCRIPTION)
    phone.choose("photos:done")
    phone.location(latitude=3.53, longitude=98.71)

    [(_text, edit)] = phone.choose("confirm:edit")
    assert [row[0] for row in edit["sections"][0][1]] == [
        "edit:description".replace("description", part)
        for part in ("category", "description", "photos", "location")
    ]
    phone.choose("edit:description")
    [(summary, _buttons)] = phone.text("Sampah di gang Mawar belum diangkut seminggu.")

    assert "Uraian: Sampah di gang Mawar belum diangkut seminggu." in summary
    assert "Lokasi: titik peta" in summary


def test_cancel_button_on_the_summary_files_nothing(db, phone):
    phone.choose("menu:report")
    phone.choose("cat:kebersihan")
    phone.text(DESCRIPTION)
    phone.choose("photos:done")
    phone.text("Jl. Garu II, gang Mawar")
    phone.text("Harjosari I")

    assert phone.choose("confirm:cancel") == [
        ("Baik, dibatalkan. Ketik *menu* untuk melihat layanan.", None)
    ]
    assert Report.objects.count() == 0


def test_more_than_ten_categories_are_paged(db, phone, dlh):
    for n in range(10):
        Category.objects.create(code=f"lain-{n}", name=f"Lain {n}", default_unit=dlh, sort_order=50)

    [(_text, first)] = phone.choose("menu:report")
    rows = first["sections"][0][1]
    assert len(rows) == 10
    assert rows[-1] == ["catpage:1", "Lainnya…", "Lihat pilihan berikutnya"]
    [(_text, second)] = phone.choose("catpage:1")
    assert [row[0] for row in second["sections"][0][1]] == [
        "cat:lain-6",
        "cat:lain-7",
        "cat:lain-8",
        "cat:lain-9",
    ]
    assert phone.choose("cat:lain-8")[0][0].startswith("Kategori: Lain 8.")


def test_an_open_report_nearby_is_mentioned_before_sending(db, phone, harjosari_i):
    phone.choose("menu:report")
    phone.choose("cat:kebersihan")
    phone.text(DESCRIPTION)
    phone.choose("photos:done")
    phone.location(latitude=3.5331, longitude=98.7138)
    phone.choose("confirm:send")
    first = Report.objects.get()

    phone.choose("menu:report")
    phone.choose("cat:kebersihan")
    phone.text("Tumpukan sampah di depan gang Mawar makin tinggi.")
    phone.choose("photos:done")
    replies = phone.location(latitude=3.5332, longitude=98.7139)

    assert replies[1] == (
        f"Catatan: laporan serupa di dekat lokasi ini ({first.tracking_number}) sedang ditangani. "
        "Anda tetap dapat mengirim laporan ini.",
        None,
    )
