"""A read whose queue of records is full most of the time loses nothing and checkpoints the same.

source.py bounds the CDK's queue between the window threads and the main thread (RECORDS_AHEAD),
and components.py the pages decoded at once (PAGE_SLOTS). With a bound of a record or a few and
one page at a time, the window threads wait nearly always, and the STATE messages that the main
thread emits while the queue is full wait in the CDK's buffer: the records and the states must
still be those of a read with room to spare.
"""

import datetime

import pytest

from source_linkedin_learning import components
from source_linkedin_learning import source as source_module

from integration_tests.harness import SIM_TODAY, STREAMS, config_for, expected_keys, records_by_key, run_read, state_value

FIRST_DAY = SIM_TODAY - datetime.timedelta(days=6)


def _sync(simulator, bound, monkeypatch, pages=components.PAGES_AT_ONCE):
    monkeypatch.setattr(source_module, "RECORDS_AHEAD", bound)
    monkeypatch.setattr(components, "PAGE_SLOTS", components.PageSlots(pages))
    return run_read(config_for(simulator, start_date=FIRST_DAY.isoformat(), page_size=7, num_workers=4))


@pytest.mark.parametrize("bound, pages", [(1, 1), (5, 2)])
def test_a_tightly_bounded_read_yields_every_record_and_the_same_states(simulator, monkeypatch, bound, pages):
    roomy = _sync(simulator, 10_000, monkeypatch, pages=16)
    tight = _sync(simulator, bound, monkeypatch, pages=pages)

    table = records_by_key(tight)
    assert len(tight.records) == len(table) == len(roomy.records) > 100  # each record once, far more than the bound
    for stream in STREAMS:
        assert {key for (name, key) in table if name == stream} == expected_keys(simulator, stream, FIRST_DAY, SIM_TODAY)
        assert state_value(tight, stream) == state_value(roomy, stream) is not None
