"""Demo complaints for Kecamatan Medan Amplas: a few hundred reports in every state.

Every report is made and moved through the real services — `report_submit`, then the desk
(verify, hold, clarify, reject, merge), dispositions (forward, unit updates, completion),
resolution (resolve, dispute, rate, close) and finally the SLA sweep that marks the
breached deadlines — so the demo shows rows the application itself produces.

Time: submissions are spread over the last ~4 months (`submitted_at`). The later services
take no timestamp and stamp their own `now()`, so every step after intake happens at the
moment the loader runs, in the right order. Old reports still waiting for verification are
therefore the breached ones (the sweep marks them); handling-time statistics of demo data
mean nothing until those services accept an `at`.

Deterministic content (`random.Random(2611)`), idempotent (submission keys start with
"demo-"; when one exists the loader does nothing), and quick on SQLite.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from telepati.accounts.models import Membership, User
from telepati.org.models import Kelurahan, Unit
from telepati.org.services import SeedCount
from telepati.reports.duplicates import report_duplicates_suggest
from telepati.reports.lifecycle import Status
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    Category,
    Channel,
    Classification,
    Disposition,
    Report,
)
from telepati.reports.services.common import now
from telepati.reports.services.desk import report_clarify, report_hold, report_reject, report_verify
from telepati.reports.services.dispositions import report_forward
from telepati.reports.services.feedback import report_dispute, report_rate
from telepati.reports.services.intake import ReportDraft, report_submit
from telepati.reports.services.merge import report_merge
from telepati.reports.services.resolution import report_close, report_resolve
from telepati.reports.services.sla import sla_escalate_breaches
from telepati.reports.services.unit_work import disposition_complete, disposition_update

DEMO_KEY_PREFIX = "demo-"
DEMO_REPORT_COUNT = 200
DEMO_SEED = 2611
DEMO_DAYS = 120
DESK_USERNAME = "operator"  # the demo WA Center operator (telepati.demo.loaders)
S = Status

# Kelurahan: approximate centre (lat, lon) and streets residents name.
PLACES: dict[str, tuple[float, float, tuple[str, ...]]] = {
    "medan-amplas--harjosari-i": (3.5450, 98.7080, ("Jl. Garu II", "Jl. Garu VI", "Jl. Tahu")),
    "medan-amplas--harjosari-ii": (3.5400, 98.7020, ("Jl. Bajak II", "Jl. Bajak V", "Jl. Tritura")),
    "medan-amplas--amplas": (3.5360, 98.7180, ("Jl. Panglima Denai", "Jl. Sisingamangaraja")),
    "medan-amplas--bangun-mulia": (3.5320, 98.7240, ("Jl. Sisingamangaraja Km 7",)),
    "medan-amplas--timbang-deli": (3.5430, 98.7230, ("Jl. Pertahanan", "Jl. Panglima Denai")),
    "medan-amplas--sitirejo-ii": (3.5540, 98.7060, ("Jl. Sakti Lubis", "Jl. Selamat")),
    "medan-amplas--sitirejo-iii": (3.5570, 98.7130, ("Jl. Selamat", "Jl. Sisingamangaraja")),
}
SPOTS = ("depan gang Mawar", "dekat masjid", "samping SD negeri", "depan warung", "ujung gang")
# fmt: off
FIRST = ("Siti", "Ahmad", "Rina", "Budi", "Nurhayati", "Hendra", "Dewi", "Rizki", "Sri", "Fauzi",
         "Lestari", "Joko", "Maria", "Yusuf", "Fitri", "Agus", "Lina", "Andi", "Wahyuni", "Daniel")
LAST = ("Siregar", "Nasution", "Lubis", "Harahap", "Simanjuntak", "Sinaga", "Tarigan", "Ginting",
        "Sembiring", "Hasibuan", "Pohan", "Saragih", "Rangkuti", "Purba", "Damanik", "Batubara")
# fmt: on


@dataclass(frozen=True)
class Topic:
    """A realistic complaint of one category: what residents write, what units answer."""

    category: str
    title: str
    description: str
    update: str
    done: str
    classification: Classification = Classification.COMPLAINT


_t = Topic

TOPICS: tuple[Topic, ...] = (
    _t(
        "kebersihan-sampah",
        "Sampah tidak diangkut",
        "Sudah {n} hari sampah di {spot} tidak diangkut, baunya sampai ke rumah warga.",
        "Jadwal angkut sudah dicek; truk DLH dijadwalkan besok pagi.",
        "Sampah sudah diangkut dan lokasi dibersihkan.",
    ),
    _t(
        "kebersihan-sampah",
        "Tumpukan sampah liar",
        "Ada tumpukan sampah liar di {spot}, orang dari luar buang sampah malam hari.",
        "Petugas kebersihan sudah meninjau lokasi.",
        "Tumpukan sudah diangkut dan dipasang papan larangan membuang sampah.",
    ),
    _t(
        "banjir-drainase",
        "Parit tersumbat",
        "Parit di {spot} tersumbat lumpur dan plastik, kalau hujan air naik ke jalan.",
        "Tim UPT sudah meninjau; pengorekan parit dijadwalkan minggu ini.",
        "Parit sudah dikorek dan air kembali mengalir.",
    ),
    _t(
        "banjir-drainase",
        "Inlet jalan tertutup",
        "Inlet air di pinggir jalan {spot} tertutup sampah, tiap hujan jalan tergenang.",
        "Lokasi sudah dicatat untuk pembersihan inlet.",
        "Inlet jalan sudah dibersihkan; genangan surut saat hujan kemarin.",
    ),
    _t(
        "jalan-infrastruktur",
        "Jalan berlubang",
        "Jalan di {spot} berlubang besar dan dalam, sudah ada pengendara motor yang jatuh.",
        "Lokasi sudah disurvei; penambalan masuk jadwal pemeliharaan.",
        "Lubang jalan sudah ditambal dengan aspal.",
    ),
    _t(
        "jalan-infrastruktur",
        "Gang perlu dicor",
        "Gang {spot} becek dan rusak, warga minta dicor atau diaspal.",
        "Usulan pengecoran sudah dicatat untuk musrenbang kelurahan.",
        "Gang sudah dicor sepanjang 80 meter.",
    ),
    _t(
        "penerangan-jalan",
        "Lampu jalan mati",
        "Lampu PJU {spot} mati sudah seminggu, jalan gelap dan rawan begal.",
        "Laporan sudah diteruskan ke regu PJU.",
        "Lampu PJU sudah diganti dan menyala kembali.",
    ),
    _t(
        "kesehatan",
        "Banyak nyamuk, warga kena DBD",
        "Dua anak di sekitar {spot} kena DBD bulan ini, mohon fogging.",
        "Petugas Puskesmas sudah memeriksa jentik di rumah sekitar.",
        "Fogging dan penyuluhan PSN sudah dilakukan bersama kepling.",
    ),
    _t(
        "umkm",
        "Bantuan izin usaha",
        "Saya jualan kue di rumah dekat {spot}, mau urus NIB tapi tidak paham OSS.",
        "Pelapor diundang ke kantor camat untuk pendampingan NIB.",
        "NIB sudah terbit dan pelapor didaftarkan pelatihan pemasaran daring.",
        classification=Classification.ASPIRATION,
    ),
    _t(
        "ketertiban-umum",
        "Musik keras tengah malam",
        "Tiap malam ada musik keras sampai jam 2 di {spot}, anak-anak tidak bisa tidur.",
        "Petugas trantib sudah menegur pemilik tempat.",
        "Pemilik tempat sudah membuat pernyataan tidak memutar musik lewat jam 22.00.",
    ),
    _t(
        "ketertiban-umum",
        "Lapak menutup trotoar",
        "Lapak pedagang di {spot} menutup trotoar, pejalan kaki terpaksa turun ke jalan.",
        "Pedagang sudah diberi surat teguran.",
        "Lapak sudah ditertibkan dan trotoar bisa dilalui.",
    ),
    _t(
        "sosial",
        "Lansia belum dapat bantuan",
        "Tetangga saya lansia tinggal sendiri di {spot}, belum pernah dapat bantuan sosial.",
        "Data sudah dicek di DTKS; kepling akan mengunjungi rumahnya.",
        "Warga sudah diusulkan sebagai penerima bantuan melalui musyawarah kelurahan.",
    ),
    _t(
        "adminduk",
        "KTP-el belum jadi",
        "Saya rekam KTP-el tiga bulan lalu di kantor camat tapi sampai sekarang belum jadi.",
        "Status perekaman sudah dicek ke Disdukcapil.",
        "KTP-el sudah dicetak dan dapat diambil di kantor camat pada jam kerja.",
    ),
    _t(
        "adminduk",
        "Syarat pindah datang",
        "Mau tanya syarat pindah datang dari Deli Serdang ke {spot}, apa saja yang dibawa?",
        "",
        "Syaratnya surat pindah dari daerah asal, KK dan KTP-el asli; layanannya gratis.",
        classification=Classification.INFORMATION,
    ),
    _t(
        "lainnya",
        "Pohon tumbang",
        "Ada pohon besar miring di {spot}, takut tumbang menimpa kabel dan rumah.",
        "Petugas sudah meninjau pohon bersama kepling.",
        "Dahan pohon sudah dipangkas dan aman.",
    ),
)
HOLD_QUESTIONS = (
    "Mohon kirim titik lokasi atau nama gang dan nomor rumah terdekat.",
    "Mohon lampirkan foto kondisi di lokasi.",
)
REJECT_REASONS = (
    "Sengketa batas tanah antarwarga bukan wewenang kecamatan; silakan menempuh mediasi.",
    "Pesan berantai/promosi, bukan pengaduan layanan publik.",
    "Pelapor tidak melengkapi keterangan yang diminta sehingga lokasi tidak dapat dipastikan.",
)
DISPUTES = ("Memang sudah dikerjakan, tapi dua hari kemudian kondisinya kembali seperti semula.",)
COMMENTS = (
    "Cepat ditangani, terima kasih.",
    "Lumayan, tapi agak lama.",
    "Mantap, petugas ramah.",
    "",
)

# (upper bound of age in days, {final state: weight}): young reports are still early on.
_STAGES: tuple[tuple[float, dict[Status, int]], ...] = (
    (2, {S.NEW: 45, S.ON_HOLD: 10, S.VERIFIED: 20, S.FORWARDED: 20, S.REJECTED: 5}),
    (7, {S.NEW: 4, S.ON_HOLD: 6, S.VERIFIED: 8, S.FORWARDED: 20, S.IN_PROGRESS: 30,
         S.RESOLVED: 22, S.REJECTED: 10}),
    (30, {S.FORWARDED: 5, S.IN_PROGRESS: 25, S.RESOLVED: 25, S.CLOSED: 35, S.REJECTED: 10}),
    (DEMO_DAYS + 1, {S.IN_PROGRESS: 6, S.RESOLVED: 4, S.CLOSED: 80, S.REJECTED: 10}),
)  # fmt: skip
# One of each state (and a few overdue ones) whatever the count: (state, age in days).
_FORCED = ((S.NEW, 0.5), (S.ON_HOLD, 1), (S.VERIFIED, 1), (S.FORWARDED, 2), (S.IN_PROGRESS, 5),
           (S.RESOLVED, 6), (S.CLOSED, 20), (S.REJECTED, 8), (S.NEW, 12), (S.ON_HOLD, 16),
           (S.NEW, 40))  # fmt: skip
_CHANNELS = {Channel.WHATSAPP: 60, Channel.WEB: 20, Channel.COUNTER: 10, Channel.PHONE: 7,
             Channel.API: 3}  # fmt: skip


@dataclass
class Plan:
    """One demo report: what the resident submits and how far it gets."""

    key: str
    age: timedelta
    topic: Topic
    kelurahan: str
    address: str
    point: tuple[Decimal, Decimal] | None
    channel: Channel
    name: str
    phone: str
    target: Status
    anonymous: bool = False
    held_first: bool = False
    disputed: bool = False
    rating: int | None = None
    progress_update: bool = True  # the unit posts an update before finishing
    duplicate_of: Plan | None = field(default=None, repr=False)


def _weighted(rng: random.Random, weights: dict[Status, int] | dict[Channel, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def demo_report_plans(*, count: int, rng: random.Random) -> list[Plan]:
    """The reports to make, oldest first: pure, deterministic for a given generator."""
    ages = [(state, timedelta(days=days)) for state, days in _FORCED]
    while len(ages) < count - count // 25:
        # More reports lately (the channel is catching on): ages skewed towards today.
        age = timedelta(minutes=40 + DEMO_DAYS * 24 * 60 * rng.random() ** 1.6)
        weights = next(w for bound, w in _STAGES if age < timedelta(days=bound))
        ages.append((Status(_weighted(rng, weights)), age))
    plans = [_plan(rng, index, state, age) for index, (state, age) in enumerate(ages)]
    survivors = [p for p in plans if p.target in (S.FORWARDED, S.IN_PROGRESS) and p.point]
    survivors = [p for p in survivors if p.age < timedelta(days=25)]
    chosen = rng.sample(survivors, min(len(survivors), count // 25))
    plans += [_duplicate(rng, len(plans) + n, survivor) for n, survivor in enumerate(chosen)]
    return sorted(plans, key=lambda p: (-p.age, p.key))


def _plan(rng: random.Random, index: int, target: Status, age: timedelta) -> Plan:
    topic = rng.choice(TOPICS)
    kelurahan = rng.choice(sorted(PLACES))
    lat, lon, streets = PLACES[kelurahan]
    street = rng.choice(streets)
    point = None
    channel = Channel(_weighted(rng, _CHANNELS))
    if index < len(_CHANNELS):  # the first (forced) plans use every channel once
        channel = list(_CHANNELS)[index]
    if channel in (Channel.WHATSAPP, Channel.API) and rng.random() < 0.7:
        point = (
            _coordinate(lat + rng.uniform(-0.003, 0.003)),
            _coordinate(lon + rng.uniform(-0.003, 0.003)),
        )
    resident = rng.randrange(180)  # residents report more than once
    name = f"{FIRST[resident % len(FIRST)]} {LAST[resident % len(LAST)]}"
    return Plan(
        key=f"{DEMO_KEY_PREFIX}{index:04d}",
        age=age,
        topic=topic,
        kelurahan=kelurahan,
        address=f"{street}, {rng.choice(SPOTS)}",
        point=point,
        channel=channel,
        name=name,
        phone=f"+62812{resident + 1:08d}",  # +62 812 0000 0001 … : fictitious numbers
        target=target,
        anonymous=rng.random() < 0.08,
        held_first=target not in (S.NEW, S.ON_HOLD) and rng.random() < 0.1,
        disputed=target in (S.RESOLVED, S.CLOSED) and rng.random() < 0.08,
        rating=rng.choice((3, 4, 4, 5, 5, 5, 2)) if rng.random() < 0.5 else None,
        progress_update=rng.random() < 0.6,
    )


def _duplicate(rng: random.Random, index: int, survivor: Plan) -> Plan:
    assert survivor.point is not None
    lat, lon = survivor.point
    plan = _plan(rng, index, S.MERGED, survivor.age - survivor.age * rng.uniform(0.1, 0.9))
    plan.topic, plan.kelurahan, plan.address = survivor.topic, survivor.kelurahan, survivor.address
    plan.point = (lat + Decimal("0.000150"), lon - Decimal("0.000100"))  # ~20 m away
    plan.channel, plan.duplicate_of = Channel.WHATSAPP, survivor
    return plan


# --- Making the reports through the services --------------------------------------------


@dataclass
class Cast:
    """Who acts: the desk operator, and the first working member of each unit."""

    desk: User
    members: dict[int, User]

    def for_unit(self, unit_id: int) -> User:
        return self.members.get(unit_id, self.desk)  # the desk acts for units without one


def _cast() -> Cast:
    members: dict[int, User] = {}
    rows = Membership.objects.filter(
        is_active=True, user__is_active=True, role__in=["staff", "liaison"]
    ).select_related("user")
    for membership in rows.order_by("pk"):
        members.setdefault(membership.unit_id, membership.user)
    return Cast(desk=User.objects.get(username=DESK_USERNAME), members=members)


@transaction.atomic
def demo_reports_seed(*, count: int | None = None) -> SeedCount:
    """Make the demo reports unless some exist already; `count` defaults to DEMO_REPORT_COUNT."""
    seeded = SeedCount(_("Laporan demo"))
    existing = Report.objects.filter(submission_key__startswith=DEMO_KEY_PREFIX).count()
    if existing:
        seeded.existing = existing
    else:
        seeded.created = len(demo_reports_build(count=count or DEMO_REPORT_COUNT))
    return seeded


def demo_reports_build(*, count: int) -> list[Report]:
    """Submit and move the planned reports; returns them in submission order."""
    rng = random.Random(DEMO_SEED)  # noqa: S311 - demo content, not security
    plans = demo_report_plans(count=count, rng=rng)
    cast = _cast()
    kelurahan = dict(Kelurahan.objects.filter(code__in=PLACES).values_list("code", "pk"))
    start = now()
    made = [(plan, _submit(plan, start=start, kelurahan=kelurahan, cast=cast)) for plan in plans]
    for plan, report in made:
        if plan.target != S.MERGED:
            _advance(plan, report, cast=cast, rng=rng)
    for plan, report in made:
        if plan.target == S.MERGED:
            _merge(report, cast=cast)
    sla_escalate_breaches()
    return [report for _plan, report in made]


def _submit(plan: Plan, *, start: datetime, kelurahan: dict[str, int], cast: Cast) -> Report:
    at_counter = plan.channel in (Channel.COUNTER, Channel.PHONE)
    return report_submit(
        draft=ReportDraft(
            category_code=plan.topic.category,
            title=plan.topic.title,
            description=plan.topic.description.format(n=3, spot=plan.address.split(", ")[-1]),
            channel=plan.channel,
            classification=plan.topic.classification,
            kelurahan_id=kelurahan[plan.kelurahan],
            latitude=plan.point[0] if plan.point else None,
            longitude=plan.point[1] if plan.point else None,
            address=plan.address,
            reporter_name=plan.name,
            reporter_phone=plan.phone,
            is_anonymous=plan.anonymous,
            submitted_at=start - plan.age,
            submission_key=plan.key,
        ),
        entered_by=cast.desk if at_counter else None,
    )


def _units(report: Report) -> list[int]:
    category: Category = report.category
    unit = category.default_unit
    if (unit is None or not unit.is_active) and report.kelurahan_id is not None:
        unit = Unit.objects.filter(kelurahan_id=report.kelurahan_id, is_active=True).first()
    return [unit.pk] if unit is not None else []


def _advance(plan: Plan, report: Report, *, cast: Cast, rng: random.Random) -> None:
    """Take one report to its planned state, one service call per step."""
    desk, pk, target = cast.desk, report.pk, plan.target
    if target == S.NEW:
        return
    if plan.held_first or target == S.ON_HOLD:
        report_hold(user=desk, report_id=pk, question=rng.choice(HOLD_QUESTIONS))
        if target == S.ON_HOLD:
            return
        if target != S.REJECTED:
            answer = f"Lokasinya di {plan.address}."
            if report.reporter is not None:
                report_clarify(report_id=pk, message=answer, citizen=report.reporter)
            else:
                report_clarify(report_id=pk, message=answer, user=desk)
    if target == S.REJECTED:
        report_reject(user=desk, report_id=pk, reason=rng.choice(REJECT_REASONS))
        return
    report_verify(user=desk, report_id=pk)
    units = _units(report)
    if target == S.VERIFIED:
        return
    if plan.topic.classification == Classification.INFORMATION or not units:
        report_resolve(user=desk, report_id=pk, message=plan.topic.done)
    else:
        (disposition,) = report_forward(user=desk, report_id=pk, unit_ids=units)
        if target == S.FORWARDED:
            return
        actor = cast.for_unit(disposition.unit_id)
        if target == S.IN_PROGRESS or plan.progress_update:
            disposition_update(user=actor, disposition_id=disposition.pk, message=plan.topic.update)
        if target == S.IN_PROGRESS:
            return
        disposition_complete(user=actor, disposition_id=disposition.pk, message=plan.topic.done)
    if plan.disputed and report.reporter is not None:
        report_dispute(report_id=pk, citizen=report.reporter, reason=DISPUTES[0])
        reopened = Disposition.objects.filter(report_id=pk, status__in=OPEN_DISPOSITION_STATES)
        for again in reopened.order_by("pk"):
            disposition_complete(
                user=cast.for_unit(again.unit_id),
                disposition_id=again.pk,
                message=f"Sudah ditindaklanjuti ulang. {plan.topic.done}",
            )
        if not reopened.exists() and Report.objects.get(pk=pk).status == S.IN_PROGRESS:
            report_resolve(user=desk, report_id=pk, message=plan.topic.done)
    if plan.rating is not None and report.reporter is not None:
        report_rate(
            report_id=pk, citizen=report.reporter, rating=plan.rating, comment=rng.choice(COMMENTS)
        )
    if target == S.CLOSED:
        report_close(report_id=pk, user=desk)


def _merge(report: Report, *, cast: Cast) -> None:
    """Merge a duplicate into the nearest open report the duplicate finder suggests."""
    candidates = report_duplicates_suggest(
        category_id=report.category_id,
        kecamatan_id=report.kecamatan_id,
        latitude=report.latitude,
        longitude=report.longitude,
        kelurahan_id=report.kelurahan_id,
        at=report.submitted_at,
        exclude_report_id=report.pk,
        limit=1,
    )
    if candidates:
        report_merge(user=cast.desk, report_id=report.pk, into_report_id=candidates[0].report.pk)
