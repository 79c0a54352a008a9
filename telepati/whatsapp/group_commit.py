"""Group commit for webhook acknowledgements: concurrent deliveries share one commit.

Each acknowledgement is a promise that the delivery survives a crash, so it waits for its
commit (a WAL flush on PostgreSQL). Under a surge, threaded web workers (gunicorn's
gthread, see `config/gunicorn.conf.py`) receive many deliveries at once; writing each in its
own transaction costs one round of INSERTs and one commit per request, and the database's
per-statement work — not Django — then sets the rate.

`GroupCommit.submit` lets the threads of one process take turns as the *leader*: a thread
adds its item to the pending list; if no leader is writing, it becomes one, takes every
pending item and writes them together with `write` (one transaction of the caller's
choosing); the others wait on a condition until their item has its answer. Items that
arrive while a leader writes are taken by the next leader, chosen among the waiting threads
when the current one finishes — no extra thread, no timer, no waiting for a batch to fill:
with one request at a time (sync workers, tests) every batch is a batch of one, written at
once, exactly as before.

If `write` raises, every item of that batch gets the error (the view answers 503 and Meta
retries each delivery); nothing of the batch is kept, because it was one transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class _Slot(Generic[Item, Result]):
    __slots__ = ("done", "error", "item", "result")

    def __init__(self, item: Item) -> None:
        self.item = item
        self.done = False
        self.result: Result | None = None
        self.error: BaseException | None = None

    def answer(self) -> Result:
        if self.error is not None:
            raise self.error
        assert self.result is not None  # set by the leader before `done`
        return self.result


class GroupCommit(Generic[Item, Result]):
    """Write items submitted concurrently by several threads in shared batches.

    `write(items)` must return one result per item, in order, and either keep all of them
    or none (one transaction)."""

    def __init__(self, write: Callable[[Sequence[Item]], Sequence[Result]], *, max_batch: int):
        self._write = write
        self._max_batch = max_batch
        self._cond = threading.Condition()
        self._pending: list[_Slot[Item, Result]] = []
        self._leading = False

    def submit(self, item: Item) -> Result:
        """Write `item` (with whatever else is pending) and return its result, or raise."""
        slot: _Slot[Item, Result] = _Slot(item)
        with self._cond:
            self._pending.append(slot)
            while not slot.done and self._leading:
                self._cond.wait()
            if slot.done:
                return slot.answer()
            # No leader and our item is still pending: lead this round, oldest items first
            # (ours included even when more than `max_batch` are waiting).
            self._leading = True
            batch = self._pending[: self._max_batch]
            if slot not in batch:
                batch[-1] = slot
            for taken in batch:
                self._pending.remove(taken)
        try:
            self._write_batch(batch)
        finally:
            with self._cond:
                self._leading = False
                self._cond.notify_all()
        return slot.answer()

    def _write_batch(self, batch: list[_Slot[Item, Result]]) -> None:
        try:
            results = self._write([s.item for s in batch])
            if len(results) != len(batch):
                raise RuntimeError("group commit: write returned a wrong number of results")
        except BaseException as exc:
            for s in batch:
                s.error, s.done = exc, True
            return
        for s, result in zip(batch, results, strict=True):
            s.result, s.done = result, True
