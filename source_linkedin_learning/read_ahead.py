"""How far the window threads may read ahead of the main thread, which writes the records.

The CDK's concurrent engine passes records from the window threads to the main thread through a
queue of 10,000 items that it builds itself, with no setting for its size. The main thread is
the slower side, so the queue fills: 10,000 decoded records, about 50 MB at 1000-row pages, and
a peak that grew by 35% from a read of 100k records to one of 1M (benchmarks/RESULTS.md).

Here the threads take a ticket for every `CHUNK` records they hand over, and a ticket comes back
when the main thread has written the chunk's last record and let it go: a finalizer on that
`Record` (the records of a chunk are written in order, the queue being first in, first out). So
at most `AHEAD` records wait, whatever the CDK's queue holds. A ticket that does not come back
within `WAIT_S` (a CDK that keeps written records) ends the bound for the read, with a warning,
instead of stalling it.
"""

import logging
import threading
import weakref
from typing import Any, Optional

AHEAD = 2000
CHUNK = 100
WAIT_S = 10.0

LOGGER = logging.getLogger("airbyte")


class _Ticket:
    """One chunk's claim; given back once, by its finalizer or by the thread that gave up the chunk."""

    __slots__ = ("_tickets", "_once")

    def __init__(self, tickets: Optional[threading.BoundedSemaphore]) -> None:
        self._tickets = tickets
        self._once = threading.Lock()

    def give_back(self) -> None:
        if self._tickets is not None and self._once.acquire(blocking=False):
            self._tickets.release()


class RecordsAhead:
    """Shared by every stream of a sync."""

    def __init__(self, workers: int) -> None:
        self.chunk = CHUNK
        # A thread holds at most one ticket whose chunk is not finished; with more tickets than
        # threads, a thread that holds a page slot and needs a ticket always gets one back.
        self._tickets: Optional[threading.BoundedSemaphore] = threading.BoundedSemaphore(max(AHEAD // CHUNK, workers + 1))

    def take(self) -> _Ticket:
        tickets = self._tickets
        if tickets is None or tickets.acquire(timeout=WAIT_S):
            return _Ticket(tickets)
        self._tickets = None
        LOGGER.warning(f"No record was written for {WAIT_S:.0f} s: records are now read ahead without a bound on memory.")
        return _Ticket(None)

    @staticmethod
    def after(record: Any, ticket: _Ticket) -> None:
        """Gives `ticket` back once `record` has been written and let go."""
        weakref.finalize(record, ticket.give_back)
