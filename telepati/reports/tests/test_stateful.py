"""No sequence of service calls reaches an inconsistent report: a property-based proof.

A hypothesis state machine drives the real services (intake, desk, merge, notes,
dispositions, unit work, resolution, feedback and the SLA sweeps) against the real database,
as every persona of the conftest — with legal and illegal arguments alike, on a frozen clock
that rules move forward by hours or days. After each step it checks, for every report, the
invariants the lifecycle promises (`_check_*` below). A call may only fail with a domain
error, and then nothing at all may have changed; an officer who cannot see a report only
ever learns "not found".

Each example runs inside a savepoint that is rolled back afterwards, on top of the territory
and personas the fixtures create once for the test. Runs are derandomized: CI replays the
same sequences every time, and a failure prints the steps that reproduce it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from random import Random
from typing import Any, NamedTuple, TypeVar

import pytest
from django.db import transaction
from freezegun import freeze_time
from hypothesis import HealthCheck, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from telepati.accounts.models import User
from telepati.accounts.scope import OfficerScope
from telepati.accounts.selectors import officer_scope_get
from telepati.citizens.models import Citizen
from telepati.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from telepati.core.workdays import WIB
from telepati.messaging.models import OutboundMessage
from telepati.org.models import Kelurahan, Unit
from telepati.reports.lifecycle import OPEN_STATES, TRANSITIONS, Action, Status
from telepati.reports.models import (
    OPEN_DISPOSITION_STATES,
    Attachment,
    Category,
    Channel,
    Disposition,
    DispositionStatus,
    EventKind,
    Report,
    ReportEvent,
    ReportFollower,
)
from telepati.reports.services.common import report_scope_q
from telepati.reports.services.desk import report_clarify, report_hold, report_reject, report_verify
from telepati.reports.services.dispositions import report_forward, unit_suggest
from telepati.reports.services.feedback import report_dispute, report_rate
from telepati.reports.services.intake import ReportDraft, report_submit
from telepati.reports.services.merge import report_merge
from telepati.reports.services.notes import report_assign, report_note_add
from telepati.reports.services.resolution import (
    report_close,
    report_reopen,
    report_resolve,
)
from telepati.reports.services.sla import sla_autoclose, sla_escalate_breaches
from telepati.reports.services.unit_work import (
    disposition_acknowledge,
    disposition_complete,
    disposition_return,
    disposition_update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

T = TypeVar("T")

DOMAIN_ERRORS = (Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound)
START = datetime(2026, 11, 2, 9, 0, tzinfo=WIB)  # Monday morning, far from holidays
MAX_REPORTS = 5
PAST_VERIFICATION = frozenset(
    {Status.VERIFIED, Status.FORWARDED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}
)
DONE_STATES = frozenset({Status.RESOLVED, Status.CLOSED})
WORKED = frozenset(
    {DispositionStatus.ACKNOWLEDGED, DispositionStatus.IN_PROGRESS, DispositionStatus.DONE}
)
SERVICES = {  # every service the machine calls with `attempt`, and the sweeps
    *("report_verify", "report_hold", "report_clarify", "report_reject", "report_merge"),
    *("report_assign", "report_note_add", "report_forward", "report_resolve", "report_close"),
    *("report_reopen", "report_dispute", "report_rate", "disposition_acknowledge"),
    *("disposition_update", "disposition_complete", "disposition_return"),
    *("sla_escalate_breaches", "sla_autoclose"),
}
MARKS = {  # report breach mark: (due column, the deadline kind its escalation event names)
    "verification_breached_at": ("verification_due_at", "verification"),
    "response_breached_at": ("response_due_at", "response"),
    "resolution_breached_at": ("resolution_due_at", "resolution"),
}

# --- The world: territory, personas and residents made once per test --------------------

SCOPES: dict[int, OfficerScope] = {}  # per officer; memberships never change during a test
RESIDENTS = {"siti": ("Siti Aminah", "+6281234567890"), "budi": ("Budi Santoso", "+6281298765432")}
STRANGER = ("Rina Marpaung", "+6281211112222")  # files nothing, follows nothing


@dataclass
class World:
    """Territory, personas and residents: made once per test, outside the examples' savepoints."""

    officers: dict[str, User]
    citizens: dict[str, Citizen]
    units: dict[str, Unit]
    kelurahan: dict[str, Kelurahan]
    categories: dict[str, Category]
    # What the run did, to prove it went deep: statuses reached, outcomes of each service.
    reached: set[str] = field(default_factory=set)
    outcomes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


@pytest.fixture
def world(
    desk_operator,
    camat,
    lurah,
    agency_liaison,
    section_staff,
    kelurahan_staff,
    courier,
    outsider,
    sanitation,
    drainage,
    harjosari_i,
    sitirejo_ii,
    gedung_johor,
    dlh,
    roads_agency,
    amplas_trantib,
    harjosari_i_office,
    sitirejo_ii_office,
    johor_service,
) -> World:
    officers = {
        "desk": desk_operator,
        "camat": camat,
        "lurah": lurah,
        "liaison": agency_liaison,
        "section": section_staff,
        "kelurahan": kelurahan_staff,
        "courier": courier,
        "outsider": outsider,
    }
    for index, user in enumerate(officers.values(), start=1):
        user.phone = f"+62813000001{index:02d}"  # so officer notices become outbox rows too
        user.save(update_fields=["phone"])
    SCOPES.clear()  # user ids may repeat across tests on SQLite
    citizens = {
        key: Citizen.objects.create(name=name, phone=phone)
        for key, (name, phone) in {**RESIDENTS, "stranger": STRANGER}.items()
    }
    return World(
        officers=officers,
        citizens=citizens,
        units={
            "dlh": dlh,
            "roads": roads_agency,
            "trantib": amplas_trantib,
            "harjosari_office": harjosari_i_office,
            "sitirejo_office": sitirejo_ii_office,
            "johor_service": johor_service,  # another kecamatan's: never for an Amplas report
        },
        kelurahan={"harjosari": harjosari_i, "sitirejo": sitirejo_ii, "johor": gedung_johor},
        categories={"sanitation": sanitation, "drainage": drainage},
    )


# --- Argument strategies: mostly the likely caller, sometimes anyone -----------------------

OFFICERS = ["desk", "camat", "lurah", "liaison", "section", "kelurahan", "courier", "outsider"]


class Long(str):
    """A text too long for its field, shown by its length in a failing example."""

    def __new__(cls, length: int) -> Long:
        return super().__new__(cls, "x" * length)

    def __repr__(self) -> str:
        return f"Long({len(self)})"


def mostly(likely: T, *others: T) -> st.SearchStrategy[T]:
    """`likely` about half the time, otherwise any of the values (illegal ones included)."""
    return st.one_of(st.just(likely), st.sampled_from([likely, *others]))


reporters = st.sampled_from(["siti", "budi", "siti-anonymous"])
places = mostly("harjosari", "sitirejo", "address", "johor")
categories = st.sampled_from(["sanitation", "drainage"])
desks = mostly("desk", *OFFICERS)
workers = mostly("liaison", *OFFICERS)
versions = mostly("none", "current", "stale")
texts = mostly("Sudah ditangani petugas di lokasi.", "", "   ", Long(4001))
citizen_roles = mostly("reporter", "siti", "budi", "stranger")
corrections = mostly(  # at most one correction at verification, valid or not
    None,
    ("category_code", "banjir-drainase"),
    ("category_code", "tidak-ada"),
    ("kelurahan_id", "sitirejo"),
    ("kelurahan_id", "johor"),
    ("title", "Sampah di gang Mawar"),
    ("title", ""),
    ("title", Long(151)),
    ("priority", "high"),
    ("priority", "segera"),
)
unit_choices = st.one_of(
    st.just("suggested"),
    st.lists(
        st.sampled_from(
            ["dlh", "roads", "trantib", "harjosari_office", "sitirejo_office", "johor_service"]
        ),
        max_size=3,
    ),
)
dues = mostly(None, "past", "future", "naive")
UNIT_MEMBERS = {  # unit code → the persona working there (see the root conftest)
    "kota-medan--dlh": "liaison",
    "medan-amplas--trantibum": "section",
    "medan-amplas--kantor-lurah-harjosari-i": "kelurahan",
}
ratings = mostly(4, 0, 1, 5, 6)
comments = mostly("Cepat, terima kasih.", "", Long(1001))
paths = st.tuples(st.integers(1, 8), st.randoms(use_true_random=False))  # steps, chooser
delays = st.sampled_from(
    [timedelta(hours=hours) for hours in (1, 7)] + [timedelta(days=d) for d in (1, 4, 9, 16)]
)


# --- What must never happen, whatever was called ----------------------------------------


def world_snapshot() -> tuple[Any, ...]:
    """Everything a service may write, to prove that a refused call wrote nothing."""
    return (
        list(Report.objects.order_by("pk").values()),
        list(Disposition.objects.order_by("pk").values()),
        list(ReportEvent.objects.order_by("pk").values_list("pk", flat=True)),
        list(ReportFollower.objects.order_by("pk").values()),
        list(OutboundMessage.objects.order_by("pk").values_list("pk", flat=True)),
        Attachment.objects.count(),
    )


def sees(user: User, report_id: int) -> bool:
    """Whether the officer may open the report (the services' own scope rules)."""
    if user.pk not in SCOPES:
        SCOPES[user.pk] = officer_scope_get(user=user)
    return Report.objects.filter(report_scope_q(SCOPES[user.pk]), pk=report_id).exists()


@dataclass(frozen=True)
class Seen:
    """A report as the previous step left it: what may only grow or stay."""

    status: str
    version: int
    events: list[Event]
    marks: dict[str, datetime | None]
    dues: dict[str, datetime | None]
    first_response_at: datetime | None
    dispute_until: datetime | None
    rating: tuple[int | None, datetime | None]


class ReportLifecycle(RuleBasedStateMachine):
    """Every service, called by anyone with anything; the invariants hold after each step."""

    reports = Bundle("reports")

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world
        self.clock = START
        self.report_ids: list[int] = []
        self.seen: dict[int, Seen] = {}
        self.seen_dispositions: dict[int, tuple[datetime | None, datetime, datetime | None]] = {}
        self.seen_messages: set[int] = set()
        self.phones = {c.pk: c.phone for c in world.citizens.values()}  # nobody else reports
        # Each example starts from the fixtures' world and leaves nothing behind.
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.freezer = freeze_time(START)
        self.frozen = self.freezer.start()

    def teardown(self) -> None:
        self.freezer.stop()
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    # --- calling the services ---------------------------------------------------------------

    def attempt(
        self,
        call: partial[Any],
        *,
        user: User | None = None,
        report_id: int | None = None,
        other_id: int | None = None,
    ) -> Any:
        """Call a service; a domain error must leave the world exactly as it was.

        An officer who cannot see the report acted on (`report_id`) learns nothing about it:
        the call fails with NotFound, not with a stale version, a wrong state or bad input.
        A second report named in the call (`other_id`, a merge's survivor) must not leak
        either: refused as not found, or because the officer's role may not act at all.
        """
        hidden = user is not None and report_id is not None and not sees(user, report_id)
        other_hidden = user is not None and other_id is not None and not sees(user, other_id)
        before = world_snapshot()
        error: Exception | None = None
        try:
            result = call()
        except DOMAIN_ERRORS as refused:
            error = refused
        outcome = type(error).__name__ if error is not None else "ok"
        note(f"  -> {outcome}: {error or ''}")
        self.world.outcomes[call.func.__name__].add(outcome)
        if error is None:
            assert not hidden, "an officer changed a report outside their scope"
            assert not other_hidden, "an officer merged into a report outside their scope"
            return result
        assert world_snapshot() == before, f"{outcome} left changes behind"
        if hidden:
            assert isinstance(error, NotFound), f"{outcome} leaks a report outside the scope"
        if other_hidden:
            assert isinstance(error, (NotFound, Forbidden)), f"{outcome} leaks the other report"
        return None

    def by_officer(
        self,
        service: Callable[..., Any],
        report: int,
        who: str,
        version: str | None = None,
        *,
        into: int | None = None,
        **kwargs: Any,
    ) -> Any:
        """`service(user=…, report_id=…, [expected_version=…], **kwargs)` as officer `who`."""
        user = self.world.officers[who]
        if version is not None:
            kwargs["expected_version"] = self.expected(report, version)
        if into is not None:
            kwargs["into_report_id"] = into
        call = partial(service, user=user, report_id=report, **kwargs)
        if into == report:  # merging a report into itself is refused on the input alone
            return self.attempt(call)
        return self.attempt(call, user=user, report_id=report, other_id=into)

    def expected(self, report: int, version: str) -> int | None:
        current = Report.objects.values_list("version", flat=True).get(pk=report)
        return {"none": None, "current": current, "stale": current + 1}[version]

    def citizen(self, report_id: int, role: str) -> Citizen:
        if role == "reporter":
            return Report.objects.select_related("reporter").get(pk=report_id).reporter  # type: ignore[return-value]
        return self.world.citizens[role]

    # --- intake -------------------------------------------------------------------------

    # Every example starts with two reports somewhere along their life.
    @initialize(target=reports, reporter=reporters, place=places, category=categories, path=paths)
    def first_report(
        self, reporter: str, place: str, category: str, path: tuple[int, Random]
    ) -> int:
        report = self.submit(reporter=reporter, place=place, category=category)
        self.progress(report=report, path=path)
        return report  # type: ignore[return-value]

    @initialize(target=reports, reporter=reporters, place=places, category=categories, path=paths)
    def second_report(
        self, reporter: str, place: str, category: str, path: tuple[int, Random]
    ) -> int:
        return self.first_report(reporter=reporter, place=place, category=category, path=path)  # type: ignore[return-value]

    @precondition(lambda self: len(self.report_ids) < MAX_REPORTS)
    @rule(target=reports, reporter=reporters, place=places, category=categories)
    def submit(self, reporter: str, place: str, category: str) -> int:
        name, phone = RESIDENTS[reporter.removesuffix("-anonymous")]
        kelurahan = self.world.kelurahan.get(place)
        report = report_submit(
            draft=ReportDraft(
                category_code=self.world.categories[category].code,
                description="Sampah menumpuk di depan gang Mawar sudah tiga hari.",
                channel=Channel.WHATSAPP,
                kelurahan_id=kelurahan.pk if kelurahan else None,
                address="Jl. Garu II, gang Mawar" if place == "address" else "",
                reporter_name=name,
                reporter_phone=phone,
                is_anonymous=reporter.endswith("-anonymous"),
            )
        )
        self.report_ids.append(report.pk)
        return report.pk

    # --- the desk -----------------------------------------------------------------------

    @rule(report=reports, who=desks, version=versions, correction=corrections)
    def verify(
        self, report: int, who: str, version: str, correction: tuple[str, str] | None
    ) -> None:
        changes: dict[str, Any] = {}
        if correction is not None:
            name, value = correction
            if name == "kelurahan_id":
                changes[name] = self.world.kelurahan[value].pk
            else:
                changes[name] = value
        self.by_officer(report_verify, report, who, version, **changes)

    @rule(report=reports, who=desks, version=versions, question=texts)
    def hold(self, report: int, who: str, version: str, question: str) -> None:
        self.by_officer(report_hold, report, who, version, question=question)

    @rule(report=reports, who=st.one_of(citizen_roles, desks), message=texts)
    def clarify(self, report: int, who: str, message: str) -> None:
        if who in OFFICERS:
            self.by_officer(report_clarify, report, who, message=message)
        else:
            citizen = self.citizen(report, who)
            self.attempt(
                partial(report_clarify, report_id=report, message=message, citizen=citizen)
            )

    @rule(report=reports, who=desks, version=versions, reason=texts)
    def reject(self, report: int, who: str, version: str, reason: str) -> None:
        self.by_officer(report_reject, report, who, version, reason=reason)

    @rule(report=reports, into=reports, who=desks, version=versions)
    def merge(self, report: int, into: int, who: str, version: str) -> None:
        self.by_officer(report_merge, report, who, version, into=into)

    @rule(report=reports, who=desks, assignee=st.sampled_from([None, *OFFICERS]))
    def assign(self, report: int, who: str, assignee: str | None) -> None:
        assignee_id = self.world.officers[assignee].pk if assignee else None
        self.by_officer(report_assign, report, who, assignee_id=assignee_id)

    @rule(report=reports, who=workers, message=texts, is_public=st.booleans())
    def note_add(self, report: int, who: str, message: str, is_public: bool) -> None:
        self.by_officer(report_note_add, report, who, message=message, is_public=is_public)

    # --- dispositions and the units' work ------------------------------------------------

    @rule(report=reports, who=desks, version=versions, units=unit_choices, due=dues)
    def forward(
        self, report: int, who: str, version: str, units: str | list[str], due: str | None
    ) -> None:
        row = Report.objects.select_related("category").get(pk=report)
        if units == "suggested":
            suggested = unit_suggest(report=row)
            assert all(u.kecamatan_id in (None, row.kecamatan_id) for u in suggested)
            unit_ids = [u.pk for u in suggested]
        else:
            unit_ids = [self.world.units[key].pk for key in units]
        due_at = {
            None: None,
            "past": self.clock - timedelta(hours=1),
            "future": self.clock + timedelta(days=2),
            "naive": (self.clock + timedelta(days=2)).replace(tzinfo=None),
        }[due]
        self.by_officer(report_forward, report, who, version, unit_ids=unit_ids, due_at=due_at)

    @rule(
        report=reports,
        index=st.integers(0, 3),
        who=workers,
        step=st.sampled_from(["acknowledge", "update", "complete", "return"]),
        message=texts,
        is_public=st.booleans(),
    )
    def unit_work(
        self, report: int, index: int, who: str, step: str, message: str, is_public: bool
    ) -> None:
        user = self.world.officers[who]
        ids = list(
            Disposition.objects.filter(report_id=report).order_by("pk").values_list("pk", flat=True)
        )
        unit: dict[str, Any] = {
            "user": user,
            "disposition_id": ids[index % len(ids)] if ids else 10**9,  # none: never existed
        }
        call = {
            "acknowledge": partial(disposition_acknowledge, **unit),
            "update": partial(disposition_update, message=message, is_public=is_public, **unit),
            "complete": partial(disposition_complete, message=message, **unit),
            "return": partial(disposition_return, reason=message, **unit),
        }[step]
        self.attempt(call, user=user, report_id=report if ids else None)

    @rule(report=reports, path=paths)
    def progress(self, report: int, path: tuple[int, Random]) -> None:
        """A walk along legal moves made by the right people, so that examples reach the late
        states; each move must succeed, and the invariants are checked after each."""
        steps, chooser = path
        for _ in range(steps):
            moves = self.legal_moves(report)
            if not moves:
                return  # merged: nothing is left to do on it
            call = chooser.choice(moves)
            note(f"  {call.func.__name__}({call.keywords})")
            user = call.keywords.get("user")
            if user is not None:
                assert sees(user, report), "the usual officer cannot open the report"
            call()
            self.world.outcomes[call.func.__name__].add("ok")
            self.consistent()

    def legal_moves(self, report: int) -> list[partial[Any]]:
        row = Report.objects.select_related("category", "kecamatan").get(pk=report)
        status = Status(row.status)
        desk = self.world.officers["desk" if row.kecamatan.code == "medan-amplas" else "outsider"]
        text = "Sampah sudah diangkut petugas."
        held = (
            Disposition.objects.filter(report=row, status__in=OPEN_DISPOSITION_STATES)
            .select_related("unit")
            .order_by("pk")
            .first()
        )
        survivor = (
            Report.objects.filter(
                pk__in=self.report_ids, kecamatan=row.kecamatan_id, status__in=OPEN_STATES
            )
            .exclude(pk=report)
            .values_list("pk", flat=True)
            .first()
        )
        own: dict[str, Any] = {"user": desk, "report_id": report}
        anytime = []  # moves open in any open state: merge, hand over, correct the kelurahan
        if survivor is not None and status in OPEN_STATES:
            anytime = [partial(report_merge, user=desk, report_id=report, into_report_id=survivor)]
        colleague = next(
            (
                user
                for key in ("kelurahan", "lurah", "liaison", "section", "camat")
                if (user := self.world.officers[key]).pk != row.assigned_to_id
                and sees(user, report)
            ),
            None,
        )
        if colleague is not None and status in OPEN_STATES:
            anytime.append(
                partial(report_assign, user=desk, report_id=report, assignee_id=colleague.pk)
            )
        moved = {
            self.world.kelurahan["harjosari"].pk: self.world.kelurahan["sitirejo"].pk,
            self.world.kelurahan["sitirejo"].pk: self.world.kelurahan["harjosari"].pk,
        }.get(row.kelurahan_id or 0)
        if moved is not None and status in (Status.NEW, Status.ON_HOLD):
            anytime.append(partial(report_verify, kelurahan_id=moved, **own))
        if held is not None:
            # A member of the unit acts on its disposition; the desk acts for the others.
            code = held.unit.code
            member = self.world.officers[UNIT_MEMBERS[code]] if code in UNIT_MEMBERS else desk
            unit: dict[str, Any] = {"user": member, "disposition_id": held.pk}
            return [
                partial(disposition_update, message=text, **unit),
                partial(disposition_complete, message=text, **unit),
                partial(disposition_acknowledge, **unit),
                partial(disposition_return, reason="Bukan wewenang kami.", **unit),
                partial(self.deadline_passes, held.due_at),
                *anytime,
            ]
        resident: dict[str, Any] = {"report_id": report, "citizen": row.reporter}
        rating = [] if row.rating is not None else [partial(report_rate, rating=4, **resident)]
        if status == Status.NEW:
            return [
                partial(report_verify, **own),
                partial(report_hold, question=text, **own),
                partial(self.deadline_passes, row.verification_due_at),
                *anytime,
            ]
        if status == Status.ON_HOLD:
            return [
                partial(report_clarify, message=text, **resident),
                partial(report_verify, **own),
                partial(self.deadline_passes, row.verification_due_at),
                *anytime,
            ]
        if status == Status.VERIFIED:
            units = [u.pk for u in unit_suggest(report=row)] or [self.world.units["dlh"].pk]
            return [
                partial(report_forward, unit_ids=units, **own),
                partial(report_resolve, message=text, **own),
                partial(report_reject, reason=text, **own),
                partial(self.deadline_passes, row.resolution_due_at),
                *anytime,
            ]
        if status == Status.IN_PROGRESS:  # no unit holds it: the desk answers it itself
            return [partial(report_resolve, message=text, **own), *anytime]
        if status == Status.RESOLVED:
            moves = [
                partial(report_close, **own),
                partial(self.deadline_passes, row.dispute_until),
                *rating,
            ]
            if row.dispute_until is not None and self.clock <= row.dispute_until:
                moves.append(partial(report_dispute, reason=text, **resident))
            return moves  # type: ignore[return-value]
        if status == Status.CLOSED:
            return [partial(report_reopen, reason="Masalahnya muncul lagi.", **own), *rating]
        if status == Status.REJECTED:
            return [partial(report_reopen, reason="Masalahnya muncul lagi.", **own)]
        return []

    # --- the end of a report's life -------------------------------------------------------

    @rule(report=reports, who=desks, version=versions, message=texts)
    def resolve(self, report: int, who: str, version: str, message: str) -> None:
        self.by_officer(report_resolve, report, who, version, message=message)

    @rule(report=reports, who=desks, version=versions, reason=texts)
    def close(self, report: int, who: str, version: str, reason: str) -> None:
        self.by_officer(report_close, report, who, version, reason=reason)

    @rule(report=reports, version=versions)
    def close_by_system(self, report: int, version: str) -> None:
        expected = self.expected(report, version)
        self.attempt(partial(report_close, report_id=report, expected_version=expected))

    @rule(report=reports, who=desks, version=versions, reason=texts)
    def reopen(self, report: int, who: str, version: str, reason: str) -> None:
        self.by_officer(report_reopen, report, who, version, reason=reason)

    @rule(report=reports, who=citizen_roles, reason=texts)
    def dispute(self, report: int, who: str, reason: str) -> None:
        citizen = self.citizen(report, who)
        self.attempt(partial(report_dispute, report_id=report, citizen=citizen, reason=reason))

    @rule(report=reports, who=citizen_roles, rating=ratings, comment=comments)
    def rate(self, report: int, who: str, rating: int, comment: str) -> None:
        citizen = self.citizen(report, who)
        self.attempt(
            partial(report_rate, report_id=report, citizen=citizen, rating=rating, comment=comment)
        )

    # --- time and the sweeps ----------------------------------------------------------------

    @rule(delay=delays, sweeps=st.sampled_from(["both", "escalate", "autoclose", "none"]))
    def time_passes(self, delay: timedelta, sweeps: str) -> None:
        """The clock moves on, and the scheduler may run the sweeps (each of them twice)."""
        self.clock += delay
        self.frozen.tick(delay)
        if sweeps in ("both", "escalate"):
            self.escalate_breaches()
        if sweeps in ("both", "autoclose"):
            self.autoclose()

    def deadline_passes(self, due: datetime | None) -> bool:
        """Nobody acts until `due` has passed; then the scheduler runs the sweeps."""
        assert due is not None
        if self.clock <= due:
            delay = due - self.clock + timedelta(minutes=1)
            self.clock += delay
            self.frozen.tick(delay)
        self.escalate_breaches()
        self.autoclose()
        return True

    def escalate_breaches(self) -> None:
        versions_before = dict(Report.objects.values_list("pk", "version"))
        with sweep_log() as records:
            escalated = sla_escalate_breaches().total
            self.world.outcomes["sla_escalate_breaches"].add("ok" if escalated else "idle")
            assert dict(Report.objects.values_list("pk", "version")) == versions_before
            after = world_snapshot()
            assert sla_escalate_breaches().total == 0, "a breach was escalated twice"
        assert world_snapshot() == after, "the second escalation sweep changed something"
        assert records == [], "a sweep item failed"

    def autoclose(self) -> None:
        with sweep_log() as records:
            closed = sla_autoclose()
            self.world.outcomes["sla_autoclose"].add("ok" if closed else "idle")
            after = world_snapshot()
            assert sla_autoclose() == 0, "a report was closed twice"
        assert world_snapshot() == after, "the second auto-close sweep changed something"
        assert records == [], "an auto-close item failed or was skipped"

    # --- the invariants ----------------------------------------------------------------------

    @invariant()
    def consistent(self) -> None:
        state = State.load()
        assert set(state.reports) == set(self.report_ids)
        for pk, report in state.reports.items():
            self.world.reached.add(report.status)
            _check_report(report, state.events[pk])
            _check_timeline(report, state.events[pk], self.seen.get(pk))
            _check_marks(report, state.events[pk], self.seen.get(pk))
            _check_dispositions(report, state.dispositions[pk], state.events[pk])
            _check_merges(report, state)
            self.seen[pk] = _seen(report, state.events[pk])
        self._check_disposition_history(state)
        self._check_outbox(state)

    def _check_disposition_history(self, state: State) -> None:
        for rows in state.dispositions.values():
            for d in rows:
                seen = self.seen_dispositions.get(d.pk)
                if seen is not None:
                    breached_at, due_at, first_response_at = seen
                    if breached_at is not None and d.breached_at != breached_at:
                        # Reset only together with a fresh deadline (work resumed after it).
                        assert d.breached_at is None, d
                        assert d.due_at != due_at, d
                    if first_response_at is not None:
                        assert d.first_response_at == first_response_at, d
                self.seen_dispositions[d.pk] = (d.breached_at, d.due_at, d.first_response_at)

    def _check_outbox(self, state: State) -> None:
        officers_by_id = {u.pk: u for u in self.world.officers.values()}
        for message in state.messages:
            key = message.dedupe_key
            assert key.startswith("report:"), key
            report = state.reports[int(key.split(":")[1])]
            assert message.reference == f"report:{report.tracking_number}", key
            assert report.tracking_number in message.text, key
            *_, role, recipient_id = key.split(":")
            if role == "officer":
                officer = officers_by_id[int(recipient_id)]
                assert message.recipient_phone == officer.phone, key
                if report.is_anonymous:
                    assert report.reporter is not None
                    assert report.reporter.phone not in message.text, key  # type: ignore[operator]
                    assert report.reporter.name not in message.text, key
                if message.pk not in self.seen_messages:
                    # Told only about reports they can open.
                    assert sees(officer, report.pk), key
            else:
                # A resident hears only about reports they filed or follow.
                citizen_id = int(recipient_id)
                assert citizen_id in state.residents(report), key
                assert message.recipient_phone == self.phones[citizen_id], key
            self.seen_messages.add(message.pk)


@contextmanager
def sweep_log() -> Iterator[list[logging.LogRecord]]:
    """Records of sweep items that failed (logged, not raised) or were skipped."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR or "skipped" in record.getMessage():
                records.append(record)

    handler = Collect(level=logging.INFO)
    sweep_logger = logging.getLogger("telepati.reports.services.sla")
    level = sweep_logger.level
    sweep_logger.addHandler(handler)
    sweep_logger.setLevel(logging.INFO)
    try:
        yield records
    finally:
        sweep_logger.removeHandler(handler)
        sweep_logger.setLevel(level)


# --- The state of the database after a step, read in a few queries ----------------------


class Event(NamedTuple):
    """One timeline row, as the checks read it."""

    pk: int
    kind: str
    action: str
    source: str  # from_status
    target: str  # to_status: set when the event records the report's (new) state
    at: datetime
    data: dict[str, Any]
    actor_id: int | None
    actor_citizen_id: int | None
    is_public: bool


@dataclass
class State:
    reports: dict[int, Report]
    events: dict[int, list[Event]]
    dispositions: dict[int, list[Disposition]]
    followers: dict[int, set[int]]
    messages: list[OutboundMessage]

    @classmethod
    def load(cls) -> State:
        events: dict[int, list[Event]] = defaultdict(list)
        columns = ("pk", "kind", "action", "from_status", "to_status", "created_at", "data")
        columns += ("actor_id", "actor_citizen_id", "is_public")  # type: ignore[assignment]
        for report_id, *row in ReportEvent.objects.order_by("pk").values_list(
            "report_id", *columns
        ):
            events[report_id].append(Event(*row))
        dispositions: dict[int, list[Disposition]] = defaultdict(list)
        for d in Disposition.objects.select_related("unit").order_by("pk"):
            dispositions[d.report_id].append(d)
        followers: dict[int, set[int]] = defaultdict(set)
        for row in ReportFollower.objects.select_related("source_report"):
            assert row.source_report is not None
            # Followers come only from a duplicate merged into this report.
            assert row.source_report.merged_into_id == row.report_id, row
            followers[row.report_id].add(row.citizen_id)
        return cls(
            reports={r.pk: r for r in Report.objects.select_related("reporter").order_by("pk")},
            events=events,
            dispositions=dispositions,
            followers=followers,
            messages=list(OutboundMessage.objects.order_by("pk")),
        )

    def residents(self, report: Report) -> set[int]:
        reporter = {report.reporter_id} if report.reporter_id else set()
        return reporter | self.followers[report.pk]


def _seen(report: Report, events: list[Event]) -> Seen:
    return Seen(
        status=report.status,
        version=report.version,
        events=list(events),
        marks={mark: getattr(report, mark) for mark in MARKS},
        dues={due: getattr(report, due) for due, _kind in MARKS.values()},
        first_response_at=report.first_response_at,
        dispute_until=report.dispute_until,
        rating=(report.rating, report.rated_at),
    )


def _check_report(r: Report, events: list[Event]) -> None:
    """The row's fields agree with its status."""
    status = Status(r.status)
    assert r.version >= 1
    assert r.verification_due_at is not None
    assert (status == Status.MERGED) == (r.merged_into_id is not None), r
    assert (status == Status.REJECTED) == bool(r.rejection_reason), r
    if status == Status.ON_HOLD:
        assert r.hold_reason, r
    assert (status in DONE_STATES) == (r.resolved_at is not None) == (r.dispute_until is not None)
    if r.resolved_at is not None and r.dispute_until is not None:
        assert r.dispute_until > r.resolved_at, r
    assert (status == Status.CLOSED) == (r.closed_at is not None), r
    if r.closed_at is not None and r.resolved_at is not None:
        assert r.closed_at >= r.resolved_at, r
    if status in PAST_VERIFICATION:
        assert r.verified_at is not None, r
        assert r.resolution_due_at is not None, r
    if status in (Status.MERGED, Status.REJECTED):
        assert r.response_due_at is None, r
        assert r.resolution_due_at is None, r
    if r.first_response_at is not None:  # a unit answered, or the desk resolved it
        resolved_once = any(e.action == Action.RESOLVE for e in events)
        assert r.forwarded_at is not None or resolved_once, r
    assert (r.rating is None) == (r.rated_at is None), r
    assert r.rating is None or 1 <= r.rating <= 5, r
    if r.assigned_to is not None:
        assert sees(r.assigned_to, r.pk), "the assignee cannot open the report"


def _check_timeline(r: Report, events: list[Event], seen: Seen | None) -> None:
    """Append-only timeline whose recorded moves replay, through the lifecycle table, to the
    current status; every step that changed the status recorded exactly that one move."""
    first, *moves = [e for e in events if e.target]
    assert (first.kind, first.target) == (EventKind.SUBMITTED, Status.NEW), first
    current = Status.NEW
    for move in moves:
        assert move.source == current, (r, moves)
        assert TRANSITIONS[Action(move.action)][current] == move.target, move
        current = Status(move.target)
    assert current == r.status, (r, moves)
    assert [e.at for e in events] == sorted(e.at for e in events), "timeline out of order"
    if seen is None:
        return
    assert events[: len(seen.events)] == seen.events, "a timeline event changed or vanished"
    assert r.version >= seen.version, "the version went back"
    new = [e for e in events[len(seen.events) :] if e.target]
    assert len(new) <= 1, new
    if r.status != seen.status:
        assert r.version > seen.version
        assert [(e.source, e.target) for e in new] == [(seen.status, r.status)]
    if r.version == seen.version:
        assert new == [], "a state change without a new version"
    for e in new:
        if e.action == Action.DISPUTE:  # only within the window
            assert seen.dispute_until is not None
            assert e.at <= seen.dispute_until, e
        if e.action == Action.CLOSE and e.actor_id is None:  # the system waits it out
            assert seen.dispute_until is not None
            assert e.at > seen.dispute_until, e
    if seen.first_response_at is not None:
        assert r.first_response_at == seen.first_response_at, "the first response moved"
    if seen.rating != (None, None):
        assert (r.rating, r.rated_at) == seen.rating, "a rating changed"
    elif r.rating is not None:
        assert r.status in DONE_STATES, "rated before the report was resolved"
    assert len([e for e in events if e.kind == EventKind.RATING]) == (r.rating is not None)


def _check_marks(r: Report, events: list[Event], seen: Seen | None) -> None:
    """Each breach is escalated exactly once, internally, after its deadline passed; a mark
    is only ever cleared together with a fresh deadline."""
    escalations = [e for e in events if e.kind == EventKind.ESCALATION]
    keys = [
        (e.data["deadline"], e.data.get("disposition_id"), e.data["due_at"]) for e in escalations
    ]
    assert len(keys) == len(set(keys)), f"a deadline escalated twice: {keys}"
    for e in escalations:
        assert not e.is_public, e
        assert datetime.fromisoformat(e.data["due_at"]) < e.at, e
    for mark, (due_field, kind) in MARKS.items():
        at = getattr(r, mark)
        if at is not None:
            (escalation,) = [e for e in escalations if e.data["deadline"] == kind and e.at == at]
            if kind == "verification":  # that clock restarts only with a cleared mark
                assert r.verification_due_at is not None
                assert (
                    escalation.data["due_at"] == r.verification_due_at.astimezone(WIB).isoformat()
                )
        if seen is not None and seen.marks[mark] is not None and at != seen.marks[mark]:
            assert at is None, (mark, r)  # cleared by clarify or reopen, with a new deadline
            assert getattr(r, due_field) != seen.dues[due_field], (mark, r)


def _check_dispositions(r: Report, rows: list[Disposition], events: list[Event]) -> None:
    open_units = [d.unit_id for d in rows if d.status in OPEN_DISPOSITION_STATES]
    assert len(open_units) == len(set(open_units)), "two open dispositions for one unit"
    if open_units:
        assert r.status in (Status.FORWARDED, Status.IN_PROGRESS), (r, rows)
    if r.status == Status.FORWARDED:
        assert open_units, "forwarded, but no unit holds it"
    assert (r.forwarded_at is not None) == bool(rows), r
    for d in rows:
        assert d.unit.kecamatan_id in (None, r.kecamatan_id), "forwarded to another kecamatan"
        assert (d.status == DispositionStatus.DONE) == (d.done_at is not None), d
        if d.status in WORKED:
            assert d.acknowledged_at is not None, d
        if d.status in (DispositionStatus.IN_PROGRESS, DispositionStatus.DONE):
            assert d.first_response_at is not None, d
        if d.status == DispositionStatus.RETURNED:
            assert d.returned_at is not None, d
            assert d.return_reason, d
        if d.breached_at is not None:
            assert d.breached_at > d.due_at, d
            (escalation,) = [
                e
                for e in events
                if e.kind == EventKind.ESCALATION
                and e.data.get("disposition_id") == d.pk
                and e.at == d.breached_at
            ]
            assert escalation.data["due_at"] == d.due_at.astimezone(WIB).isoformat()


def _check_merges(r: Report, state: State) -> None:
    """A merge chain ends at a report that is not merged, in the same kecamatan, and every
    resident of a merged report follows that survivor."""
    if r.merged_into_id is None:
        return
    chain = [r.pk]
    survivor = r
    while survivor.merged_into_id is not None:
        survivor = state.reports[survivor.merged_into_id]
        assert survivor.pk not in chain, f"merge cycle {chain}"
        assert survivor.kecamatan_id == r.kecamatan_id
        chain.append(survivor.pk)
    assert state.residents(r) <= state.residents(survivor), "a merged reporter was lost"
    assert not any(d.status in OPEN_DISPOSITION_STATES for d in state.dispositions[r.pk])


# --- The test ----------------------------------------------------------------------------


def test_no_sequence_of_service_calls_reaches_an_inconsistent_report(world):
    run_state_machine_as_test(
        lambda: ReportLifecycle(world),  # type: ignore[arg-type]
        settings=settings(
            max_examples=50,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,  # the same sequences on every run, in CI too
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    # The run went deep: every state was reached, every service both did its work and
    # refused something, and the sweeps escalated and closed reports.
    assert set(Status.values) - world.reached == set()
    assert {name for name, seen in world.outcomes.items() if "ok" not in seen} == set()
    assert set(world.outcomes) == SERVICES | {"deadline_passes"}
    assert {name for name in SERVICES if world.outcomes[name] == {"ok"}} == set()
