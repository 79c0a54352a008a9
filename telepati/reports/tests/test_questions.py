"""Category questions: answers checked by type, choices and need; stored with the report."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from telepati.core.errors import InvalidInput
from telepati.reports.models import Category, CategoryQuestion, Channel, Report
from telepati.reports.questions import answers_clean
from telepati.reports.services.reference import category_seed

CHOICES = [{"key": "a", "name": "A"}, {"key": "b", "name": "B"}, {"key": "c", "name": "C"}]


def q(code: str, datatype: str, *, required: bool = False, variable: bool = True):
    values = CHOICES if datatype.endswith("list") else []
    return SimpleNamespace(
        code=code, datatype=datatype, required=required, variable=variable, values=values
    )


QUESTIONS = [
    q("jumlah", "number", required=True),
    q("waktu", "datetime"),
    q("patokan", "string"),
    q("catatan", "text"),
    q("satu", "singlevaluelist"),
    q("banyak", "multivaluelist"),
    q("info", "text", variable=False),
]


def test_answers_of_every_datatype_are_stored_in_their_clean_form():
    clean = answers_clean(
        questions=QUESTIONS,
        answers={
            "jumlah": " 3 ",
            "waktu": "2026-11-02T10:00:00",
            "patokan": "Masjid Al-Ikhlas",
            "catatan": "Baris satu\nbaris dua",
            "satu": "b",
            "banyak": ["c", "a", "c", ""],
        },
    )

    assert clean == {
        "jumlah": 3,
        "waktu": "2026-11-02T10:00:00+07:00",
        "patokan": "Masjid Al-Ikhlas",
        "catatan": "Baris satu\nbaris dua",
        "satu": "b",
        "banyak": ["c", "a"],
    }


@pytest.mark.parametrize(
    ("value", "stored"), [("2.5", 2.5), (7, 7), ("-1", -1), ("1e3", 1000), ("0.10", 0.1)]
)
def test_numbers_are_ints_when_whole(value, stored):
    assert answers_clean(questions=QUESTIONS, answers={"jumlah": value}) == {"jumlah": stored}


def test_a_utc_time_keeps_its_offset():
    clean = answers_clean(
        questions=QUESTIONS, answers={"jumlah": 1, "waktu": "2026-11-02T03:00:00Z"}
    )

    assert clean["waktu"] == "2026-11-02T03:00:00+00:00"


def test_every_wrong_answer_is_reported_at_once_by_code():
    with pytest.raises(InvalidInput) as refused:
        answers_clean(
            questions=QUESTIONS,
            answers={
                "jumlah": "tiga",
                "waktu": "kemarin sore",
                "patokan": "dua\nbaris",
                "catatan": "x" * 4001,
                "satu": "z",
                "banyak": ["a", "z"],
                "info": "jawaban",
                "lain": "?",
            },
        )

    assert refused.value.field_errors == {
        "info": ["Pertanyaan ini tidak ada untuk kategori yang dipilih."],
        "lain": ["Pertanyaan ini tidak ada untuk kategori yang dipilih."],
        "jumlah": ["Isi dengan angka."],
        "waktu": ["Isi tanggal dan jam, mis. 2026-11-02T10:00:00+07:00."],
        "patokan": ["Isi satu baris teks, paling banyak 255 karakter."],
        "catatan": ["Isi teks paling banyak 4000 karakter."],
        "satu": ["Pilih dari: a, b, c."],
        "banyak": ["Pilih dari: a, b, c."],
    }


@pytest.mark.parametrize("value", [None, "", "  ", [], [""], "NaN", "Infinity", True, ["1", "2"]])
def test_a_required_number_needs_one_real_number(value):
    with pytest.raises(InvalidInput) as refused:
        answers_clean(questions=QUESTIONS, answers={"jumlah": value})

    assert list(refused.value.field_errors) == ["jumlah"]


def test_required_questions_are_only_enforced_when_the_door_asked_them():
    assert answers_clean(questions=QUESTIONS, answers={}, require=False) == {}
    with pytest.raises(InvalidInput) as refused:
        answers_clean(questions=QUESTIONS, answers={})
    assert refused.value.field_errors == {"jumlah": ["Pertanyaan ini wajib dijawab."]}


# --- At intake ------------------------------------------------------------------------


@pytest.fixture
def volume(sanitation) -> CategoryQuestion:
    return CategoryQuestion.objects.create(
        category=sanitation,
        code="volume",
        datatype="singlevaluelist",
        required=True,
        description="Seberapa banyak?",
        values=[{"key": "sedikit", "name": "Sedikit"}, {"key": "banyak", "name": "Banyak"}],
    )


def test_a_report_keeps_its_answers(submit, volume):
    report = submit(answers={"volume": "banyak"}, channel=Channel.API, questions_asked=True)

    report.refresh_from_db()
    assert report.answers == {"volume": "banyak"}


def test_a_door_that_never_asks_the_questions_is_not_held_up_by_them(submit, volume):
    report = submit()

    assert report.answers == {}


def test_wrong_answers_refuse_the_report_and_change_nothing(submit, volume):
    with pytest.raises(InvalidInput) as refused:
        submit(answers={"volume": "segunung"}, questions_asked=True)

    assert refused.value.field_errors == {"answers.volume": ["Pilih dari: sedikit, banyak."]}
    assert Report.objects.count() == 0
    with pytest.raises(InvalidInput) as refused:
        submit(questions_asked=True)
    assert refused.value.field_errors == {"answers.volume": ["Pertanyaan ini wajib dijawab."]}
    assert Report.objects.count() == 0


def test_list_questions_need_distinct_choices():
    question = CategoryQuestion(
        code="x", datatype="multivaluelist", description="?", values=[{"key": "a"}]
    )
    with pytest.raises(ValidationError) as refused:
        question.clean()
    assert list(refused.value.message_dict) == ["values"]

    question.values = [{"key": "a", "name": "A"}, {"key": "a", "name": "A lagi"}]
    with pytest.raises(ValidationError):
        question.clean()

    question.datatype, question.values = "string", [{"key": "a", "name": "A"}]
    with pytest.raises(ValidationError):
        question.clean()


# --- Seeding ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_seeding_adds_the_questions_of_the_data_file_once():
    category_seed()
    category_seed()

    assert sorted(CategoryQuestion.objects.values_list("category__code", "code", "datatype")) == [
        ("banjir-drainase", "mulai-tergenang", "datetime"),
        ("banjir-drainase", "tinggi-genangan", "singlevaluelist"),
        ("jalan-infrastruktur", "keselamatan", "text"),
        ("jalan-infrastruktur", "keterangan-lokasi", "string"),
        ("jalan-infrastruktur", "ukuran-kerusakan", "singlevaluelist"),
        ("kebersihan-sampah", "jenis-sampah", "multivaluelist"),
        ("kebersihan-sampah", "lama-menumpuk", "number"),
        ("penerangan-jalan", "nomor-tiang", "string"),
    ]
    assert not CategoryQuestion.objects.filter(required=True).exists()


@pytest.mark.django_db
def test_seeding_adds_missing_questions_to_existing_categories_without_overwriting():
    category_seed()
    CategoryQuestion.objects.filter(code="nomor-tiang").update(description="Nomor tiang?")
    CategoryQuestion.objects.filter(code="lama-menumpuk").delete()

    category_seed()

    assert CategoryQuestion.objects.get(code="nomor-tiang").description == "Nomor tiang?"
    assert CategoryQuestion.objects.filter(code="lama-menumpuk").count() == 1
    assert Category.objects.count() == 10


def test_the_category_page_edits_its_questions_inline(client, superuser, volume):
    client.force_login(superuser)

    page = client.get(reverse("admin:reports_category_change", args=[volume.category_id]))

    assert page.status_code == 200
    assert "Seberapa banyak?" in page.content.decode()
