"""learningActivityReports: parameter checks, window aggregation, element rendering, paging."""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from typing import Optional
from urllib.parse import quote

from .data import ACCOUNT_URN, Dataset
from .gcpause import gc_paused
from .errors import internal_error, invalid_aggregation, invalid_params
from .jsonutil import dumps
from .lru import LRU
from .params import enum_param as _enum, int_param as _int
from .settings import DAY_MS, SimulatorSettings, add_months_ms

PATH = "/v2/learningActivityReports"
LEVELS = ("ACCOUNT", "GROUP", "INDIVIDUAL", "CONTENT")
UNITS = ("DAY", "WEEK", "MONTH")
# The contract's three values plus the live service's (REAL_SERVICE_NOTES.md): ORGANIZATION is the
# live name of the contract's CUSTOM_CONTENT (admin-made content), THIRD_PARTY is content of
# third-party providers, which CUSTOM_CONTENT does not include.
SOURCES = ("ALL_SOURCES", "LINKEDIN_LEARNING", "CUSTOM_CONTENT", "ORGANIZATION", "THIRD_PARTY")
SOURCE_ALIASES = {"ORGANIZATION": "CUSTOM_CONTENT"}
ASSET_TYPES = ("VIDEO", "ARTICLE", "AUDIO", "BOOK", "LEARNING_COLLECTION", "COURSE", "DOCUMENT",
               "EVENT", "LEARNING_PATH")
ENGAGEMENTS = ("LOGINS", "VIEWS", "SECONDS_VIEWED", "COMPLETIONS")
EXTRA_ENGAGEMENTS = ("MARKED_AS_DONE",)
KNOWN_PARAMS = {"q", "start", "count", "startedAt", "timeOffset.unit", "timeOffset.duration",
                "aggregationCriteria.primary", "aggregationCriteria.secondary", "contentSource",
                "assetType", "locale.language"}
_ORDER = {name: i for i, name in enumerate(ENGAGEMENTS + EXTRA_ENGAGEMENTS)}
_ASSET_ORDER = {name: i for i, name in enumerate(ASSET_TYPES)}

with open(os.path.join(os.path.dirname(__file__), "contract_example.json"), "rb") as _f:
    CONTRACT_EXAMPLE = json.loads(_f.read())
CONTRACT_EXAMPLE_BYTES = dumps(CONTRACT_EXAMPLE)
# The contract's documented sample request, answered with the contract's example body verbatim.
EXAMPLE_PARAMS = {"q": "criteria", "count": "1", "startedAt": "1627267600000", "timeOffset.unit": "DAY",
                  "timeOffset.duration": "7", "aggregationCriteria.primary": "ACCOUNT",
                  "contentSource": "ALL_SOURCES"}


@dataclass(frozen=True)
class Query:
    """A validated window query (paging excluded): the key of one full, ordered element list."""
    levels: tuple
    started_at: int
    unit: str
    duration: int
    content_source: str = "ALL_SOURCES"
    asset_type: Optional[str] = None
    locale_language: Optional[str] = None

    @property
    def end(self) -> int:
        if self.unit == "MONTH":
            return add_months_ms(self.started_at, self.duration)
        return self.started_at + self.duration * (7 if self.unit == "WEEK" else 1) * DAY_MS

    @property
    def is_example(self) -> bool:
        return (self.levels == ("ACCOUNT",) and self.started_at == 1627267600000 and self.unit == "DAY"
                and self.duration == 7 and self.content_source == "ALL_SOURCES"
                and self.asset_type is None and self.locale_language is None)


def make_query(settings: SimulatorSettings, primary, secondary=None, started_at=None, unit="DAY",
               duration=1, content_source="ALL_SOURCES", asset_type=None, locale_language=None) -> Query:
    """Check the window/filter parameters (already typed) the way the HTTP handler does."""
    if primary not in LEVELS:
        raise invalid_aggregation(f"primary must be one of {', '.join(LEVELS)}, got '{primary}'")
    if secondary is not None:
        if secondary not in LEVELS:
            raise invalid_aggregation(f"secondary must be one of {', '.join(LEVELS)}, got '{secondary}'")
        if secondary == primary:
            raise invalid_aggregation("secondary must differ from primary")
    if not isinstance(started_at, int) or isinstance(started_at, bool) or started_at < 0:
        raise invalid_params(f"Parameter 'startedAt' must be an integer >= 0, got {started_at!r}")
    if unit not in UNITS:
        raise invalid_params(f"Parameter 'timeOffset.unit' must be one of {', '.join(UNITS)}, got '{unit}'")
    if not isinstance(duration, int) or isinstance(duration, bool) or duration < 1:
        raise invalid_params(f"Parameter 'timeOffset.duration' must be an integer >= 1, got {duration!r}")
    if content_source not in SOURCES:
        raise invalid_params(f"Parameter 'contentSource' must be one of {', '.join(SOURCES)}, got '{content_source}'")
    if asset_type is not None and asset_type not in ASSET_TYPES:
        raise invalid_params(f"Parameter 'assetType' must be one of {', '.join(ASSET_TYPES)}, got '{asset_type}'")
    if locale_language is not None and not str(locale_language).strip():
        raise invalid_params("Parameter 'locale.language' must not be empty")
    query = Query((primary,) if secondary is None else (primary, secondary), started_at, unit, duration,
                  content_source, asset_type, locale_language)
    if settings.max_window_days is not None and query.end - query.started_at > settings.max_window_days * DAY_MS:
        raise internal_error()  # the live service fails this way on windows over its cap
    return query


def parse_params(settings: SimulatorSettings, params: dict) -> tuple:
    """HTTP query (single values) -> (Query, start, count); raises ApiError on anything invalid."""
    unknown = sorted(set(params) - KNOWN_PARAMS)
    if unknown:
        raise invalid_params(f"Unknown parameter(s): {', '.join(unknown)}")
    q = params.get("q")
    if q is None:
        raise invalid_params("Missing required parameter 'q'")
    if q != "criteria":
        raise invalid_params(f"Parameter 'q' must be 'criteria', got '{q}'")
    started_at = _int(params, "startedAt", minimum=0)
    unit = _enum(params, "timeOffset.unit", UNITS, required=True)
    duration = _int(params, "timeOffset.duration", minimum=1)
    count = _int(params, "count", default=10, minimum=1, maximum=settings.max_count)
    start = _int(params, "start", default=0, minimum=0)
    source = _enum(params, "contentSource", SOURCES, required=False, default="ALL_SOURCES")
    asset = _enum(params, "assetType", ASSET_TYPES, required=False)
    primary = params.get("aggregationCriteria.primary")
    if primary is None:
        raise invalid_aggregation("missing required parameter 'aggregationCriteria.primary'")
    query = make_query(settings, primary, params.get("aggregationCriteria.secondary"), started_at, unit,
                       duration, source, asset, params.get("locale.language"))
    return query, start, count


class _Acc:
    """Accumulated facts of one element: TOTAL buckets and, above INDIVIDUAL level, UNIQUE learners."""
    __slots__ = ("tot", "uniq", "days")

    def __init__(self, unique: bool, extras: bool):
        self.tot = {}  # (engagementType, assetType|None) -> [value, first, last]
        self.uniq = {} if unique else None  # engagementType -> [learner set, first, last]
        self.days = set() if extras else None  # (learner, day) pairs for DAYS_ACTIVE


def _bump(table: dict, key, value, ts):
    cell = table.get(key)
    if cell is None:
        table[key] = [value, ts, ts]
    else:
        cell[0] += value
        if ts < cell[1]:
            cell[1] = ts
        if ts > cell[2]:
            cell[2] = ts


def _bump_uniq(table: dict, key, learner, ts):
    cell = table.get(key)
    if cell is None:
        table[key] = [{learner}, ts, ts]
    else:
        cell[0].add(learner)
        if ts < cell[1]:
            cell[1] = ts
        if ts > cell[2]:
            cell[2] = ts


def aggregate(ds: Dataset, query: Query, watermark: int, extras: bool) -> list:
    """All elements of the window as sorted [(sort key, entity key, _Acc)]; facts after the watermark
    are invisible, so the window holding the watermark is partial until the clock moves on."""
    lo = max(query.started_at, ds.start_ms)
    hi = min(query.end, watermark + 1)  # exclusive bound; facts at ts <= watermark are visible
    levels = query.levels
    has_content = "CONTENT" in levels
    unique = "INDIVIDUAL" not in levels
    wanted = SOURCE_ALIASES.get(query.content_source, query.content_source)
    content_ok = [
        (wanted == "ALL_SOURCES" or c.source == wanted)
        and (query.asset_type is None or c.asset_type == query.asset_type)
        and (query.locale_language is None or c.language == query.locale_language)
        for c in ds.contents]
    # Logins belong to no content: they count only when no content filter narrows the report.
    logins_ok = (not has_content and query.content_source == "ALL_SOURCES"
                 and query.asset_type is None and query.locale_language is None)
    groups_of = [learner.groups for learner in ds.learners]
    assets = [c.asset_type for c in ds.contents]
    accs: dict = {}
    if lo < hi:
        for day in range(lo // DAY_MS, (hi - 1) // DAY_MS + 1):
            for fact in ds.day_facts(day):
                i, c, logins, views, secs, comps, ts = fact
                if ts < lo or ts >= hi:
                    continue
                if c < 0:
                    if not logins_ok:
                        continue
                elif not content_ok[c]:
                    continue
                for key in _keys(levels, i, c, groups_of):
                    acc = accs.get(key)
                    if acc is None:
                        acc = accs[key] = _Acc(unique, extras)
                    if c < 0:
                        _bump(acc.tot, ("LOGINS", None), logins, ts)
                        if unique:
                            _bump_uniq(acc.uniq, "LOGINS", i, ts)
                    else:
                        asset = assets[c]
                        tot = acc.tot
                        _bump(tot, ("VIEWS", asset), views, ts)
                        _bump(tot, ("SECONDS_VIEWED", asset), secs, ts)
                        _bump(tot, ("COMPLETIONS", asset), comps, ts)
                        if extras:
                            _bump(tot, ("MARKED_AS_DONE", asset), comps if (i + c) % 3 == 0 else 0, ts)
                        if unique:
                            _bump_uniq(acc.uniq, "VIEWS", i, ts)
                            _bump_uniq(acc.uniq, "SECONDS_VIEWED", i, ts)
                            if comps:
                                _bump_uniq(acc.uniq, "COMPLETIONS", i, ts)
                    if extras:
                        acc.days.add((i, day))
    rows = [(_sort_key(ds, levels, key), key, acc) for key, acc in accs.items()]
    rows.sort(key=lambda row: row[0])
    return rows


def _keys(levels, i, c, groups_of):
    """Entity keys a fact of learner i on content c counts towards (a learner may be in 2 groups)."""
    parts = []
    for level in levels:
        if level == "ACCOUNT":
            parts.append((0,))
        elif level == "GROUP":
            parts.append(groups_of[i])
        elif level == "INDIVIDUAL":
            parts.append((i,))
        else:
            parts.append((c,))
    if len(parts) == 1:
        return [(x,) for x in parts[0]]
    return [(a, b) for a in parts[0] for b in parts[1]]


def _urn(ds: Dataset, level: str, idx: int) -> str:
    if level == "ACCOUNT":
        return ACCOUNT_URN
    if level == "GROUP":
        return ds.groups[idx][0]
    if level == "INDIVIDUAL":
        return ds.learners[idx].urn
    return ds.contents[idx].urn


def _sort_key(ds, levels, key):
    return tuple(_urn(ds, level, idx) for level, idx in zip(levels, key))


def render_element(ds: Dataset, query: Query, key, acc: _Acc, watermark: int, extras: bool) -> dict:
    activities = []
    if acc.uniq is not None:
        for etype in ENGAGEMENTS:
            cell = acc.uniq.get(etype)
            if cell:
                activities.append({"engagementType": etype, "engagementValue": len(cell[0]),
                                   "engagementMetricQualifier": "UNIQUE",
                                   "firstEngagedAt": cell[1], "lastEngagedAt": cell[2]})
    for (etype, asset) in sorted(acc.tot, key=lambda k: (k[1] is not None, _ASSET_ORDER.get(k[1], -1), _ORDER[k[0]])):
        value, first, last = acc.tot[(etype, asset)]
        item = {"engagementType": etype, "engagementValue": value, "engagementMetricQualifier": "TOTAL"}
        if asset is not None:
            item["assetType"] = asset
        item["firstEngagedAt"], item["lastEngagedAt"] = first, last
        activities.append(item)
    entity, details, content = {}, {}, None
    for level, idx in zip(query.levels, key):
        if level == "INDIVIDUAL":
            learner = ds.learners[idx]
            entity["profileUrn" if extras else "learnerUrn"] = learner.profile_urn if extras else learner.urn
            details = {"name": learner.name, "email": learner.email, "uniqueUserId": learner.unique_user_id,
                       "enterpriseGroups": list(learner.group_names),
                       "customAttributes": {k: list(v) for k, v in learner.custom_attributes.items()}}
        elif level == "CONTENT":
            content = ds.contents[idx]
            entity["contentUrn"] = content.urn
        else:
            entity["accountUrn" if level == "ACCOUNT" else "groupUrn"] = _urn(ds, level, idx)
    if extras:
        activities.append(_extra_activity("DAYS_ACTIVE", len(acc.days), acc))
        if content is not None and "INDIVIDUAL" in query.levels:
            secs = sum(v[0] for (t, _), v in acc.tot.items() if t == "SECONDS_VIEWED")
            comps = sum(v[0] for (t, _), v in acc.tot.items() if t == "COMPLETIONS")
            progress = 100 if comps else min(99, secs * 100 // max(1, content.duration_s))
            activities.append(_extra_activity("PROGRESS_PERCENTAGE", progress, acc))
    element = {"latestDataAt": watermark, "activities": activities,
               "learnerDetails": {"entity": entity, **details}}
    if content is not None:
        cd = {"name": content.name, "contentProviderName": content.provider, "contentUrn": content.urn,
              "locale": {"language": content.language, "country": content.country}}
        if extras:
            cd["websiteUrl"] = content.website_url
        element["contentDetails"] = cd
    return element


def _extra_activity(etype: str, value: int, acc: _Acc) -> dict:
    firsts = [v[1] for v in acc.tot.values()]
    lasts = [v[2] for v in acc.tot.values()]
    return {"engagementType": etype, "engagementValue": value, "engagementMetricQualifier": "TOTAL",
            "firstEngagedAt": min(firsts), "lastEngagedAt": max(lasts)}


class ReportEngine:
    """Caches full window aggregations and rendered page bytes, keyed by data version and watermark."""

    def __init__(self, page_cache_mb: int = 256):
        self.windows = LRU(max_items=16, max_bytes=500_000)  # size = element count (~1 KB each)
        self.pages = LRU(max_items=2048, max_bytes=page_cache_mb * 1024 * 1024)
        self._compute = threading.Lock()  # concurrent first reads of one window aggregate it once

    def clear(self):
        self.windows.clear()
        self.pages.clear()

    def rows(self, ds: Dataset, query: Query, watermark: int, extras: bool) -> list:
        key = (ds.version, query, watermark, extras)
        rows = self.windows.get(key)
        if rows is None:
            with self._compute:
                rows = self.windows.get(key)
                if rows is None:
                    with gc_paused():
                        rows = aggregate(ds, query, watermark, extras)
                    self.windows.put(key, rows, size=len(rows))
        return rows

    def elements(self, ds, query, watermark, extras, start=0, stop=None) -> list:
        if query.is_example:
            return list(CONTRACT_EXAMPLE["elements"])[start:stop]
        rows = self.rows(ds, query, watermark, extras)
        with gc_paused():
            return [render_element(ds, query, key, acc, watermark, extras) for _, key, acc in rows[start:stop]]

    def total(self, ds, query, watermark, extras) -> int:
        if query.is_example:
            return len(CONTRACT_EXAMPLE["elements"])
        return len(self.rows(ds, query, watermark, extras))

    def page_bytes(self, ds: Dataset, settings: SimulatorSettings, params: dict, watermark: int) -> bytes:
        """Body of a 200 answer for validated HTTP params; rendered once per (params, data, clock)."""
        extras = settings.live_extras
        cache_key = (ds.version, tuple(sorted(params.items())), watermark, extras, settings.max_count,
                     settings.max_window_days)
        body = self.pages.get(cache_key)
        if body is not None:
            return body
        query, start, count = parse_params(settings, params)
        if params == EXAMPLE_PARAMS or params == {**EXAMPLE_PARAMS, "start": "0"}:
            body = CONTRACT_EXAMPLE_BYTES
        else:
            total = self.total(ds, query, watermark, extras)
            elements = self.elements(ds, query, watermark, extras, start, start + count)
            links = []
            if start + len(elements) < total:
                nxt = dict(params, start=str(start + len(elements)), count=str(count))
                href = PATH + "?" + "&".join(f"{quote(k, safe='.')}={quote(v, safe='')}" for k, v in sorted(nxt.items()))
                links.append({"rel": "next", "href": href, "type": "application/json"})
            body = dumps({"elements": elements,
                          "paging": {"start": start, "count": len(elements), "total": total, "links": links}})
        self.pages.put(cache_key, body, size=len(body))
        return body
