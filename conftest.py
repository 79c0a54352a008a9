"""Shared test fixtures: the territory of two kecamatan and the personas who work in them.

Kecamatan Medan Amplas (the deployment) has two kelurahan (Harjosari I, Sitirejo II), three
sections of the kantor camat, two kantor kelurahan and a Puskesmas; the city has two
agencies (DLH for waste, SDABMBK for roads and drainage). Kecamatan Medan Johor is the
neighbour whose data must never leak into Amplas and back.

Personas (all active, one membership each unless said otherwise):

==================  =======================================================================
resident            a resident known only by name and WhatsApp number (no account)
desk_operator       operator at Seksi Pelayanan Umum (the WA Center desk), Amplas
section_staff       staff of Seksi Trantibum, Amplas
kelurahan_staff     staff of Kantor Lurah Harjosari I
agency_liaison      liaison of Dinas Lingkungan Hidup (city level)
camat               leader at Pimpinan Kecamatan Amplas
lurah               leader at Kantor Lurah Harjosari I
courier             courier at Seksi Pelayanan Umum, Amplas
administrator       administrator at Pimpinan Kecamatan Amplas (is_staff)
outsider            administrator of Medan Johor (is_staff) — another kecamatan
superuser           a superuser without memberships
==================  =======================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg  # noqa: F401
import pytest

from telepati.accounts.models import Role, User
from telepati.accounts.tests.factories import MembershipFactory, UserFactory
from telepati.org.models import Kecamatan, Kelurahan, Unit, UnitKind
from telepati.org.tests.factories import KecamatanFactory, KelurahanFactory, UnitFactory

# psycopg is imported before any test freezes time: its C extension checks the size of
# datetime.date when first imported, and under freezegun that is FakeDate (a URLconf or app
# module first imported inside a frozen test would otherwise fail with a RuntimeWarning).


@dataclass(frozen=True)
class Resident:
    """A resident who writes to the WA Center: a name and a WhatsApp number, no account."""

    name: str
    phone: str

    @property
    def wa_id(self) -> str:
        return self.phone.removeprefix("+")


@pytest.fixture
def resident() -> Resident:
    return Resident(name="Siti Aminah", phone="+6281234567890")


# --- Territory --------------------------------------------------------------------------


@pytest.fixture
def amplas(db) -> Kecamatan:
    return KecamatanFactory.create(code="medan-amplas", name="Medan Amplas")


@pytest.fixture
def harjosari_i(amplas) -> Kelurahan:
    return KelurahanFactory.create(
        kecamatan=amplas, code="medan-amplas--harjosari-i", name="Harjosari I"
    )


@pytest.fixture
def sitirejo_ii(amplas) -> Kelurahan:
    return KelurahanFactory.create(
        kecamatan=amplas, code="medan-amplas--sitirejo-ii", name="Sitirejo II"
    )


@pytest.fixture
def johor(db) -> Kecamatan:
    return KecamatanFactory.create(code="medan-johor", name="Medan Johor")


@pytest.fixture
def gedung_johor(johor) -> Kelurahan:
    return KelurahanFactory.create(
        kecamatan=johor, code="medan-johor--gedung-johor", name="Gedung Johor"
    )


@pytest.fixture
def amplas_leadership(amplas) -> Unit:
    return UnitFactory.create(
        code="medan-amplas--pimpinan", name="Pimpinan Kecamatan", kecamatan=amplas
    )


@pytest.fixture
def amplas_service(amplas) -> Unit:
    return UnitFactory.create(
        code="medan-amplas--pelayanan-umum", name="Seksi Pelayanan Umum", kecamatan=amplas
    )


@pytest.fixture
def amplas_trantib(amplas) -> Unit:
    return UnitFactory.create(
        code="medan-amplas--trantibum", name="Seksi Trantibum", kecamatan=amplas
    )


@pytest.fixture
def amplas_puskesmas(amplas) -> Unit:
    return UnitFactory.create(
        code="medan-amplas--puskesmas-amplas",
        name="UPT Puskesmas Amplas",
        kind=UnitKind.TECHNICAL_UNIT,
        kecamatan=amplas,
    )


@pytest.fixture
def harjosari_i_office(harjosari_i) -> Unit:
    return UnitFactory.create(
        code="medan-amplas--kantor-lurah-harjosari-i",
        name="Kantor Lurah Harjosari I",
        kind=UnitKind.KELURAHAN_OFFICE,
        kecamatan=harjosari_i.kecamatan,
        kelurahan=harjosari_i,
    )


@pytest.fixture
def sitirejo_ii_office(sitirejo_ii) -> Unit:
    return UnitFactory.create(
        code="medan-amplas--kantor-lurah-sitirejo-ii",
        name="Kantor Lurah Sitirejo II",
        kind=UnitKind.KELURAHAN_OFFICE,
        kecamatan=sitirejo_ii.kecamatan,
        kelurahan=sitirejo_ii,
    )


@pytest.fixture
def dlh(db) -> Unit:
    return UnitFactory.create(
        code="kota-medan--dlh",
        name="Dinas Lingkungan Hidup",
        kind=UnitKind.AGENCY,
        kecamatan=None,
    )


@pytest.fixture
def roads_agency(db) -> Unit:
    return UnitFactory.create(
        code="kota-medan--sdabmbk",
        name="Dinas SDABMBK",
        kind=UnitKind.AGENCY,
        kecamatan=None,
    )


@pytest.fixture
def johor_service(johor) -> Unit:
    return UnitFactory.create(
        code="medan-johor--pelayanan-umum", name="Seksi Pelayanan Umum Johor", kecamatan=johor
    )


@pytest.fixture
def gedung_johor_office(gedung_johor) -> Unit:
    return UnitFactory.create(
        code="medan-johor--kantor-lurah-gedung-johor",
        name="Kantor Lurah Gedung Johor",
        kind=UnitKind.KELURAHAN_OFFICE,
        kecamatan=gedung_johor.kecamatan,
        kelurahan=gedung_johor,
    )


@pytest.fixture
def territory(
    amplas_leadership,
    amplas_service,
    amplas_trantib,
    amplas_puskesmas,
    harjosari_i_office,
    sitirejo_ii_office,
    dlh,
    roads_agency,
    johor_service,
    gedung_johor_office,
) -> None:
    """Every kecamatan, kelurahan and unit above, so lists show what is left out."""


# --- Personas ---------------------------------------------------------------------------


def _officer(username: str, unit: Unit, role: Role, *, title: str = "") -> User:
    user = UserFactory.create(username=username, is_staff=role == Role.ADMINISTRATOR)
    MembershipFactory.create(user=user, unit=unit, role=role, title=title)
    return user


@pytest.fixture
def desk_operator(territory, amplas_service) -> User:
    return _officer("operator.amplas", amplas_service, Role.OPERATOR, title="Operator WA Center")


@pytest.fixture
def section_staff(territory, amplas_trantib) -> User:
    return _officer("staf.trantib", amplas_trantib, Role.STAFF)


@pytest.fixture
def kelurahan_staff(territory, harjosari_i_office) -> User:
    return _officer("staf.harjosari1", harjosari_i_office, Role.STAFF)


@pytest.fixture
def agency_liaison(territory, dlh) -> User:
    return _officer("penghubung.dlh", dlh, Role.LIAISON)


@pytest.fixture
def camat(territory, amplas_leadership) -> User:
    return _officer("camat.amplas", amplas_leadership, Role.LEADER, title="Camat")


@pytest.fixture
def lurah(territory, harjosari_i_office) -> User:
    return _officer("lurah.harjosari1", harjosari_i_office, Role.LEADER, title="Lurah")


@pytest.fixture
def courier(territory, amplas_service) -> User:
    return _officer("kurir.amplas", amplas_service, Role.COURIER)


@pytest.fixture
def administrator(territory, amplas_leadership) -> User:
    return _officer("admin.amplas", amplas_leadership, Role.ADMINISTRATOR)


@pytest.fixture
def outsider(territory, johor_service) -> User:
    return _officer("admin.johor", johor_service, Role.ADMINISTRATOR)


@pytest.fixture
def superuser(territory) -> User:
    return UserFactory.create(username="root", is_staff=True, is_superuser=True)
