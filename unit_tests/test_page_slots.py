"""At most PAGES_AT_ONCE decoded pages at a time, and every slot comes back (components.py).

A decoded page of 1000 rows is about 5 MB; the slots keep a read's memory from growing with
`num_workers`. These tests read the semaphore's state directly (a free slot can be taken at once
or not), never the clock.
"""

import json

import pytest
import requests

from source_linkedin_learning import components
from source_linkedin_learning.components import PageSlots, ReportElementExtractor, decoded_page


def _page(rows: int = 3, body: bytes = b"") -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    elements = [{"latestDataAt": 1, "learnerDetails": {"entity": {"learnerUrn": f"urn:li:learner:{n}"}}} for n in range(rows)]
    response._content = body or json.dumps({"elements": elements, "paging": {"start": 0, "count": 10, "total": rows}}).encode()
    return response


@pytest.fixture
def one_slot(monkeypatch):
    slots = PageSlots(1)
    monkeypatch.setattr(components, "PAGE_SLOTS", slots)
    return slots


def _free(slots: PageSlots) -> bool:
    """Whether a slot is free, leaving it free."""
    if slots._slots.acquire(blocking=False):
        slots._slots.release()
        return True
    return False


def _records(response: requests.Response):
    return ReportElementExtractor(config={}, parameters={}).extract_records(response)


def test_a_page_holds_its_slot_until_its_last_record_is_handed_out(one_slot):
    response = _page(rows=3)
    decoded_page(response)
    assert not _free(one_slot)
    records = iter(_records(response))
    next(records), next(records), next(records)
    assert not _free(one_slot)  # the last record is out, but the page is not done with yet
    assert list(records) == []
    assert _free(one_slot)


def test_a_page_given_up_early_gives_its_slot_back(one_slot):
    """What check does: read the first record of a page and stop."""
    response = _page(rows=3)
    decoded_page(response)
    records = iter(_records(response))
    next(records)
    records.close()
    assert _free(one_slot)


def test_a_page_dropped_unread_gives_its_slot_back(one_slot):
    response = _page(rows=3)
    decoded_page(response)
    assert not _free(one_slot)
    del response
    assert _free(one_slot)


def test_an_empty_page_and_an_incomplete_one_give_their_slots_back(one_slot):
    empty = _page(rows=0)
    decoded_page(empty)
    assert list(_records(empty)) == []
    assert _free(one_slot)
    with pytest.raises(ValueError):
        decoded_page(_page(body=b'{"elements": [{"latestDataAt": 1'))
    assert _free(one_slot)


def test_a_page_decoded_twice_takes_one_slot(monkeypatch):
    slots = PageSlots(2)
    monkeypatch.setattr(components, "PAGE_SLOTS", slots)
    response = _page(rows=2)
    decoded_page(response)
    decoded_page(response)
    assert _free(slots)  # one of the two is still free
    list(_records(response))
    assert slots._slots.acquire(blocking=False) and slots._slots.acquire(blocking=False)


def test_a_slot_never_given_back_ends_the_bound_with_a_warning_instead_of_stalling_the_read(one_slot, monkeypatch, caplog):
    monkeypatch.setattr(components, "SLOT_WAIT_S", 0.01)
    held = one_slot.take()
    extra = one_slot.take()  # no slot is free: after the wait, decoded without one
    assert "without a bound on memory" in caplog.text
    extra.release()  # gives back nothing
    assert one_slot.take() is not None and one_slot.take() is not None  # no more waiting
    held.release()
    held.release()  # given back once only
