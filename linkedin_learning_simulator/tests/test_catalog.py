"""The catalog (learningAssets, learningClassifications): joins to reports, paging, retirement,
locales, classification paths, permissions, the lastModifiedAfter quirks and changed assets."""
import json
import math
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from linkedin_learning_simulator import Simulator, SimulatorSettings
from linkedin_learning_simulator.catalog import CATALOG_LOCALES
from linkedin_learning_simulator.settings import DAY_MS, HOUR_MS

from .conftest import Client, assert_valid_error, recent_start, window_params

ASSETS = "/v2/learningAssets"
CLASSES = "/v2/learningClassifications"
LINKEDIN_FORMS = ("urn:li:lyndaCourse:", "urn:li:lyndaLearningPath:", "urn:li:lyndaVideo:(urn:li:lyndaCourse:")


@pytest.fixture
def simulator(simulator):  # noqa: F811  some tests move the clock by hours: tokens that outlive that, as live ones do
    simulator.configure(token_lifetime_s=7775999)
    return simulator


def lat(asset_type="COURSE", language="en", country="US", **extra):
    params = {"q": "localeAndType", "assetType": asset_type, "sourceLocale.language": language}
    if country:
        params["sourceLocale.country"] = country
    params.update({k: str(v) for k, v in extra.items()})
    return params


def crit(types=("COURSE",), locales=(("en", "US"),), **extra):
    params = {"q": "criteria"}
    for i, kind in enumerate(types):
        params[f"assetFilteringCriteria.assetTypes[{i}]"] = kind
    for i, (language, country) in enumerate(locales):
        params[f"assetFilteringCriteria.locales[{i}].language"] = language
        if country:
            params[f"assetFilteringCriteria.locales[{i}].country"] = country
    params.update({k: str(v) for k, v in extra.items()})
    return params


def classes(kind="TOPIC", language="en", country="US", **extra):
    return {"q": "localeAndType", "type": kind, "sourceLocale.language": language, "sourceLocale.country": country,
            **{k: str(v) for k, v in extra.items()}}


def every_asset(client, language="en", country="US", retired=True):
    out = {}
    for kind in ("COURSE", "VIDEO", "LEARNING_PATH"):
        for asset in client.all_pages(lat(kind, language, country, includeRetired=str(retired).lower(), count=100),
                                      path=ASSETS):
            assert asset["urn"] not in out
            out[asset["urn"]] = asset
    return out


def reported_content(sim):
    """Every contentDetails a CONTENT report can return over the world's whole time range."""
    out, start = {}, sim._dataset.start_ms
    while start <= sim.watermark_ms:
        for e in sim.report("CONTENT", started_at=start, duration=14):
            out[e["contentDetails"]["contentUrn"]] = e["contentDetails"]
        start += 14 * DAY_MS
    return out


# --- joins -----------------------------------------------------------------------------------------
def test_every_reported_linkedin_learning_urn_is_an_asset_in_en_us_and_in_its_own_locale(client, simulator):
    reported = reported_content(simulator)
    linkedin = {urn: d for urn, d in reported.items() if d["contentProviderName"] == "LinkedIn"}
    custom = {urn: d for urn, d in reported.items() if d["contentProviderName"] != "LinkedIn"}
    assert linkedin and custom
    assert all(urn.startswith(LINKEDIN_FORMS) for urn in linkedin)
    assert {urn.split(":")[2] for urn in linkedin} >= {"lyndaCourse", "lyndaVideo"}
    en_us = every_asset(client)
    assert set(linkedin) <= set(en_us)
    for urn, details in linkedin.items():
        locale = details["locale"]
        own = every_asset(client, locale["language"], locale["country"]) if locale != {"language": "en", "country": "US"} else en_us
        assert own[urn]["title"] == {"value": details["name"], "locale": locale}  # the report's name is the title
        assert locale in own[urn]["details"]["availableLocales"]
    # Custom content keeps its own URN form and has no catalog entry (a left join).
    assert all(urn.startswith("urn:li:learningCustomContent:") for urn in custom)
    assert not set(custom) & set(en_us)


@settings(max_examples=25, deadline=None, database=None)
@given(seed=st.integers(0, 10_000), courses=st.integers(0, 80))
def test_property_every_linkedin_learning_item_is_a_catalog_asset(seed, courses):
    sim = Simulator(SimulatorSettings(seed=seed, courses=courses, learners=1))
    catalog = sim.catalog
    for content in sim._dataset.contents:
        asset = catalog.by_urn.get(content.urn)
        if content.source != "LINKEDIN_LEARNING":
            assert asset is None
            continue
        assert asset is not None and asset.type == content.asset_type
        assert ("en", "US") in asset.locales and (content.language, content.country) in asset.locales
        assert catalog.title(asset, content.language) == content.name
    # Every video named by a course's contents is an asset, and its URN names that course.
    for course in catalog.by_type["COURSE"]:
        for _, videos in course.chapters:
            for video in videos:
                assert catalog.by_urn[video.urn] is video
                assert video.urn.startswith(f"urn:li:lyndaVideo:({course.urn},")


def test_building_the_catalog_leaves_reports_alone():
    kw = dict(started_at=None, duration=14)
    a = Simulator(SimulatorSettings())
    kw["started_at"] = recent_start(a, 14)
    before = a.report("INDIVIDUAL", "CONTENT", **kw)
    a.catalog  # noqa: B018  (builds it)
    a.touch_assets(5)
    assert a.report("INDIVIDUAL", "CONTENT", **kw) == before == Simulator(SimulatorSettings()).report(
        "INDIVIDUAL", "CONTENT", **kw)


def test_same_seed_same_catalog_bytes_other_seed_differs():
    def page(seed):
        with Simulator(SimulatorSettings(seed=seed)) as sim:
            return Client(sim).get(lat("VIDEO", count=50, includeRetired="true"), path=ASSETS).content
    assert page(3) == page(3) != page(4)


# --- record shape ---------------------------------------------------------------------------------
def test_asset_record_shape(client):
    assets = every_asset(client)
    course = next(a for a in assets.values() if a["type"] == "COURSE")
    assert set(course) == {"urn", "type", "title", "details", "contents"}
    d = course["details"]
    assert {"level", "availability", "availableLocales", "publishedAt", "lastUpdatedAt", "timeToComplete",
            "description", "shortDescription", "images", "urls", "classifications", "contributors",
            "relationships"} <= set(d)
    assert d["level"] in ("BEGINNER", "INTERMEDIATE", "ADVANCED")
    assert d["timeToComplete"]["unit"] == "SECOND" and d["timeToComplete"]["duration"] > 0
    assert d["publishedAt"] <= d["lastUpdatedAt"] and d["relationships"] == []
    assert {"webLaunch", "ssoLaunch", "aiccLaunch"} == set(d["urls"])
    author = d["contributors"][0]
    assert author["urn"].startswith("urn:li:lyndaAuthor:") and author["contributionType"] == "AUTHOR"
    # contents (expandDepth 1): chapters with their videos; children carry no details
    chapter = course["contents"][0]["asset"]
    assert chapter["type"] == "CHAPTER" and chapter["urn"].startswith(f"urn:li:lyndaChapter:({course['urn']},")
    video = chapter["contents"][0]["asset"]
    assert set(video) == {"urn", "title", "type", "contents"} and video["type"] == "VIDEO"
    assert video["urn"] in assets and video["contents"] == []
    # the course's duration is the sum of its videos'
    videos = [v["asset"]["urn"] for c in course["contents"] for v in c["asset"]["contents"]]
    assert d["timeToComplete"]["duration"] == sum(assets[v]["details"]["timeToComplete"]["duration"] for v in videos)
    path = next(a for a in assets.values() if a["type"] == "LEARNING_PATH")
    assert path["contents"] and all(c["asset"]["type"] == "COURSE" and c["asset"]["urn"] in assets
                                    for c in path["contents"])


def test_expand_depth(client):
    def first(depth):
        return client.get(lat(expandDepth=depth, count=1), path=ASSETS).json()["elements"][0]["contents"]
    assert all(c["asset"]["contents"] == [] for c in first(0))
    assert all(c["asset"]["contents"] for c in first(1))
    assert first(2) == first(1)  # videos are leaves


def test_get_by_urn(client, simulator):
    reported = next(c for c in simulator._dataset.contents if c.asset_type == "VIDEO" and c.source == "LINKEDIN_LEARNING")
    r = client.get({}, path=f"{ASSETS}/{reported.urn}")
    assert r.status_code == 200 and r.json()["urn"] == reported.urn
    assert r.json()["title"]["locale"] == {"language": reported.language, "country": reported.country}
    r = client.get({"targetLocale.language": "en", "targetLocale.country": "US"}, path=f"{ASSETS}/{reported.urn}")
    assert r.json()["title"]["locale"] == {"language": "en", "country": "US"}
    encoded = reported.urn.replace(":", "%3A").replace("(", "%28").replace(")", "%29").replace(",", "%2C")
    assert client.get({}, path=f"{ASSETS}/{encoded}").json()["urn"] == reported.urn
    course = reported.urn.split("(", 1)[1].split(",")[0]
    chapter = client.get({}, path=f"{ASSETS}/urn:li:lyndaChapter:({course},{int(course.rsplit(':', 1)[1]) * 10})").json()
    assert chapter["type"] == "CHAPTER" and chapter["contents"][0]["asset"]["urn"] == reported.urn
    r = client.get({}, path=f"{ASSETS}/urn:li:lyndaCourse:1")
    assert r.status_code == 404 and r.json()["code"] == "NOT_FOUND"
    skill = client.get({"targetLocale.language": "de", "targetLocale.country": "DE"}, path=f"{CLASSES}/urn:li:skill:52004")
    assert skill.json()["name"] == {"value": "Verhandlung", "locale": {"language": "de", "country": "DE"}}
    assert client.get({}, path=f"{CLASSES}/urn:li:skill:1").status_code == 404


# --- paging ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 3, 7, 100])
def test_pages_are_exact_and_totals_right(client, simulator, count):
    params = lat("VIDEO", includeRetired="true")
    full = simulator.learning_assets("VIDEO", include_retired=True)
    total, seen, start, requests = len(full), [], 0, 0
    assert total > 20
    while True:
        body = client.get(dict(params, start=start, count=count), path=ASSETS).json()
        requests += 1
        paging = body["paging"]
        assert paging["total"] == total and paging["start"] == start
        assert paging["count"] == len(body["elements"]) == min(count, total - start)
        assert body["metadata"] == {}
        seen += body["elements"]
        rels = {link["rel"]: link for link in paging["links"]}
        assert ("prev" in rels) == (start > 0)
        if start + count >= total:
            assert "next" not in rels
            break
        nxt = urlsplit(rels["next"]["href"])
        assert nxt.path == ASSETS and dict(parse_qsl(nxt.query)) == dict(params, start=str(start + count), count=str(count))
        start += count
    assert seen == full and requests == max(1, math.ceil(total / count))


def test_classification_paging_and_empty_pages(client):
    topics = client.all_pages(classes("TOPIC", count=5), path=CLASSES)
    assert len(topics) == 12 and len({t["urn"] for t in topics}) == 12
    body = client.get(classes("TOPIC", start=50), path=CLASSES).json()
    assert body["elements"] == [] and body["paging"]["total"] == 12
    assert [link["rel"] for link in body["paging"]["links"]] == ["prev"]


def test_count_cap_follows_max_count_or_its_own_knob(client, simulator):
    assert client.get(lat(count=100), path=ASSETS).status_code == 200
    assert client.get(lat(count=101), path=ASSETS).status_code == 400
    simulator.configure(max_count=1000)
    assert client.get(lat(count=1000), path=ASSETS).status_code == 200
    simulator.configure(catalog_max_count=100)
    r = client.get(lat(count=101), path=ASSETS)
    assert r.status_code == 400 and "count" in r.json()["message"]
    assert client.get(classes(count=101), path=CLASSES).status_code == 400


# --- retirement -----------------------------------------------------------------------------------
def test_retired_assets_only_with_include_retired(client, simulator):
    for kind in ("COURSE", "VIDEO", "LEARNING_PATH"):
        active = client.all_pages(lat(kind, count=100), path=ASSETS)
        both = client.all_pages(lat(kind, includeRetired="true", count=100), path=ASSETS)
        retired = [a for a in both if a["details"]["availability"] == "RETIRED"]
        assert all(a["details"]["availability"] == "AVAILABLE" and "retiredAt" not in a["details"] for a in active)
        assert [a for a in both if a not in retired] == active
        assert all(a["details"]["lastUpdatedAt"] == a["details"]["retiredAt"] >= a["details"]["publishedAt"]
                   for a in retired)
        if kind != "LEARNING_PATH":
            assert retired, kind
    # A reported item can be retired: it stays joinable with includeRetired=true.
    retired_items = [c for c in simulator._dataset.contents if c.index % 10 == 7 and c.source == "LINKEDIN_LEARNING"]
    assert retired_items
    r = client.get({}, path=f"{ASSETS}/{retired_items[0].urn}")
    assert r.status_code == 404
    r = client.get({"includeRetired": "true"}, path=f"{ASSETS}/{retired_items[0].urn}")
    assert r.json()["details"]["availability"] == "RETIRED"


def test_criteria_returns_active_assets_only_unless_the_knob_says_otherwise(client, simulator):
    retired = crit(("COURSE",), **{"assetRetrievalCriteria.includeRetired": "true", "count": 100})
    urns = [a["urn"] for a in client.all_pages(retired, path=ASSETS)]
    active = [a["urn"] for a in simulator.learning_assets("COURSE")]
    assert urns == active
    simulator.configure(catalog_criteria_retired=True)
    urns = [a["urn"] for a in client.all_pages(retired, path=ASSETS)]
    assert urns == [a["urn"] for a in simulator.learning_assets("COURSE", include_retired=True)] != active


# --- locales --------------------------------------------------------------------------------------
def test_locales_and_localized_titles(client, simulator):
    en = every_asset(client)
    assert all({"language": "en", "country": "US"} in a["details"]["availableLocales"] for a in en.values())
    de = every_asset(client, "de", "DE")
    assert de and set(de) < set(en)
    for urn, asset in de.items():
        assert asset["title"]["locale"] == {"language": "de", "country": "DE"}
        assert asset["title"]["value"] != en[urn]["title"]["value"]
        assert asset["details"]["description"]["locale"] == asset["title"]["locale"]
        for c in asset["details"]["classifications"]:
            assert c["associatedClassification"]["name"]["locale"] == {"language": "de", "country": "DE"}
    # An asset is listed in a locale exactly when that locale is one of its availableLocales.
    for language, country in CATALOG_LOCALES:
        listed = every_asset(client, language, country)
        expected = {u for u, a in en.items() if {"language": language, "country": country} in a["details"]["availableLocales"]}
        assert set(listed) == expected
    assert every_asset(client, "pt", "BR") == {}
    # Country left out (TOT sends none when empty): the language matches any country.
    no_country = client.all_pages(lat("COURSE", "en", None, includeRetired="true", count=100), path=ASSETS)
    assert {a["urn"] for a in no_country} == {u for u, a in en.items() if a["type"] == "COURSE"}


# --- classifications ------------------------------------------------------------------------------
def test_classifications_per_type_and_locale_without_parents(client):
    assert len(all_classifications(client)) == 38


def all_classifications(client) -> dict:
    seen = {}
    for kind, size in (("LIBRARY", 3), ("SUBJECT", 8), ("TOPIC", 12), ("SKILL", 15)):
        rows = client.all_pages(classes(kind, count=100), path=CLASSES)
        assert len(rows) == size and all(r["type"] == kind for r in rows)
        assert all(set(r) == {"urn", "type", "name", "owner"} for r in rows)  # no parent fields
        seen.update({r["urn"]: r for r in rows})
        fr = client.all_pages(classes(kind, "fr", "FR", count=100), path=CLASSES)
        assert [r["urn"] for r in fr] == [r["urn"] for r in rows]
        assert all(r["name"]["locale"] == {"language": "fr", "country": "FR"} for r in fr)
    assert all(u.startswith("urn:li:lyndaCategory:") for u, r in seen.items() if r["type"] != "SKILL")
    assert all(u.startswith("urn:li:skill:") for u, r in seen.items() if r["type"] == "SKILL")
    assert client.all_pages(classes("TOPIC", "pt", "BR"), path=CLASSES) == []
    return seen


def test_asset_classification_paths_follow_topic_subject_library(client):
    known = all_classifications(client)
    parents = {}
    for asset in every_asset(client).values():
        entries = asset["details"]["classifications"]
        by_type = {}
        for entry in entries:
            c = entry["associatedClassification"]
            assert c == known[c["urn"]]  # the same record the classifications endpoint gives
            assert entry["assigner"]["urn"] == "urn:li:organization:1337"
            by_type.setdefault(c["type"], []).append(entry)
            assert [p["type"] for p in entry["path"]] == {"TOPIC": ["SUBJECT", "LIBRARY"], "SUBJECT": ["LIBRARY"],
                                                          "LIBRARY": [], "SKILL": []}[c["type"]]
            assert all(p == known[p["urn"]] for p in entry["path"])
        assert len(by_type["TOPIC"]) == len(by_type["SUBJECT"]) == len(by_type["LIBRARY"]) == 1
        assert 1 <= len(by_type["SKILL"]) <= 2
        topic = by_type["TOPIC"][0]
        assert [p["urn"] for p in topic["path"]] == [by_type["SUBJECT"][0]["associatedClassification"]["urn"],
                                                     by_type["LIBRARY"][0]["associatedClassification"]["urn"]]
        assert by_type["SUBJECT"][0]["path"] == topic["path"][1:]
        # one tree: a topic has one subject, a subject one library, whichever asset says so
        for child, parent in ((topic["associatedClassification"]["urn"], topic["path"][0]["urn"]),
                              (topic["path"][0]["urn"], topic["path"][1]["urn"])):
            assert parents.setdefault(child, parent) == parent


def test_criteria_filters(client, simulator):
    python = "urn:li:lyndaCategory:9301"
    rows = client.all_pages(crit(("COURSE", "LEARNING_PATH"), count=100,
                                 **{"assetFilteringCriteria.classifications[0]": python}), path=ASSETS)
    assert rows and all(any(c["associatedClassification"]["urn"] == python or python in [p["urn"] for p in c["path"]]
                            for c in a["details"]["classifications"]) for a in rows)
    assert {a["type"] for a in rows} <= {"COURSE", "LEARNING_PATH"}
    beginner = client.all_pages(crit(count=100, **{"assetFilteringCriteria.difficultyLevels[0]": "BEGINNER"}), path=ASSETS)
    assert beginner and all(a["details"]["level"] == "BEGINNER" for a in beginner)
    found = client.all_pages(crit(count=100, **{"assetFilteringCriteria.keyword": "essentials"}), path=ASSETS)
    assert found and all("essentials" in a["title"]["value"].lower() for a in found)
    recent = client.get(crit(count=100, **{"assetPresentationCriteria.sortBy": "RECENCY"}), path=ASSETS).json()
    published = [a["details"]["publishedAt"] for a in recent["elements"]]
    assert published == sorted(published, reverse=True)
    assert client.get(crit(**{"assetFilteringCriteria.isCurated": "true"}), path=ASSETS).json()["paging"]["total"] == 0


BAD = [
    ({"q": "nope"}, "q"),
    (lat(assetType="ARTICLE"), "assetType"),
    ({k: v for k, v in lat().items() if k != "assetType"}, "assetType"),
    ({k: v for k, v in lat().items() if k != "sourceLocale.language"}, "sourceLocale.language"),
    (lat(includeRetired="yes"), "includeRetired"),
    (lat(expandDepth="-1"), "expandDepth"),
    (lat(start="-1"), "start"),
    (lat(sortOrder="ASC"), "sortOrder"),
    (crit(("PODCAST",)), "assetTypes"),
    (crit(**{"assetFilteringCriteria.lastModifiedAfter": "yesterday"}), "lastModifiedAfter"),
    (crit(**{"assetFilteringCriteria.difficultyLevels[0]": "EXPERT"}), "difficultyLevels"),
    (crit(**{"assetPresentationCriteria.sortBy": "NEWEST"}), "sortBy"),
    (crit(**{"assetFilteringCriteria.nope[0]": "x"}), "nope"),
]


@pytest.mark.parametrize("params,mentioned", BAD)
def test_bad_catalog_parameters_are_400(client, params, mentioned):
    r = client.get(params, path=ASSETS)
    assert r.status_code == 400
    assert_valid_error(r.json(), 400, "INVALID_PARAMS")
    assert mentioned in r.json()["message"]
    r = client.get(classes("TEAM"), path=CLASSES)
    assert r.status_code == 400 and "type" in r.json()["message"]


# --- permissions, auth, faults, log ---------------------------------------------------------------
def test_catalog_403_without_content_access_while_reports_work(client, simulator):
    report = window_params(recent_start(simulator, 12), 7, "ACCOUNT")
    simulator.configure(catalog_access=False)
    for path, params in ((ASSETS, lat()), (CLASSES, classes()), (f"{ASSETS}/urn:li:lyndaCourse:2000", {})):
        r = client.get(params, path=path)
        assert r.status_code == 403
        assert_valid_error(r.json(), 403, "ACCESS_DENIED")
        assert "permissions" in r.json()["message"]
    assert client.get(report).status_code == 200
    simulator.configure(catalog_access=True, report_access=False)
    assert client.get(report).status_code == 403 and client.get(report).json()["code"] == "ACCESS_DENIED"
    assert client.get(lat(), path=ASSETS).status_code == 200
    simulator.configure(report_access=True, api_access=False)
    assert client.get(lat(), path=ASSETS).status_code == 403 and client.get(report).status_code == 403


def test_catalog_needs_a_valid_token(client, simulator):
    assert client.get(lat(), path=ASSETS, token=None).status_code == 401
    assert client.get(classes(), path=CLASSES, token="nope").status_code == 401
    simulator.configure(reject_tokens=True)
    assert client.get(lat(), path=ASSETS).status_code == 401


def test_faults_hit_catalog_requests(client, simulator):
    full = client.get(lat(count=5), path=ASSETS).content
    simulator.configure(rate_429=1.0, retry_after_s=2)
    r = client.get(lat(), path=ASSETS)
    assert r.status_code == 429 and r.headers["Retry-After"] == "2"
    simulator.configure(rate_429=0.0, rate_5xx=1.0)
    assert {client.get(classes(), path=CLASSES).status_code for _ in range(4)} == {500, 502, 503, 504}
    simulator.configure(rate_5xx=0.0, rate_truncated=1.0)
    r = client.get(lat(count=5), path=ASSETS)
    assert r.status_code == 200 and full.startswith(r.content) and len(r.content) < len(full)
    with pytest.raises(ValueError):
        json.loads(r.content)
    simulator.configure(rate_truncated=0.0)
    assert client.get(lat(count=5), path=ASSETS).content == full
    assert client.session.post(simulator.base_url + ASSETS).status_code == 405


def test_catalog_requests_are_logged(client, simulator):
    client.get_token()
    simulator.clear_requests()
    client.get(lat(count=2), path=ASSETS, headers={"referer": "urn:li:partner:7"})
    client.get(classes(), path=CLASSES)
    a, c = simulator.requests
    assert a["path"] == ASSETS and a["params"] == lat(count=2) and a["status"] == 200
    assert a["referer"] == "urn:li:partner:7" and a["authorization"] is True and a["fault"] is None
    assert c["path"] == CLASSES and c["status"] == 200


# --- incremental: lastModifiedAfter, its quirks, changed assets -----------------------------------
def test_touched_assets_are_what_last_modified_after_returns(client, simulator):
    before = simulator.now_ms
    assert client.get(crit(("COURSE",), **{"assetFilteringCriteria.lastModifiedAfter": before}),
                      path=ASSETS).json()["paging"]["total"] == 0
    simulator.advance(hours=1)
    touched = simulator.touch_assets(3, asset_type="COURSE")
    assert len(set(touched)) == 3
    rows = client.all_pages(crit(("COURSE",), **{"assetFilteringCriteria.lastModifiedAfter": before}), path=ASSETS)
    assert sorted(a["urn"] for a in rows) == sorted(touched)
    assert all(a["details"]["lastUpdatedAt"] == simulator.now_ms for a in rows)
    # the bulk finder shows the same change
    bulk = {a["urn"]: a for a in client.all_pages(lat("COURSE", count=100), path=ASSETS)}
    assert all(bulk[u]["details"]["lastUpdatedAt"] == simulator.now_ms for u in touched)
    # the next touch picks other assets first
    simulator.advance(hours=1)
    again = simulator.touch_assets(2, asset_type="COURSE")
    assert not set(again) & set(touched)


def test_retiring_touch_shows_only_with_include_retired(client, simulator):
    before = simulator.now_ms
    simulator.advance(minutes=5)
    (urn,) = simulator.touch_assets(1, asset_type="COURSE", retire=True)
    changed = crit(("COURSE",), **{"assetFilteringCriteria.lastModifiedAfter": before})
    assert client.get(changed, path=ASSETS).json()["elements"] == []  # criteria: active assets only
    retired = {a["urn"]: a for a in client.all_pages(lat("COURSE", includeRetired="true", count=100), path=ASSETS)}
    assert retired[urn]["details"]["availability"] == "RETIRED"
    assert retired[urn]["details"]["retiredAt"] == simulator.now_ms
    videos = [v["asset"]["urn"] for c in retired[urn]["contents"] for v in c["asset"]["contents"]]
    vids = {a["urn"]: a for a in client.all_pages(lat("VIDEO", includeRetired="true", count=100), path=ASSETS)}
    assert all(vids[v]["details"]["availability"] == "RETIRED" for v in videos)


def test_clock_driven_updates(client, simulator):
    simulator.configure(catalog_updates_per_day=4)
    start = simulator.now_ms
    simulator.advance(hours=1)  # no midnight crossed
    changed = crit(("COURSE", "VIDEO", "LEARNING_PATH"), count=100, **{"assetFilteringCriteria.lastModifiedAfter": start})
    assert client.get(changed, path=ASSETS).json()["paging"]["total"] == 0
    simulator.advance(days=2)
    rows = client.all_pages(changed, path=ASSETS)
    assert len(rows) == 8
    midnights = {(start // DAY_MS + 1) * DAY_MS, (start // DAY_MS + 2) * DAY_MS}
    assert {a["details"]["lastUpdatedAt"] for a in rows} == midnights


@pytest.mark.parametrize("cap", [5, 500])
def test_capped_total_for_last_modified_after(client, simulator, cap):
    simulator.configure(catalog_modified_total=cap)
    simulator.advance(hours=1)
    since = simulator.now_ms - 1
    touched = simulator.touch_assets(8, asset_type="VIDEO")
    params = crit(("VIDEO",), count=3, **{"assetFilteringCriteria.lastModifiedAfter": since})
    served, start, totals = [], 0, set()
    while start < cap:  # a client that trusts the total pages up to it
        body = client.get(dict(params, start=start), path=ASSETS).json()
        totals.add(body["paging"]["total"])
        served += body["elements"]
        if not any(link["rel"] == "next" for link in body["paging"]["links"]):
            break
        start += 3
    assert totals == {cap}  # always the cap, more or fewer
    assert len(served) == min(cap, 8) and {a["urn"] for a in served} <= set(touched)
    if cap > 8:  # misreported: pages past what is served are empty and end the links
        body = client.get(dict(params, start=9), path=ASSETS).json()
        assert body["elements"] == [] and body["paging"]["total"] == cap
    # without lastModifiedAfter the total is the truth
    plain = client.get(crit(("VIDEO",), count=3), path=ASSETS).json()
    assert plain["paging"]["total"] == len(simulator.learning_assets("VIDEO"))


def test_stale_last_modified_after_is_ignored_when_asked(client, simulator):
    simulator.advance(hours=1)
    simulator.touch_assets(2, asset_type="COURSE")
    old = simulator.now_ms - 48 * HOUR_MS
    params = crit(("COURSE",), count=100, **{"assetFilteringCriteria.lastModifiedAfter": old})
    assert client.get(params, path=ASSETS).json()["paging"]["total"] == 2
    simulator.configure(catalog_stale_after_hours=24)
    assert client.get(params, path=ASSETS).json()["paging"]["total"] == len(simulator.learning_assets("COURSE"))
    recent = dict(params, **{"assetFilteringCriteria.lastModifiedAfter": str(simulator.now_ms - HOUR_MS)})
    assert client.get(recent, path=ASSETS).json()["paging"]["total"] == 2


def test_python_api_checks_its_arguments(simulator):
    from linkedin_learning_simulator import ApiError
    with pytest.raises(ApiError):
        simulator.learning_assets("ARTICLE")
    with pytest.raises(ApiError):
        simulator.learning_classifications("TEAM")
    with pytest.raises(ApiError):
        simulator.touch_assets(1, asset_type="BOOK")
    assert simulator.touch_assets(0) == []
    records = simulator.learning_classifications("LIBRARY", "ja", "JP")
    assert [r["name"]["value"] for r in records] == ["ビジネス", "クリエイティブ", "テクノロジー"]
    records[0]["name"]["value"] = "changed"  # a copy
    assert simulator.learning_classifications("LIBRARY", "ja", "JP")[0]["name"]["value"] == "ビジネス"


def test_a_data_knob_rebuilds_the_catalog(simulator):
    simulator.touch_assets(3)
    revision = simulator.catalog.revision
    assert revision == 1
    simulator.configure(courses=40)
    assert simulator.catalog.revision == 0
    assert len(simulator.learning_assets("COURSE", include_retired=True)) > 12


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(1, 30), kind=st.sampled_from(["COURSE", "VIDEO", "LEARNING_PATH"]),
       locale=st.sampled_from(CATALOG_LOCALES), retired=st.booleans())
def test_property_pages_concatenate_to_the_full_list(client, simulator, count, kind, locale, retired):
    params = lat(kind, locale[0], locale[1], includeRetired=str(retired).lower(), count=count)
    pages = client.all_pages(params, path=ASSETS)
    assert pages == simulator.learning_assets(kind, locale[0], locale[1], include_retired=retired)
    assert len({a["urn"] for a in pages}) == len(pages)
