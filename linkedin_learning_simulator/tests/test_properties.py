"""Property tests: for random windows and filters the aggregation levels stay consistent."""
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from linkedin_learning_simulator import Simulator, SimulatorSettings
from linkedin_learning_simulator.settings import DAY_MS, HOUR_MS, add_months_ms, to_epoch_ms


@pytest.fixture(scope="module")
def sim():
    return Simulator(SimulatorSettings(learners=30, groups=3, courses=10))  # report() needs no server


def totals(elements, types=None):
    out = Counter()
    for e in elements:
        for a in e["activities"]:
            if a["engagementMetricQualifier"] == "TOTAL" and (types is None or a["engagementType"] in types):
                out[(a["engagementType"], a.get("assetType"))] += a["engagementValue"]
    return out


windows = st.tuples(st.integers(0, 40 * 24), st.integers(1, 20),
                    st.sampled_from(["DAY", "WEEK", "MONTH"]),
                    st.sampled_from([{}, {"content_source": "LINKEDIN_LEARNING"}, {"content_source": "CUSTOM_CONTENT"},
                                     {"asset_type": "VIDEO"}, {"locale_language": "en"}]))


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(windows)
def test_levels_agree(sim, window):
    hours_back, duration, unit, filters = window
    duration = duration if unit == "DAY" else 1 + duration % 2
    start = sim.watermark_ms - hours_back * HOUR_MS
    kw = dict(started_at=start, unit=unit, duration=duration, **filters)
    account = sim.report("ACCOUNT", **kw)
    individuals = sim.report("INDIVIDUAL", **kw)
    pairs = sim.report("INDIVIDUAL", "CONTENT", **kw)
    contents = sim.report("CONTENT", **kw)
    account_content = sim.report("ACCOUNT", "CONTENT", **kw)
    assert len(account) <= 1
    assert totals(account) == totals(individuals)
    content_types = ("VIEWS", "SECONDS_VIEWED", "COMPLETIONS")
    assert totals(individuals, content_types) == totals(pairs) == totals(contents) == totals(account_content)
    end = add_months_ms(start, duration) if unit == "MONTH" else start + duration * (7 if unit == "WEEK" else 1) * DAY_MS
    for e in account + pairs:
        for a in e["activities"]:
            assert start <= a["firstEngagedAt"] <= a["lastEngagedAt"] < end
            assert a["lastEngagedAt"] <= sim.watermark_ms


def test_week_equals_seven_days_and_month_is_calendar(sim):
    start = to_epoch_ms("2024-02-01T00:00:00Z")
    assert sim.report("INDIVIDUAL", started_at=start, unit="WEEK", duration=2) == \
        sim.report("INDIVIDUAL", started_at=start, unit="DAY", duration=14)
    assert sim.report("CONTENT", started_at=start, unit="MONTH", duration=1) == \
        sim.report("CONTENT", started_at=start, unit="DAY", duration=29)  # Feb 2024 has 29 days
    assert add_months_ms(to_epoch_ms("2024-01-31T00:00:00Z"), 1) == to_epoch_ms("2024-02-29T00:00:00Z")
