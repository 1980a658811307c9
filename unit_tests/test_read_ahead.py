"""Records read ahead of the main thread (read_ahead.py): a ticket per chunk, back once the
chunk's last record is let go. These tests read the semaphore's state through `take` with a
short wait, never the clock."""

import gc

import pytest

from airbyte_cdk.sources.types import Record

from source_linkedin_learning import read_ahead
from source_linkedin_learning.read_ahead import RecordsAhead


@pytest.fixture
def two_tickets(monkeypatch):
    monkeypatch.setattr(read_ahead, "AHEAD", 2)
    monkeypatch.setattr(read_ahead, "CHUNK", 1)
    monkeypatch.setattr(read_ahead, "WAIT_S", 0.01)
    return RecordsAhead(workers=1)


def test_a_ticket_comes_back_when_the_chunk_s_last_record_is_let_go(two_tickets, caplog):
    first, second = Record(data={"n": 1}, stream_name="s"), Record(data={"n": 2}, stream_name="s")
    two_tickets.after(first, two_tickets.take())
    two_tickets.after(second, two_tickets.take())
    del first
    gc.collect()
    two_tickets.take()  # the first record's ticket
    assert "without a bound" not in caplog.text
    two_tickets.take()  # none left: the bound ends, with a warning, instead of stalling
    assert "without a bound on memory" in caplog.text
    assert second.data == {"n": 2}


def test_there_are_more_tickets_than_threads_so_a_thread_that_needs_one_always_gets_one(monkeypatch, caplog):
    monkeypatch.setattr(read_ahead, "AHEAD", 2)
    monkeypatch.setattr(read_ahead, "CHUNK", 1)
    monkeypatch.setattr(read_ahead, "WAIT_S", 0.01)
    ahead = RecordsAhead(workers=4)
    tickets = [ahead.take() for _ in range(5)]
    assert "without a bound" not in caplog.text
    tickets[0].release()
    tickets[0].release()  # given back once only
    ahead.take()
    assert "without a bound" not in caplog.text
