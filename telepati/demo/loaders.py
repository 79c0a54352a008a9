"""Demo data for development and demonstrations, as a list of small idempotent loaders.

Each loader takes the shared `DemoContext`, creates what is missing and records counts;
later features append their own loader to `DEMO_LOADERS`. Never run in production (see
`seed_demo`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from telepati.accounts.models import Membership, Role, User
from telepati.accounts.services import officer_create
from telepati.announcements.demo import load_announcement_demo
from telepati.appointments.demo import load_appointment_demo
from telepati.demo.twofactor_demo import demo_admin_totp_load
from telepati.documents.demo import load_document_demo
from telepati.org.models import Kecamatan, Kelurahan, Unit
from telepati.org.services import SeedCount, lingkungan_ensure
from telepati.programs.demo import load_programs_demo
from telepati.reports.demo import demo_reports_seed

DEMO_KECAMATAN_CODE = "medan-amplas"
DEMO_LINGKUNGAN_NUMBERS = (1, 2, 3)


@dataclass(frozen=True)
class DemoAccount:
    """A demo officer: fixed credentials, one role in one unit (by unit code)."""

    username: str
    password: str
    role: Role
    unit_code: str
    first_name: str
    last_name: str = "(demo)"
    title: str = ""


# The administrator comes first: it is a superuser and creates the others.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin",
        "amplas-admin-demo",
        Role.ADMINISTRATOR,
        "medan-amplas--pimpinan",
        "Administrator",
        title="Administrator TELEPATI",
    ),
    DemoAccount(
        "operator",
        "amplas-operator-demo",
        Role.OPERATOR,
        "medan-amplas--pelayanan-umum",
        "Operator WA Center",
        title="Operator WA Center",
    ),
    DemoAccount(
        "petugas-trantibum",
        "amplas-ketertiban-demo",
        Role.STAFF,
        "medan-amplas--trantibum",
        "Petugas Trantibum",
        title="Staf Seksi Trantibum",
    ),
    DemoAccount(
        "petugas-harjosari1",
        "amplas-kelurahan-demo",
        Role.STAFF,
        "medan-amplas--kantor-lurah-harjosari-i",
        "Petugas Kelurahan Harjosari I",
        title="Staf Kelurahan",
    ),
    DemoAccount(
        "opd-dlh",
        "medan-dlh-demo",
        Role.LIAISON,
        "kota-medan--dlh",
        "Penghubung DLH",
        title="Penghubung OPD",
    ),
    DemoAccount(
        "opd-sdabmbk",
        "medan-sdabmbk-demo",
        Role.LIAISON,
        "kota-medan--sdabmbk",
        "Penghubung SDABMBK",
        title="Penghubung OPD",
    ),
    DemoAccount(
        "camat",
        "amplas-camat-demo",
        Role.LEADER,
        "medan-amplas--pimpinan",
        "Camat",
        title="Camat Medan Amplas",
    ),
    DemoAccount(
        "lurah-harjosari1",
        "amplas-lurah-demo",
        Role.LEADER,
        "medan-amplas--kantor-lurah-harjosari-i",
        "Lurah",
        title="Lurah Harjosari I",
    ),
    DemoAccount(
        "kurir",
        "amplas-kurir-demo",
        Role.COURIER,
        "medan-amplas--pelayanan-umum",
        "Kurir Dokumen",
        title="Kurir dokumen",
    ),
)


@dataclass(frozen=True)
class DemoCredential:
    """One row of the credentials table printed after every run."""

    username: str
    role: str
    unit: str
    password: str


@dataclass
class DemoContext:
    """What loaders share: counts to report, credentials to print and notes under them."""

    counts: list[SeedCount] = field(default_factory=list)
    credentials: list[DemoCredential] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def administrator(self) -> User:
        """The demo superuser, which acts for the loaders that call services."""
        return User.objects.get(username=DEMO_ACCOUNTS[0].username)


DemoLoader = Callable[[DemoContext], None]


@transaction.atomic
def demo_accounts_load(context: DemoContext) -> None:
    """One demo account for every role; existing accounts are left as they are."""
    count = SeedCount(_("Akun demo"))
    admin_spec = DEMO_ACCOUNTS[0]
    admin = User.objects.filter(username=admin_spec.username).first()
    count.add(created=admin is None)
    if admin is None:
        admin = User.objects.create_superuser(
            username=admin_spec.username,
            email="",
            password=admin_spec.password,
            first_name=admin_spec.first_name,
            last_name=admin_spec.last_name,
        )
        Membership.objects.create(
            user=admin,
            unit=Unit.objects.get(code=admin_spec.unit_code),
            role=admin_spec.role,
            title=admin_spec.title,
        )
    for spec in DEMO_ACCOUNTS[1:]:
        if User.objects.filter(username=spec.username).exists():
            count.add(created=False)
            continue
        officer_create(
            actor=admin,
            username=spec.username,
            password=spec.password,
            unit=Unit.objects.get(code=spec.unit_code),
            role=spec.role,
            first_name=spec.first_name,
            last_name=spec.last_name,
            title=spec.title,
        )
        count.add(created=True)
    context.counts.append(count)
    units = dict(
        Unit.objects.filter(code__in=[a.unit_code for a in DEMO_ACCOUNTS]).values_list(
            "code", "short_name"
        )
    )
    context.credentials.extend(
        DemoCredential(
            username=spec.username,
            role=str(spec.role.label),
            unit=units.get(spec.unit_code, spec.unit_code),
            password=spec.password,
        )
        for spec in DEMO_ACCOUNTS
    )


@transaction.atomic
def demo_lingkungan_load(context: DemoContext) -> None:
    """A few lingkungan in every kelurahan of the demo kecamatan."""
    total = SeedCount(_("Lingkungan demo"))
    kecamatan = Kecamatan.objects.get(code=DEMO_KECAMATAN_CODE)
    for kelurahan in Kelurahan.objects.filter(kecamatan=kecamatan).order_by("name"):
        count = lingkungan_ensure(kelurahan=kelurahan, numbers=DEMO_LINGKUNGAN_NUMBERS)
        total.created += count.created
        total.existing += count.existing
    context.counts.append(total)


def demo_reports_load(context: DemoContext) -> None:
    """A few hundred complaints in every state, made through the report services (once)."""
    context.counts.append(demo_reports_seed())


DEMO_LOADERS: list[DemoLoader] = [
    demo_accounts_load,
    demo_admin_totp_load,
    demo_lingkungan_load,
    demo_reports_load,
    load_document_demo,
    load_appointment_demo,
    load_programs_demo,
    load_announcement_demo,
]


def demo_seed() -> DemoContext:
    """Run every demo loader in order; safe to run again."""
    context = DemoContext()
    for loader in DEMO_LOADERS:
        loader(context)
    return context
