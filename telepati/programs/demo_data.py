# ruff: noqa: E501 - one row of demo data per line reads best
"""Texts of the programs demo: 25 businesses under guidance (and two more: a candidate and one no longer active) in Kecamatan Medan Amplas, their
products, trainings, partner retailers and ~20 program activities. Names and numbers are
invented (owner phones use the 0813-7700-11xx block, published contacts 0852-6100-22xx)."""

from __future__ import annotations

from typing import NamedTuple

K = "medan-amplas--"


class Biz(NamedTuple):
    kelurahan: str
    name: str
    sector: str
    owner: str
    description: str
    address: str
    products: tuple[tuple[str, int, int], ...]  # (name, price min, price max)
    status: str = "active"
    public_contact: bool = False


# fmt: off
BUSINESSES: tuple[Biz, ...] = (
    Biz("harjosari-i", "Bika Ambon Kak Ros", "kuliner", "Rosmawati Tambunan", "Bika ambon pandan dan durian, dipanggang setiap pagi.", "Jl. Garu II No. 14", (("Bika ambon pandan", 45000, 90000), ("Bika ambon durian", 60000, 110000)), public_contact=True),
    Biz("harjosari-i", "Kerupuk Jangek Pak Ucok", "kuliner", "Usman Pardede", "Kerupuk kulit (jangek) khas Medan, mentah dan siap saji.", "Jl. Garu VI No. 3", (("Kerupuk jangek mentah 250 g", 25000, 25000), ("Kerupuk jangek goreng", 15000, 30000))),
    Biz("harjosari-i", "Laundry Bersih Wangi", "jasa", "Marlina Situmorang", "Cuci kiloan, setrika, dan antar-jemput di sekitar Harjosari.", "Jl. Tahu No. 21", (("Cuci setrika per kg", 7000, 9000),), public_contact=True),
    Biz("harjosari-i", "Catering Dapur Bunda", "kuliner", "Nuraini Daulay", "Nasi kotak dan prasmanan untuk hajatan dan kantor.", "Jl. Garu II Gg. Melati No. 2", (("Nasi kotak ayam gulai", 20000, 30000), ("Prasmanan per porsi", 35000, 55000)), status="independent"),
    Biz("harjosari-ii", "Keripik Pisang Tritura", "kuliner", "Sumarni Hutagalung", "Keripik pisang manis, asin, dan balado.", "Jl. Tritura No. 88", (("Keripik pisang balado 200 g", 15000, 15000), ("Keripik pisang manis 200 g", 14000, 14000)), public_contact=True),
    Biz("harjosari-ii", "Bengkel Motor Jaya Bajak", "jasa", "Poniman Sitorus", "Servis ringan, ganti oli, dan tambal ban sepeda motor.", "Jl. Bajak II No. 40", (("Servis ringan", 50000, 80000), ("Ganti oli", 45000, 65000))),
    Biz("harjosari-ii", "Batik Medan Bajak Lima", "fesyen", "Juliana Panjaitan", "Batik tulis dan cap bermotif Melayu Deli.", "Jl. Bajak V No. 7", (("Kain batik cap 2 m", 150000, 250000), ("Kemeja batik", 175000, 300000))),
    Biz("harjosari-ii", "Rempeyek Mak Inah", "kuliner", "Ngatinah Wibowo", "Rempeyek kacang dan teri, pesanan hajatan.", "Jl. Bajak II Gg. Rukun No. 5", (("Rempeyek kacang 250 g", 20000, 20000),)),
    Biz("amplas", "Ulos Tenun Boru Sinambela", "kerajinan", "Hotmaida Sinambela", "Ulos tenun tangan dan selendang songket.", "Jl. Panglima Denai No. 112", (("Ulos ragi hotang", 350000, 750000), ("Selendang tenun", 120000, 200000)), public_contact=True),
    Biz("amplas", "Kue Bolu Meranti Amplas", "kuliner", "Lilis Suryani", "Bolu gulung aneka rasa untuk oleh-oleh.", "Jl. Sisingamangaraja No. 305", (("Bolu gulung keju", 55000, 75000), ("Bolu gulung cokelat", 50000, 70000)), status="independent"),
    Biz("amplas", "Jahit Permak Rapi", "jasa", "Erwin Simbolon", "Jahit baju, permak celana, dan seragam sekolah.", "Jl. Panglima Denai Gg. Amal No. 9", (("Permak celana", 15000, 35000), ("Jahit kemeja", 120000, 180000))),
    Biz("amplas", "Sambal Andaliman Ompung", "kuliner", "Rosdiana Manik", "Sambal andaliman dan arsik bumbu siap masak.", "Jl. Sisingamangaraja Gg. Pinang No. 4", (("Sambal andaliman 150 g", 30000, 30000),)),
    Biz("bangun-mulia", "Tas Anyaman Mulia", "kerajinan", "Sri Mulyani Pasaribu", "Tas dan keranjang anyaman plastik daur ulang.", "Jl. Sisingamangaraja Km 7 Gg. Bakti No. 3", (("Tas anyaman besar", 85000, 125000), ("Keranjang belanja", 45000, 60000)), public_contact=True),
    Biz("bangun-mulia", "Keripik Tempe Bu Yati", "kuliner", "Suryati Ningsih", "Keripik tempe tipis renyah.", "Jl. Bangun Mulia No. 17", (("Keripik tempe 250 g", 18000, 18000),)),
    Biz("bangun-mulia", "Cuci Sepatu Kilat", "jasa", "Rahmat Hidayat Rambe", "Cuci sepatu dan tas, selesai dua hari.", "Jl. Sisingamangaraja Km 7 No. 201", (("Cuci sepatu reguler", 35000, 50000),)),
    Biz("timbang-deli", "Dodol Deli Pertahanan", "kuliner", "Zubaidah Nasution", "Dodol ketan dan wajik khas Melayu.", "Jl. Pertahanan No. 56", (("Dodol ketan 500 g", 40000, 40000), ("Wajik 10 potong", 25000, 25000)), public_contact=True),
    Biz("timbang-deli", "Songket Timbang Deli", "fesyen", "Fatimah Azzahra Lubis", "Songket Melayu Deli untuk pernikahan.", "Jl. Panglima Denai No. 210", (("Kain songket", 900000, 2500000),), status="independent"),
    Biz("timbang-deli", "Mie Lidi Renyah", "kuliner", "Yusniar Matondang", "Mie lidi pedas dan original.", "Jl. Pertahanan Gg. Sepakat No. 8", (("Mie lidi pedas 200 g", 12000, 12000),)),
    Biz("timbang-deli", "Bengkel Las Karya Deli", "jasa", "Sutrisno Wibisono", "Las pagar, teralis, dan kanopi.", "Jl. Pertahanan No. 99", (("Teralis jendela per m2", 350000, 550000),)),
    Biz("sitirejo-ii", "Kopi Sidikalang Sakti", "kuliner", "Benget Sihombing", "Kopi bubuk robusta Sidikalang sangrai sendiri.", "Jl. Sakti Lubis No. 63", (("Kopi bubuk 250 g", 35000, 45000),), public_contact=True),
    Biz("sitirejo-ii", "Bordir Selamat", "fesyen", "Ratnawati Sirait", "Bordir nama, logo, dan kerudung.", "Jl. Selamat No. 18", (("Bordir kerudung", 45000, 90000),)),
    Biz("sitirejo-ii", "Lemang Tapai Sitirejo", "kuliner", "Syamsuddin Tanjung", "Lemang bambu dan tapai ketan hitam.", "Jl. Sakti Lubis Gg. Saudara No. 1", (("Lemang satu batang", 30000, 45000), ("Tapai ketan 500 g", 20000, 20000))),
    Biz("sitirejo-iii", "Kerajinan Rotan Selamat", "kerajinan", "Parlindungan Sitompul", "Kursi dan keranjang rotan pesanan.", "Jl. Selamat Ujung No. 77", (("Kursi rotan", 450000, 850000),)),
    Biz("sitirejo-iii", "Teri Medan Kak Mar", "kuliner", "Marianti Lumbantobing", "Teri medan kacang dan teri sambal kemasan.", "Jl. Sisingamangaraja Gg. Mesjid No. 12", (("Teri kacang 200 g", 28000, 28000),), public_contact=True),
    Biz("sitirejo-iii", "Service Elektronik Mandiri", "jasa", "Hendrik Gultom", "Servis kipas angin, rice cooker, dan televisi.", "Jl. Selamat No. 140", (("Servis ringan", 40000, 150000),)),
    # Beyond the 25 under guidance: one candidate and one that stopped trading.
    Biz("harjosari-i", "Pecal Medan Bu Tini", "kuliner", "Sulastini Purnomo", "Pecal dan lontong sayur pagi hari.", "Jl. Garu VI Gg. Damai No. 6", (("Lontong sayur", 12000, 15000),), status="candidate"),
    Biz("bangun-mulia", "Sablon Kaos Mulia", "fesyen", "Agustinus Hutabarat", "Sablon kaos komunitas.", "Jl. Bangun Mulia No. 44", (("Kaos sablon", 65000, 90000),), status="inactive"),
)
# fmt: on

RETAILERS: tuple[tuple[str, str, str], ...] = (
    ("Indogrosir Medan", "Jl. Sisingamangaraja Km 5,5, Medan", "minimarket"),
    ("Koperasi Serba Usaha Amplas Bersatu", "Kantor Camat Medan Amplas", "koperasi"),
    ("Galeri Dekranasda Kota Medan", "Jl. Kapten Maulana Lubis, Medan", "koperasi"),
    ("Toko Daring UMKM Medan Amplas", "Lapak marketplace kecamatan", "online"),
)

# (title, days ago, place, organiser, description)
TRAININGS: tuple[tuple[str, int, str, str, str], ...] = (
    (
        "Pengemasan dan label produk pangan",
        75,
        "Aula Kantor Camat Medan Amplas",
        "Dinas Koperasi UKM Kota Medan",
        "Kemasan, label halal dan PIRT, foto produk dengan ponsel.",
    ),
    (
        "Pemasaran daring dan pembukuan sederhana",
        40,
        "Aula Kantor Camat Medan Amplas",
        "Dinas Koperasi UKM Kota Medan",
        "Membuka toko daring, mencatat kas harian.",
    ),
    (
        "Kurasi produk untuk mitra ritel",
        12,
        "Indogrosir Medan",
        "Indogrosir Medan dan Kantor Camat Medan Amplas",
        "Standar produk yang dapat dijual di gerai mitra.",
    ),
)


class Act(NamedTuple):
    program: str
    kind: str
    title: str
    days_ago: int
    kelurahan: str  # "" for activities across kelurahan
    place: str
    partner: str
    description: str
    budget_source: str = ""
    budget: int | None = None
    progress: int = 100
    target: str = ""
    people: int | None = None
    category: str = ""  # complaints of this category it resolves
    span_days: int = 0


# fmt: off
ACTIVITIES: tuple[Act, ...] = (
    Act("kebersihan", "sweep", "Penyapuan Jl. Sisingamangaraja (batas kota–Simpang Limun)", 3, "", "Jl. Sisingamangaraja", "DLH Kota Medan", "Penyapuan dan pengangkutan sampah pagi hingga malam di sepanjang jalan arteri.", people=24, category="kebersihan-sampah"),
    Act("kebersihan", "sweep", "Pengangkutan sampah liar Jl. Panglima Denai", 18, "amplas", "Jl. Panglima Denai", "DLH Kota Medan", "Tumpukan sampah liar di bahu jalan diangkut dan lokasi dipasangi larangan.", category="kebersihan-sampah"),
    Act("kebersihan", "community_cleanup", "Gotong royong Lingkungan 2 Harjosari I", 33, "harjosari-i", "Jl. Garu II", "Kantor Lurah Harjosari I", "Warga dan kepling membersihkan parit dan bahu jalan.", budget_source="swadaya", people=60),
    Act("kebersihan", "sweep", "Penyapuan malam Simpang Amplas", 55, "", "Terminal Amplas", "DLH Kota Medan", "Petugas kebersihan malam di sekitar terminal.", people=12),
    Act("drainase", "inlet_cleaning", "Pembersihan inlet Jl. Sisingamangaraja Km 7", 7, "bangun-mulia", "Jl. Sisingamangaraja Km 7", "Dinas SDABMBK Kota Medan", "Inlet tersumbat lumpur dan sampah plastik dibersihkan sebelum musim hujan.", category="banjir-drainase"),
    Act("drainase", "drainage_normalisation", "Normalisasi drainase Jl. Garu VI", 21, "harjosari-i", "Jl. Garu VI", "Dinas SDABMBK Kota Medan", "Pengerukan sedimen drainase sepanjang 400 m.", budget_source="apbd", budget=85000000, category="banjir-drainase", span_days=5),
    Act("drainase", "inlet_cleaning", "Pembersihan inlet Jl. Pertahanan", 46, "timbang-deli", "Jl. Pertahanan", "Dinas SDABMBK Kota Medan", "Inlet jalan arteri dibersihkan bersama petugas kelurahan.", category="banjir-drainase"),
    Act("drainase", "drainage_normalisation", "Normalisasi parit Jl. Selamat", 70, "sitirejo-ii", "Jl. Selamat", "Dinas SDABMBK Kota Medan", "Parit yang meluap saat hujan dikeruk dan dilebarkan.", budget_source="apbd", budget=64000000, span_days=4),
    Act("infrastruktur", "alley_paving", "Rabat beton Gg. Melati", 10, "harjosari-i", "Jl. Garu II Gg. Melati", "Kantor Lurah Harjosari I", "Pengecoran gang 120 m x 2 m dari dana kelurahan.", budget_source="dana_kelurahan", budget=96500000, progress=60, category="jalan-infrastruktur", span_days=20),
    Act("infrastruktur", "ditch_works", "Pembangunan parit Gg. Rukun", 28, "harjosari-ii", "Jl. Bajak II Gg. Rukun", "Kantor Lurah Harjosari II", "Parit beton U-ditch 80 m.", budget_source="dana_kelurahan", budget=74000000, progress=100, span_days=14),
    Act("infrastruktur", "road_repair", "Penambalan jalan berlubang Jl. Sakti Lubis", 14, "sitirejo-ii", "Jl. Sakti Lubis", "Dinas SDABMBK Kota Medan", "Lubang jalan ditambal aspal.", budget_source="apbd", budget=120000000, progress=100, category="jalan-infrastruktur", span_days=3),
    Act("infrastruktur", "alley_paving", "Rabat beton Gg. Sepakat", 50, "timbang-deli", "Jl. Pertahanan Gg. Sepakat", "Kantor Lurah Timbang Deli", "Pengecoran gang 90 m.", budget_source="dana_kelurahan", budget=71000000, progress=100, span_days=18),
    Act("infrastruktur", "road_repair", "Perbaikan jalan Jl. Bangun Mulia", 4, "bangun-mulia", "Jl. Bangun Mulia", "Dinas SDABMBK Kota Medan", "Perataan dan pengaspalan ulang 250 m.", budget_source="apbd", budget=210000000, progress=25, span_days=30),
    Act("kesehatan", "vaccination", "Vaksinasi lansia di Kantor Lurah Harjosari I", 25, "harjosari-i", "Kantor Lurah Harjosari I", "UPT Puskesmas Amplas", "Vaksinasi dosis lanjutan untuk warga lanjut usia.", target="Lansia (60 tahun ke atas)", people=142),
    Act("kesehatan", "vaccination", "Vaksinasi anak di SD Negeri Sitirejo III", 39, "sitirejo-iii", "SD Negeri Sitirejo III", "UPT Puskesmas Amplas", "Vaksinasi anak usia 6–11 tahun bersama sekolah.", target="Anak 6–11 tahun", people=215),
    Act("kesehatan", "vaccination", "Vaksinasi keliling Timbang Deli", 62, "timbang-deli", "Balai warga Jl. Pertahanan", "UPT Puskesmas Amplas", "Layanan vaksinasi keliling untuk warga yang belum divaksin.", target="Warga umum dan lansia", people=98),
    Act("kesehatan", "health_patrol", "Patroli protokol kesehatan pasar", 80, "amplas", "Pasar Amplas", "Satgas Kecamatan Medan Amplas", "Patroli dan pembagian masker di pasar.", people=300),
    Act("umkm", "umkm_training", "Pelatihan pengemasan produk pangan", 75, "", "Aula Kantor Camat Medan Amplas", "Dinas Koperasi UKM Kota Medan", "Pelatihan untuk UMKM binaan.", people=18),
    Act("umkm", "umkm_marketing", "Bazar UMKM binaan di Indogrosir", 9, "", "Indogrosir Medan", "Indogrosir Medan", "Stan penjualan produk UMKM binaan selama akhir pekan.", people=14, span_days=2),
    Act("umkm", "umkm_training", "Kurasi produk untuk mitra ritel", 12, "", "Indogrosir Medan", "Indogrosir Medan", "Produk UMKM binaan dinilai untuk dijual di gerai mitra.", people=11),
)
# fmt: on

# Rough centres of the kelurahan (lat, lon), as in the complaints demo.
CENTRES: dict[str, tuple[float, float]] = {
    "harjosari-i": (3.5450, 98.7080),
    "harjosari-ii": (3.5400, 98.7020),
    "amplas": (3.5360, 98.7180),
    "bangun-mulia": (3.5320, 98.7240),
    "timbang-deli": (3.5430, 98.7230),
    "sitirejo-ii": (3.5540, 98.7060),
    "sitirejo-iii": (3.5570, 98.7130),
    "": (3.5480, 98.7150),
}
