"""Keyset pagination: "rows after this one" as a single row-value comparison.

A page after the row (moment, pk) in the order (field, id) is `(field, id) < (moment, pk)`
(descending) or `>` (ascending). Written as one row value rather than the expanded
`field < moment OR (field = moment AND id < pk)`, it reads the same rows, and SQLite then
uses it as a range of an index on (…, field[, id]); with the OR form SQLite sometimes filtered
an index row by row (hundreds of milliseconds at a million reports). PostgreSQL plans both as
an index range. Row values need SQLite ≥ 3.15 (Django 5.2 needs 3.31).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db.models import BigIntegerField, DateTimeField, F, Func, Q, Value
from django.db.models.lookups import GreaterThan, LessThan


def row_beyond(field: str, *, key: datetime, pk: int, op: Literal["lt", "gt"]) -> Q:
    """``(field, id) < (key, pk)`` (op "lt") or ``>`` (op "gt"), as one comparison."""
    row = Func(F(field), F("pk"), template="(%(expressions)s)", output_field=DateTimeField())
    values = Func(
        Value(key, output_field=DateTimeField()),
        Value(pk, output_field=BigIntegerField()),
        template="(%(expressions)s)",
        output_field=DateTimeField(),
    )
    return Q(LessThan(row, values) if op == "lt" else GreaterThan(row, values))
