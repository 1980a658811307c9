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


class Claim:
    """One place in a `Bound`; given back once, by whichever of its owners comes first."""

    __slots__ = ("_slots", "_once")

    def __init__(self, slots: Optional[threading.BoundedSemaphore]) -> None:
        self._slots = slots
        self._once = threading.Lock()

    def release(self) -> None:
        if self._slots is not None and self._once.acquire(blocking=False):
            self._slots.release()


class Bound:
    """At most `size` places taken at a time, over all window threads. A place that does not come
    back within `wait_s()` ends the bound for the rest of the read, with the warning `stalled`,
    instead of stalling it (the page slots of components.py, the tickets below)."""

    stalled = ""

    def __init__(self, size: int) -> None:
        self._slots: Optional[threading.BoundedSemaphore] = threading.BoundedSemaphore(size)

    def wait_s(self) -> float:
        raise NotImplementedError

    def take(self) -> Claim:
        slots, wait_s = self._slots, self.wait_s()
        if slots is None or slots.acquire(timeout=wait_s):
            return Claim(slots)
        self._slots = None
        LOGGER.warning(self.stalled.format(seconds=wait_s))
        return Claim(None)


class RecordsAhead(Bound):
    """Tickets for records read ahead, shared by every stream of a sync."""

    stalled = "No record was written for {seconds:.0f} s: records are now read ahead without a bound on memory."

    def __init__(self, workers: int) -> None:
        self.chunk = CHUNK
        # A thread holds at most one ticket whose chunk is not finished; with more tickets than
        # threads, a thread that holds a page slot and needs a ticket always gets one back.
        super().__init__(max(AHEAD // CHUNK, workers + 1))

    def wait_s(self) -> float:
        return WAIT_S

    @staticmethod
    def after(record: Any, ticket: Claim) -> None:
        """Gives `ticket` back once `record` has been written and let go."""
        weakref.finalize(record, ticket.release)
