"""Reads whose window threads wait nearly always lose nothing and checkpoint the same.

components.py bounds the pages decoded at once over all window threads (PAGE_SLOTS), and
read_ahead.py the records handed to the CDK but not yet written. With one slot, or with
tickets for a handful of records, the threads take turns: the records and the states must
still be those of a read with room to spare. A ticket comes back only when the CDK has written
its chunk's last record and let it go; were the CDK to keep written records, the bound would end
with a warning after `WAIT_S`: no read here may meet it.
"""

import datetime

import pytest

from airbyte_cdk.models import Level

from source_linkedin_learning import components, read_ahead

from integration_tests.harness import SIM_TODAY, STREAMS, config_for, expected_keys, records_by_key, run_read, state_value

FIRST_DAY = SIM_TODAY - datetime.timedelta(days=6)


def _sync(simulator, monkeypatch, pages=16, ahead=100_000, chunk=100):
    monkeypatch.setattr(components, "PAGE_SLOTS", components.PageSlots(pages))
    monkeypatch.setattr(read_ahead, "AHEAD", ahead)
    monkeypatch.setattr(read_ahead, "CHUNK", chunk)
    monkeypatch.setattr(read_ahead, "WAIT_S", 60.0)  # a stall would show as the warning, not pass unseen
    return run_read(config_for(simulator, start_date=FIRST_DAY.isoformat(), page_size=7, num_workers=4))


@pytest.mark.parametrize("pages, ahead, chunk", [(1, 100_000, 100), (16, 5, 1), (2, 12, 3)], ids=["one_page_slot", "five_records_ahead", "twelve_ahead_in_threes"])
def test_a_tightly_bounded_read_yields_every_record_and_the_same_states(simulator, monkeypatch, pages, ahead, chunk):
    roomy = _sync(simulator, monkeypatch)
    tight = _sync(simulator, monkeypatch, pages=pages, ahead=ahead, chunk=chunk)

    table = records_by_key(tight)
    assert len(tight.records) == len(table) == len(roomy.records) > 100  # each record once
    for stream in STREAMS:
        assert {key for (name, key) in table if name == stream} == expected_keys(simulator, stream, FIRST_DAY, SIM_TODAY)
        assert state_value(tight, stream) == state_value(roomy, stream) is not None
    assert not [m for m in tight.logs if m.log.level == Level.WARN and "without a bound" in m.log.message]
