"""A read whose window threads wait for page slots nearly always loses nothing and checkpoints the same.

components.py bounds the pages decoded at once over all window threads (PAGE_SLOTS). With one
slot and four workers, the threads take turns decoding: the records and the states must still be
those of a read with room to spare.
"""

import datetime

from source_linkedin_learning import components

from integration_tests.harness import SIM_TODAY, STREAMS, config_for, expected_keys, records_by_key, run_read, state_value

FIRST_DAY = SIM_TODAY - datetime.timedelta(days=6)


def _sync(simulator, monkeypatch, pages):
    monkeypatch.setattr(components, "PAGE_SLOTS", components.PageSlots(pages))
    return run_read(config_for(simulator, start_date=FIRST_DAY.isoformat(), page_size=7, num_workers=4))


def test_a_read_with_one_page_slot_yields_every_record_and_the_same_states(simulator, monkeypatch):
    roomy = _sync(simulator, monkeypatch, pages=16)
    tight = _sync(simulator, monkeypatch, pages=1)

    table = records_by_key(tight)
    assert len(tight.records) == len(table) == len(roomy.records) > 100  # each record once
    for stream in STREAMS:
        assert {key for (name, key) in table if name == stream} == expected_keys(simulator, stream, FIRST_DAY, SIM_TODAY)
        assert state_value(tight, stream) == state_value(roomy, stream) is not None
