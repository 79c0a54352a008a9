"""What an officer may see, decided from their memberships. Pure: no database access.

An officer holds roles in units (`Membership`). Each active membership grants visibility:

==============  ==========================================================================
role            sees
==============  ==========================================================================
administrator   everything in the kecamatan of their unit
operator        everything in the kecamatan of their unit (the WA Center desk)
leader          camat (unit of the kecamatan): the whole kecamatan;
                lurah (kantor kelurahan): everything located in that kelurahan
staff           matters forwarded to their unit; in a kantor kelurahan also everything
                located in that kelurahan
liaison         only matters forwarded to their unit (an OPD, usually city-level)
courier         nothing area- or unit-based; only rows assigned to them (deliveries)
==============  ==========================================================================

Every non-courier role also sees what is forwarded to its own unit, so an administrator or
leader of a city-level unit (no kecamatan) is treated like a liaison. A superuser sees
everything; an inactive user sees nothing, and so does a user without active memberships.
Nobody sees another kecamatan's data except through a matter forwarded to their own unit.

`scope_build` turns plain membership facts into an `OfficerScope`;
`telepati.accounts.selectors.officer_scope_get` reads them in one query. Models use
`OfficerScope.q` to filter, so the rules above are written only here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from telepati.accounts.capabilities import Capability, roles_with
from telepati.accounts.roles import Role

# `telepati.org.models.UnitKind.KELURAHAN_OFFICE`, repeated here so this module stays free of
# the app registry; a test keeps the two equal.
KELURAHAN_OFFICE = "kelurahan_office"

_KECAMATAN_WIDE_ROLES = frozenset({Role.ADMINISTRATOR, Role.OPERATOR})
_KELURAHAN_WIDE_ROLES = frozenset({Role.LEADER, Role.STAFF})


@dataclass(frozen=True, slots=True)
class Grant:
    """One active membership, reduced to what the scope needs: a role in a unit, and where."""

    role: Role
    unit_id: int
    unit_kind: str
    kecamatan_id: int | None
    kelurahan_id: int | None = None


@dataclass(frozen=True)
class OfficerScope:
    """The rows an officer may see, as sets of ids; build it with `scope_build`.

    - `kecamatan_ids`: every row located in these kecamatan is visible;
    - `kelurahan_ids`: every row located in these kelurahan is visible;
    - `unit_ids`: every matter forwarded to these units is visible;
    - `home_kecamatan_ids`: the kecamatan the officer works in (for reference lists such as
      the units they may forward to — never a grant on operational data by itself);
    - `member_unit_ids`: every unit with an active membership, couriers included.
    """

    user_id: int | None
    is_superuser: bool = False
    grants: tuple[Grant, ...] = ()
    roles: frozenset[Role] = field(default_factory=frozenset)
    kecamatan_ids: frozenset[int] = field(default_factory=frozenset)
    kelurahan_ids: frozenset[int] = field(default_factory=frozenset)
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    home_kecamatan_ids: frozenset[int] = field(default_factory=frozenset)
    member_unit_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        """True when the officer may see nothing at all (inactive, or no active membership)."""
        return not self.is_superuser and not self.grants

    def can(self, capability: Capability) -> bool:
        """Whether any active role of the officer holds `capability` (anywhere)."""
        if self.is_superuser:
            return True
        return not self.roles.isdisjoint(roles_with(capability))

    def can_in(self, capability: Capability, *, kecamatan_id: int | None) -> bool:
        """Whether the officer holds `capability` through a unit of that kecamatan.

        `kecamatan_id=None` stands for city-level rows (e.g. an OPD): only a superuser may act
        on those through a kecamatan-bound capability.
        """
        if self.is_superuser:
            return True
        if kecamatan_id is None:
            return False
        return kecamatan_id in self.kecamatan_ids_for(capability)

    def kecamatan_ids_for(self, capability: Capability) -> frozenset[int]:
        """The kecamatan where the officer holds `capability` through a unit located there."""
        allowed = roles_with(capability)
        return frozenset(
            g.kecamatan_id for g in self.grants if g.role in allowed and g.kecamatan_id is not None
        )

    def q(
        self,
        *,
        kecamatan: str | None = None,
        kelurahan: str | None = None,
        forwarded_unit: str | None = None,
        assigned_user: str | None = None,
    ) -> Q:
        """A filter on a target model: the rows this officer may see.

        Pass the field path, relative to the target model, of each relation it has; leave out
        the ones it lacks. For example, for a report located in a kelurahan and forwarded
        through disposition rows::

            Report.objects.filter(
                scope.q(
                    kecamatan="kecamatan",
                    kelurahan="kelurahan",
                    forwarded_unit="dispositions__unit",
                )
            ).distinct()

        - `kecamatan`: path to the row's `Kecamatan` (e.g. ``"kelurahan__kecamatan"``);
        - `kelurahan`: path to the row's `Kelurahan` (``"pk"`` on Kelurahan itself);
        - `forwarded_unit`: path to the `Unit` the row was forwarded/assigned to, or belongs
          to (``"unit"`` on Membership, ``"pk"`` on Unit);
        - `assigned_user`: path to a `User` the row is assigned to (e.g. a delivery's
          courier); such rows are visible to that user whatever their role.

        The conditions are OR-ed. A path that crosses a to-many relation may repeat rows:
        add ``.distinct()`` (or filter ``pk__in`` a subquery). A superuser gets ``Q()`` (all
        rows); an empty scope, or one with no matching path, gets a Q that matches nothing.
        """
        if self.is_superuser:
            return Q()
        parts: list[Q] = []
        if kecamatan and self.kecamatan_ids:
            parts.append(Q(**{f"{kecamatan}__in": sorted(self.kecamatan_ids)}))
        if kelurahan and self.kelurahan_ids:
            parts.append(Q(**{f"{kelurahan}__in": sorted(self.kelurahan_ids)}))
        if forwarded_unit and self.unit_ids:
            parts.append(Q(**{f"{forwarded_unit}__in": sorted(self.unit_ids)}))
        if assigned_user and self.grants and self.user_id is not None:
            parts.append(Q(**{assigned_user: self.user_id}))
        if not parts:
            return Q(pk__in=[])
        combined = parts[0]
        for part in parts[1:]:
            combined |= part
        return combined


def scope_build(
    *,
    user_id: int | None,
    is_active: bool,
    is_superuser: bool,
    grants: Iterable[Grant],
) -> OfficerScope:
    """Apply the role rules to an officer's active memberships (see the module docstring)."""
    if not is_active or user_id is None:
        return OfficerScope(user_id=user_id)
    grant_tuple = tuple(grants)
    kecamatan_ids: set[int] = set()
    kelurahan_ids: set[int] = set()
    unit_ids: set[int] = set()
    home_kecamatan_ids: set[int] = set()
    for grant in grant_tuple:
        if grant.role == Role.COURIER:
            continue
        unit_ids.add(grant.unit_id)
        if grant.kecamatan_id is not None:
            home_kecamatan_ids.add(grant.kecamatan_id)
        is_kelurahan_office = grant.unit_kind == KELURAHAN_OFFICE
        # The camat's office (any unit of the kecamatan but a kantor kelurahan) sees it all.
        kecamatan_wide = grant.role in _KECAMATAN_WIDE_ROLES or (
            grant.role == Role.LEADER and not is_kelurahan_office
        )
        if kecamatan_wide and grant.kecamatan_id is not None:
            kecamatan_ids.add(grant.kecamatan_id)
        if (
            grant.role in _KELURAHAN_WIDE_ROLES
            and is_kelurahan_office
            and grant.kelurahan_id is not None
        ):
            kelurahan_ids.add(grant.kelurahan_id)
    return OfficerScope(
        user_id=user_id,
        is_superuser=is_superuser,
        grants=grant_tuple,
        roles=frozenset(g.role for g in grant_tuple),
        kecamatan_ids=frozenset(kecamatan_ids),
        kelurahan_ids=frozenset(kelurahan_ids),
        unit_ids=frozenset(unit_ids),
        home_kecamatan_ids=frozenset(home_kecamatan_ids),
        member_unit_ids=frozenset(g.unit_id for g in grant_tuple),
    )
