"""Data of the demo complaints: how far reports get and how often deadlines are missed,
places, names, and what residents and units write.

Data only (`telepati.reports.demo` replays it). Everything is fictitious apart from the
street and kelurahan names of Kecamatan Medan Amplas.
"""

from __future__ import annotations

from dataclasses import dataclass

from telepati.reports.lifecycle import Status
from telepati.reports.models import Channel, Classification

S = Status
DEMO_DAYS = 120  # how far back the demo goes
VERIFICATION, RESPONSE, RESOLUTION = "verification", "response", "resolution"

# --- How the reports go ------------------------------------------------------------------

# (upper bound of age in days, {fate: weight}): how far a report gets, given time.
FATES: tuple[tuple[float, dict[Status, int]], ...] = (
    (7, {S.CLOSED: 70, S.REJECTED: 8, S.ON_HOLD: 8, S.NEW: 3, S.VERIFIED: 3, S.FORWARDED: 4,
         S.IN_PROGRESS: 4}),
    (30, {S.CLOSED: 74, S.REJECTED: 9, S.ON_HOLD: 4, S.NEW: 1, S.FORWARDED: 3,
          S.IN_PROGRESS: 9}),
    (DEMO_DAYS + 1, {S.CLOSED: 82, S.REJECTED: 9, S.ON_HOLD: 2, S.IN_PROGRESS: 7}),
)  # fmt: skip
# Brisk, on-time reports that show every state whatever the count (on a weekday morning):
# (fate, age in days). The closed one of age 7 is still *selesai* (inside its dispute window).
FORCED = ((S.NEW, 0.1), (S.ON_HOLD, 4), (S.VERIFIED, 3), (S.FORWARDED, 4), (S.IN_PROGRESS, 6),
          (S.CLOSED, 7), (S.CLOSED, 30), (S.REJECTED, 8), (S.NEW, 12), (S.ON_HOLD, 16))  # fmt: skip
CHANNELS = {Channel.WHATSAPP: 60, Channel.WEB: 20, Channel.COUNTER: 10, Channel.PHONE: 7,
            Channel.API: 3}  # fmt: skip
# Share of reports that miss each deadline although they are eventually handled.
LATE = {VERIFICATION: 0.07, RESPONSE: 0.1, RESOLUTION: 0.1}


# --- What residents and officers write ----------------------------------------------------

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
DUPLICATE_DONE = "Masalah yang sama sudah dilaporkan warga lain dan sudah ditangani."
DISPUTES = (
    "Memang sudah dikerjakan, tapi dua hari kemudian kondisinya kembali seperti semula.",
    "Yang dikerjakan baru sebagian, ujung gang masih sama seperti sebelumnya.",
)
COMMENTS = (
    "Cepat ditangani, terima kasih.",
    "Lumayan, tapi agak lama.",
    "Mantap, petugas ramah.",
    "",
)
