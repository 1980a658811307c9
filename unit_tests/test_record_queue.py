"""RecordQueue (source.py) is the stdlib queue with a shorter blocking put and get: the window
threads and the main thread must still hand every item over, in order, never more than `maxsize`
at once, and a thread blocked on a full or an empty queue must be woken."""

import threading
from queue import Empty, Full

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from source_linkedin_learning.source import RecordQueue

JOIN_S = 10  # a deadlock fails the test instead of hanging it


def _run(threads):
    for thread in threads:
        thread.daemon = True  # a thread left blocked by a failure must not keep pytest alive
        thread.start()
    for thread in threads:
        thread.join(JOIN_S)
    assert not any(thread.is_alive() for thread in threads), "a thread stayed blocked"


@settings(max_examples=25, deadline=None)
@given(maxsize=st.integers(min_value=1, max_value=5), producers=st.integers(min_value=1, max_value=4),
       items=st.integers(min_value=0, max_value=300))
def test_every_item_arrives_in_its_producers_order_and_the_bound_holds(maxsize, producers, items):
    queue = RecordQueue(maxsize=maxsize)
    received = []
    most = [0]

    def produce(p):
        for i in range(items):
            queue.put((p, i))

    def consume():
        for _ in range(producers * items):
            most[0] = max(most[0], queue.qsize())
            received.append(queue.get())

    _run([threading.Thread(target=produce, args=(p,)) for p in range(producers)] + [threading.Thread(target=consume)])
    assert sorted(received) == sorted((p, i) for p in range(producers) for i in range(items))
    for p in range(producers):
        assert [i for q, i in received if q == p] == list(range(items))
    assert most[0] <= maxsize
    assert queue.empty() and queue.unfinished_tasks == producers * items


def test_a_consumer_waiting_on_an_empty_queue_is_woken_by_a_put():
    queue = RecordQueue(maxsize=2)
    got = []
    consumer = threading.Thread(target=lambda: got.append(queue.get()), daemon=True)
    consumer.start()
    queue.put("record")
    consumer.join(JOIN_S)
    assert got == ["record"]


def test_calls_that_must_not_block_or_have_a_timeout_are_the_stdlib_ones():
    queue = RecordQueue(maxsize=1)
    with pytest.raises(Empty):
        queue.get(block=False)
    with pytest.raises(Empty):
        queue.get(timeout=0.01)
    queue.put("a")
    with pytest.raises(Full):
        queue.put_nowait("b")  # what the CDK's message repository does from the main thread
    with pytest.raises(Full):
        queue.put("b", timeout=0.01)
    assert queue.get_nowait() == "a"


def test_an_unbounded_queue_never_blocks_a_put():
    queue = RecordQueue()
    for i in range(10_000):
        queue.put(i)
    assert queue.qsize() == 10_000 and [queue.get() for _ in range(3)] == [0, 1, 2]
