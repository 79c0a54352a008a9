"""Cache backends of TELEPATI: the database cache with an atomic increment, for rate limits.

Django's DatabaseCache increments with a read followed by a write, so two web processes
counting the same key at the same moment can both write the same number and lose an
attempt (django-ratelimit's system check calls it "does not support atomic increment").
`AtomicDatabaseCache` holds the row for the read-modify-write: on PostgreSQL with
SELECT … FOR UPDATE, on SQLite through the IMMEDIATE transaction our settings use (the
writer lock is taken when the transaction begins). Everything else is Django's backend.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


class AtomicDatabaseCache(DatabaseCache):
    """DatabaseCache whose incr/decr cannot lose a concurrent update."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self.cache_model_class._meta.db_table)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)
