"""contentSource: the contract's values and the live service's (ORGANIZATION, THIRD_PARTY)."""
from collections import Counter

import pytest

from linkedin_learning_simulator import Simulator, SimulatorSettings

from .conftest import Client, assert_valid_page, recent_start, window_params

LIVE = ("ALL_SOURCES", "LINKEDIN_LEARNING", "ORGANIZATION", "THIRD_PARTY")


@pytest.fixture(scope="module")
def sim():
    # 60 items: two of them third-party (every 30th), the other custom ones the organization's.
    with Simulator(SimulatorSettings(learners=80, courses=60)) as s:
        yield s


def totals(elements) -> Counter:
    out = Counter()
    for e in elements:
        for a in e["activities"]:
            if a["engagementMetricQualifier"] == "TOTAL":
                out[(a["engagementType"], a.get("assetType"))] += a["engagementValue"]
    return out


def content_urns(sim, source, **kw):
    return {e["learnerDetails"]["entity"]["contentUrn"] for e in sim.report("CONTENT", content_source=source, **kw)}


@pytest.mark.parametrize("source", LIVE + ("CUSTOM_CONTENT",))
def test_every_value_is_accepted_over_http_with_or_without_live_extras(sim, source):
    client = Client(sim)
    params = window_params(recent_start(sim, 14), 14, "INDIVIDUAL", "CONTENT", count=100, contentSource=source)
    for extras in (False, True):
        sim.configure(live_extras=extras)
        r = client.get(params)
        assert r.status_code == 200, r.text
        if not extras:
            assert_valid_page(r.json())
    sim.configure(live_extras=False)


def test_organization_is_the_contracts_custom_content(sim):
    kw = dict(started_at=recent_start(sim, 28), duration=28)
    for primary, secondary in (("ACCOUNT", None), ("INDIVIDUAL", "CONTENT"), ("GROUP", None)):
        org = sim.report(primary, secondary, content_source="ORGANIZATION", **kw)
        assert org and org == sim.report(primary, secondary, content_source="CUSTOM_CONTENT", **kw)
    providers = {e["contentDetails"]["contentProviderName"]
                 for e in sim.report("CONTENT", content_source="ORGANIZATION", **kw)}
    assert providers == {"Acme Corp Academy"}


def test_third_party_is_its_own_small_set_and_the_sources_partition_all(sim):
    kw = dict(started_at=recent_start(sim, 28), duration=28)
    third = sim.report("CONTENT", content_source="THIRD_PARTY", **kw)
    assert third and {e["contentDetails"]["contentProviderName"] for e in third} <= {"Coursera", "Udemy Business"}
    assert all(e["contentDetails"]["contentUrn"].startswith("urn:li:learningCustomContent:") for e in third)
    sets = {s: content_urns(sim, s, **kw) for s in ("LINKEDIN_LEARNING", "ORGANIZATION", "THIRD_PARTY")}
    assert not sets["ORGANIZATION"] & sets["THIRD_PARTY"] and not sets["LINKEDIN_LEARNING"] & sets["THIRD_PARTY"]
    assert len(sets["THIRD_PARTY"]) < len(sets["ORGANIZATION"]) < len(sets["LINKEDIN_LEARNING"])
    assert set.union(*sets.values()) == content_urns(sim, "ALL_SOURCES", **kw)
    parts = Counter()
    for source in ("LINKEDIN_LEARNING", "ORGANIZATION", "THIRD_PARTY"):
        parts.update(totals(sim.report("ACCOUNT", content_source=source, **kw)))
    everything = totals(sim.report("ACCOUNT", "CONTENT", **kw))  # content only: logins have no source
    assert parts == everything


def test_small_worlds_have_no_third_party_content():
    s = Simulator(SimulatorSettings())
    assert not [c for c in s._dataset.contents if c.source == "THIRD_PARTY"]
    assert s.report("CONTENT", content_source="THIRD_PARTY", started_at=recent_start(s, 14), duration=14) == []


def test_unknown_source_is_still_400(sim):
    r = Client(sim).get(window_params(recent_start(sim, 14), 7, "ACCOUNT", contentSource="CUSTOM"))
    assert r.status_code == 400 and "contentSource" in r.json()["message"]
