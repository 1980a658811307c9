"""Data: consistency across aggregation levels, determinism, the watermark and the moving clock."""
from collections import Counter, defaultdict

import pytest

from linkedin_learning_simulator import Simulator, SimulatorSettings
from linkedin_learning_simulator.settings import DAY_MS, HOUR_MS

from .conftest import Client, recent_start, window_params

CONTENT_TYPES = ("VIEWS", "SECONDS_VIEWED", "COMPLETIONS")


def totals(element, types=None) -> Counter:
    out = Counter()
    for a in element["activities"]:
        if a["engagementMetricQualifier"] == "TOTAL" and (types is None or a["engagementType"] in types):
            out[(a["engagementType"], a.get("assetType"))] += a["engagementValue"]
    return out


def summed(elements, types=None) -> Counter:
    out = Counter()
    for e in elements:
        out.update(totals(e, types))
    return out


@pytest.fixture(scope="module")
def sim():
    with Simulator(SimulatorSettings(learners=60, groups=5, courses=15)) as s:
        yield s


WINDOWS = [(10, 1), (12, 7), (20, 14), (3, 5)]  # (days before the watermark's day, duration days)
FILTERS = [{}, {"content_source": "LINKEDIN_LEARNING"}, {"content_source": "CUSTOM_CONTENT"},
           {"asset_type": "COURSE"}, {"locale_language": "en"}]


@pytest.mark.parametrize("back,days", WINDOWS)
@pytest.mark.parametrize("filters", FILTERS)
def test_totals_add_up_across_levels(sim, back, days, filters):
    start = recent_start(sim, back)
    kw = dict(started_at=start, duration=days, **filters)
    account = sim.report("ACCOUNT", **kw)
    individuals = sim.report("INDIVIDUAL", **kw)
    pairs = sim.report("INDIVIDUAL", "CONTENT", **kw)
    contents = sim.report("CONTENT", **kw)
    groups = sim.report("GROUP", **kw)
    assert individuals and pairs and contents, "windows chosen to hold activity"
    assert len(account) == 1
    # account = sum over learners (all TOTAL types, LOGINS included)
    assert totals(account[0]) == summed(individuals)
    # learner = sum over that learner's (learner, content) elements, for content engagements
    by_learner = defaultdict(list)
    for e in pairs:
        by_learner[e["learnerDetails"]["entity"]["learnerUrn"]].append(e)
    for e in individuals:
        urn = e["learnerDetails"]["entity"]["learnerUrn"]
        assert totals(e, CONTENT_TYPES) == summed(by_learner.get(urn, []), CONTENT_TYPES)
    # content report = learner x content summed over learners
    by_content = defaultdict(list)
    for e in pairs:
        by_content[e["learnerDetails"]["entity"]["contentUrn"]].append(e)
    assert {e["learnerDetails"]["entity"]["contentUrn"] for e in contents} == set(by_content)
    for e in contents:
        assert totals(e) == summed(by_content[e["learnerDetails"]["entity"]["contentUrn"]])
    # group = sum over its members
    ind_by_urn = {e["learnerDetails"]["entity"]["learnerUrn"]: e for e in individuals}
    ds = sim._dataset
    for e in groups:
        g = [i for i, (urn, _) in enumerate(ds.groups) if urn == e["learnerDetails"]["entity"]["groupUrn"]][0]
        members = [ind_by_urn[ds.learners[i].urn] for i in ds.members[g] if ds.learners[i].urn in ind_by_urn]
        assert totals(e) == summed(members)
        names = {ds.groups[g][1]}
        assert all(names <= set(m["learnerDetails"]["enterpriseGroups"]) for m in members)
    # UNIQUE at account level = number of learners with that engagement
    uniq = {a["engagementType"]: a["engagementValue"] for a in account[0]["activities"]
            if a["engagementMetricQualifier"] == "UNIQUE"}
    viewers = {e["learnerDetails"]["entity"]["learnerUrn"] for e in individuals if totals(e, ("VIEWS",))}
    assert uniq.get("VIEWS", 0) == len(viewers)


def test_group_content_pair_sums_to_group(sim):
    kw = dict(started_at=recent_start(sim, 12), duration=7)
    groups = sim.report("GROUP", **kw)
    pairs = sim.report("GROUP", "CONTENT", **kw)
    for g in groups:
        urn = g["learnerDetails"]["entity"]["groupUrn"]
        mine = [e for e in pairs if e["learnerDetails"]["entity"]["groupUrn"] == urn]
        assert totals(g, CONTENT_TYPES) == summed(mine, CONTENT_TYPES)


def test_filters_partition_content(sim):
    kw = dict(started_at=recent_start(sim, 12), duration=7)
    all_sources = summed(sim.report("CONTENT", **kw))
    parts = summed(sim.report("CONTENT", content_source="LINKEDIN_LEARNING", **kw))
    parts.update(summed(sim.report("CONTENT", content_source="CUSTOM_CONTENT", **kw)))
    assert all_sources == parts
    course = sim.report("CONTENT", asset_type="COURSE", **kw)
    assert course and all(a.get("assetType") == "COURSE" for e in course for a in e["activities"]
                          if a["engagementMetricQualifier"] == "TOTAL")
    assert all(e["contentDetails"]["locale"]["language"] == "de"
               for e in sim.report("CONTENT", locale_language="de", **kw))


def test_elements_sorted_and_urns_shaped(sim):
    pairs = sim.report("INDIVIDUAL", "CONTENT", started_at=recent_start(sim, 12), duration=7)
    keys = [(e["learnerDetails"]["entity"]["learnerUrn"], e["learnerDetails"]["entity"]["contentUrn"]) for e in pairs]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert all(k[0].startswith("urn:li:learner:") for k in keys)
    prefixes = {k[1].rsplit(":", 1)[0] for k in keys}
    assert "urn:li:lyndaCourse" in prefixes


def test_names_include_non_ascii(sim):
    names = {l.name for l in sim._dataset.learners}
    assert "José Núñez" in names and "李雷" in names


def test_http_pages_equal_report(sim):
    client = Client(sim)
    params = window_params(recent_start(sim, 12), 7, "INDIVIDUAL", "CONTENT", count=7)
    assert client.all_pages(params) == sim.report("INDIVIDUAL", "CONTENT", started_at=int(params["startedAt"]),
                                                  duration=7)


def test_determinism_same_seed_same_bytes_other_seed_differs():
    a, b, c = _page_seed(7), _page_seed(7), _page_seed(8)
    assert a == b
    assert a != c


def _page_seed(seed):
    with Simulator(SimulatorSettings(seed=seed)) as s:
        params = window_params(recent_start(s, 12), 7, "INDIVIDUAL", "CONTENT", count=50)
        return Client(s).get(params).content


def test_no_data_after_the_watermark():
    with Simulator(SimulatorSettings()) as s:
        wm = s.watermark_ms
        for primary, secondary in (("ACCOUNT", None), ("INDIVIDUAL", "CONTENT"), ("CONTENT", None)):
            elements = s.report(primary, secondary, started_at=(wm // DAY_MS - 3) * DAY_MS, duration=10)
            assert elements
            assert max(a["lastEngagedAt"] for e in elements for a in e["activities"]) <= wm
            assert all(e["latestDataAt"] == wm for e in elements)
        assert s.report("ACCOUNT", started_at=wm + 1, duration=5) == []
        assert s.report("ACCOUNT", started_at=(wm // DAY_MS + 1) * DAY_MS, duration=30) == []


def test_advancing_the_clock_fills_the_partial_window():
    with Simulator(SimulatorSettings(now="2024-03-15T12:00:00Z", lag_hours=30)) as s:
        wm = s.watermark_ms  # 2024-03-14T06:00Z: the 14th is partial
        day = (wm // DAY_MS) * DAY_MS
        before = s.report("ACCOUNT", started_at=day, duration=1)
        full_before = s.report("INDIVIDUAL", "CONTENT", started_at=day - 7 * DAY_MS, duration=7)
        s.advance(days=1)
        assert s.watermark_ms == wm + DAY_MS
        after = s.report("ACCOUNT", started_at=day, duration=1)
        assert summed(after)[("LOGINS", None)] > summed(before)[("LOGINS", None)]
        assert after[0]["latestDataAt"] == wm + DAY_MS
        # complete windows keep their facts; only the watermark stamp moves
        full_after = s.report("INDIVIDUAL", "CONTENT", started_at=day - 7 * DAY_MS, duration=7)
        strip = lambda es: [{k: v for k, v in e.items() if k != "latestDataAt"} for e in es]
        assert strip(full_before) == strip(full_after)
        s.advance(hours=6)
        assert s.watermark_ms == wm + DAY_MS + 6 * HOUR_MS


def test_data_before_the_first_day_is_empty():
    with Simulator(SimulatorSettings(days=5)) as s:
        first = s._dataset.start_ms
        assert s.report("ACCOUNT", started_at=first - 10 * DAY_MS, duration=10) == []
        assert s.report("ACCOUNT", started_at=first, duration=1)


def test_configure_data_knob_rebuilds():
    with Simulator(SimulatorSettings(learners=10)) as s:
        kw = dict(started_at=recent_start(s, 10), duration=7)
        small = s.report("INDIVIDUAL", **kw)
        s.configure(learners=50)
        big = s.report("INDIVIDUAL", **kw)
        assert len(big) > len(small)
        with pytest.raises(TypeError):
            s.configure(no_such_knob=1)
