"""learningAssets and learningClassifications: finders, get-by-URN, parameter checks, paging.

Parameters, finders and quirks as LEARNING_CATALOG_NOTES.md gives them; what the notes leave open
is marked "Assumed" below. Pages are rendered once per (world, catalog revision, query, knobs).
"""
from __future__ import annotations

from typing import Optional
from urllib.parse import quote, unquote

from . import taxonomy
from .catalog import CATALOG_TYPES, EN_US, LEVELS, Catalog, catalog_locale
from .errors import ApiError, invalid_params
from .jsonutil import dumps
from .lru import LRU
from .params import bool_param, enum_param, int_param, split_arrays, text_param
from .settings import HOUR_MS, SimulatorSettings

ASSETS_PATH = "/v2/learningAssets"
CLASSIFICATIONS_PATH = "/v2/learningClassifications"
SORTS = ("RELEVANCE", "POPULARITY", "RECENCY")
# `fields` (a projection) is accepted and ignored: the whole record comes back. Assumed harmless,
# since a client must tolerate fields it did not ask for anyway.
_ASSET_LAT = {"q", "assetType", "sourceLocale.language", "sourceLocale.country", "expandDepth", "includeRetired",
              "start", "count", "fields"}
_FILTER = "assetFilteringCriteria."
_ASSET_CRITERIA = {"q", "start", "count", "fields", _FILTER + "lastModifiedAfter", _FILTER + "licensedOnly",
                   _FILTER + "keyword", _FILTER + "isCurated", "assetRetrievalCriteria.includeRetired",
                   "assetRetrievalCriteria.expandDepth", "assetPresentationCriteria.sortBy"}
_ASSET_CRITERIA_ARRAYS = {_FILTER + "assetTypes", _FILTER + "locales", _FILTER + "classifications",
                          _FILTER + "difficultyLevels"}
_ASSET_GET = {"targetLocale.language", "targetLocale.country", "expandDepth", "includeRetired", "fields"}
_CLASS_LAT = {"q", "type", "sourceLocale.language", "sourceLocale.country", "start", "count"}
_CLASS_GET = {"targetLocale.language", "targetLocale.country"}


def not_found(what: str) -> ApiError:
    return ApiError(404, f"No {what}", "NOT_FOUND")


def forbidden(path: str) -> ApiError:
    """403 of an application without the "Content" key. Assumed wording (the notes: status unknown);
    LinkedIn's own 403s read "Not enough permissions to access: <resource>..."."""
    resource = "learningAssets" if path.startswith(ASSETS_PATH) else "learningClassifications"
    return ApiError(403, f"Not enough permissions to access: {resource}.GET.NO_VERSION", "ACCESS_DENIED")


def _check_known(params: dict, known: set, arrays: Optional[dict] = None, known_arrays: frozenset = frozenset()):
    unknown = sorted(set(params) - known)
    unknown += sorted(f"{name}[]" for name in (arrays or {}) if name not in known_arrays)
    if unknown:
        raise invalid_params(f"Unknown parameter(s): {', '.join(unknown)}")


def _paging(settings: SimulatorSettings, params: dict) -> tuple:
    cap = settings.catalog_max_count if settings.catalog_max_count is not None else settings.max_count
    return (int_param(params, "start", default=0, minimum=0),
            int_param(params, "count", default=10, minimum=1, maximum=cap))


def _href(path: str, params: dict) -> str:
    # Relative, parameters sorted, `[0]` left unencoded (as in TOT's fixtures).
    return path + "?" + "&".join(f"{quote(k, safe='.[]')}={quote(v, safe='')}" for k, v in sorted(params.items()))


def _page(path: str, params: dict, rows: list, total: int, start: int, count: int, render) -> dict:
    elements = [render(row) for row in rows[start:start + count]]
    links = []
    if start > 0:
        links.append({"rel": "prev", "href": _href(path, dict(params, start=str(max(0, start - count)), count=str(count))),
                      "type": "application/json"})
    # No next link after an empty page, even when a misreported total says there is more.
    if elements and start + len(elements) < total:
        links.append({"rel": "next", "href": _href(path, dict(params, start=str(start + len(elements)), count=str(count))),
                      "type": "application/json"})
    return {"paging": {"start": start, "count": len(elements), "total": total, "links": links},
            "metadata": {}, "elements": elements}


def _source_locale(params: dict, prefix: str) -> tuple:
    language = text_param(params, prefix + ".language", required=True)
    return language, params.get(prefix + ".country") or None


def _sort_key(kind: str, keyword: Optional[str]):
    if kind == "POPULARITY":
        return lambda row: -row[0].popularity
    if kind == "RECENCY":
        return lambda row: -row[0].published_at
    if keyword:  # RELEVANCE with a keyword: titles starting with it first. Assumed ranking.
        return lambda row: not Catalog.title(row[0], row[1][0]).lower().startswith(keyword.lower())
    return None  # RELEVANCE without a keyword: catalog order


class CatalogEngine:
    def __init__(self, page_cache_mb: int = 64):
        self.pages = LRU(max_items=1024, max_bytes=page_cache_mb * 1024 * 1024)

    def clear(self):
        self.pages.clear()

    def answer(self, ds, settings: SimulatorSettings, path: str, params: dict, now_ms: int) -> bytes:
        """Body of a 200 answer (raises ApiError for 400/404)."""
        catalog = ds.catalog()
        with catalog.lock:  # a touch between the revision and the render would cache a mixed page
            key = (ds.version, catalog.revision, path, tuple(sorted(params.items())), settings.max_count,
                   settings.catalog_max_count, settings.catalog_modified_total, settings.catalog_stale_after_hours,
                   settings.catalog_criteria_retired,
                   now_ms if settings.catalog_stale_after_hours is not None else None)
            body = self.pages.get(key)
            if body is None:
                body = dumps(self._answer(catalog, settings, path, params, now_ms))
                self.pages.put(key, body, size=len(body))
            return body

    def _answer(self, catalog: Catalog, settings, path: str, params: dict, now_ms: int) -> dict:
        if path == ASSETS_PATH:
            q = enum_param(params, "q", ("localeAndType", "criteria"), required=True)
            if q == "localeAndType":
                return self._assets_by_locale(catalog, settings, params)
            return self._assets_by_criteria(catalog, settings, params, now_ms)
        if path == CLASSIFICATIONS_PATH:
            enum_param(params, "q", ("localeAndType",), required=True)
            return self._classifications(catalog, settings, params)
        if path.startswith(ASSETS_PATH + "/"):
            return self._asset(catalog, unquote(path[len(ASSETS_PATH) + 1:]), params)
        if path.startswith(CLASSIFICATIONS_PATH + "/"):
            return self._classification(catalog, unquote(path[len(CLASSIFICATIONS_PATH) + 1:]), params)
        raise not_found(f"resource at {path}")

    # --- learningAssets -------------------------------------------------------------------------
    def _assets_by_locale(self, catalog, settings, params) -> dict:
        """The bulk import: one asset type per call, by source locale; retired assets only with
        includeRetired=true. Assumed: LEARNING_PATH works here too (the notes: unknown)."""
        _check_known(params, _ASSET_LAT)
        kind = enum_param(params, "assetType", CATALOG_TYPES, required=True)
        locale = _source_locale(params, "sourceLocale")
        depth = int_param(params, "expandDepth", default=1, minimum=0)
        retired = bool_param(params, "includeRetired", default=False)
        start, count = _paging(settings, params)
        rows = catalog.assets((kind,), [locale], include_retired=retired)
        return _page(ASSETS_PATH, params, rows, len(rows), start, count,
                     lambda row: catalog.render(row[0], row[1], depth))

    def _assets_by_criteria(self, catalog, settings, params, now_ms) -> dict:
        """Filter and search. Active assets only, as documented (includeRetired is accepted; the
        catalog_criteria_retired knob honours it). Assumed: several assetTypes give their union,
        no assetTypes means every type, no locales means en_US, lastModifiedAfter is strict (>)."""
        scalars, arrays = split_arrays(params)
        _check_known(scalars, _ASSET_CRITERIA, arrays, _ASSET_CRITERIA_ARRAYS)
        types = arrays.get(_FILTER + "assetTypes") or list(CATALOG_TYPES)
        for kind in types:
            if kind not in CATALOG_TYPES:
                raise invalid_params(f"Parameter '{_FILTER}assetTypes' must hold {', '.join(CATALOG_TYPES)}, got '{kind}'")
        locales = []
        for item in arrays.get(_FILTER + "locales", []):
            if not isinstance(item, dict) or not item.get("language") or set(item) - {"language", "country"}:
                raise invalid_params(f"Parameter '{_FILTER}locales' items need a language (and may have a country)")
            locales.append((item["language"], item.get("country") or None))
        levels = arrays.get(_FILTER + "difficultyLevels") or []
        for level in levels:
            if level not in LEVELS:
                raise invalid_params(f"Parameter '{_FILTER}difficultyLevels' must hold {', '.join(LEVELS)}, got '{level}'")
        classifications = arrays.get(_FILTER + "classifications") or []
        if not all(isinstance(urn, str) for urn in classifications):
            raise invalid_params(f"Parameter '{_FILTER}classifications' items are URNs, not objects")
        modified = params.get(_FILTER + "lastModifiedAfter")
        modified_after = int_param(params, _FILTER + "lastModifiedAfter", minimum=0) if modified is not None else None
        bool_param(params, _FILTER + "licensedOnly", default=False)  # every simulated asset is licensed
        curated = bool_param(params, _FILTER + "isCurated", default=False)
        keyword = text_param(params, _FILTER + "keyword")
        retired = bool_param(params, "assetRetrievalCriteria.includeRetired", default=False)
        depth = int_param(params, "assetRetrievalCriteria.expandDepth", default=1, minimum=0)
        sort = enum_param(params, "assetPresentationCriteria.sortBy", SORTS, required=False, default="RELEVANCE")
        start, count = _paging(settings, params)
        effective_after = modified_after
        hours = settings.catalog_stale_after_hours
        if modified_after is not None and hours is not None and modified_after < now_ms - hours * HOUR_MS:
            effective_after = None  # reported: a lastModifiedAfter too far back filters nothing
        rows = [] if curated else catalog.assets(  # no admin has curated anything in this account
            types, locales or [EN_US], include_retired=retired and settings.catalog_criteria_retired,
            modified_after=effective_after, classifications=classifications, levels=levels, keyword=keyword)
        order = _sort_key(sort, keyword)
        if order is not None:
            rows.sort(key=order)  # stable: ties keep catalog order
        total = len(rows)
        cap = settings.catalog_modified_total
        if modified_after is not None and cap is not None:
            rows, total = rows[:cap], cap  # reported: total is always the cap; no more is served
        return _page(ASSETS_PATH, params, rows, total, start, count,
                     lambda row: catalog.render(row[0], row[1], depth))

    def _asset(self, catalog, urn: str, params) -> dict:
        """Get by URN, in targetLocale when the asset has it, else in its source locale."""
        _check_known(params, _ASSET_GET)
        depth = int_param(params, "expandDepth", default=1, minimum=0)
        retired = bool_param(params, "includeRetired", default=False)
        language = text_param(params, "targetLocale.language")
        country = params.get("targetLocale.country") or None
        if urn in catalog.chapters:
            course, _ = catalog.chapters[urn]
            locale = (language and catalog.locale_of(course, language, country)) or course.locales[0]
            return catalog.render_chapter(urn, locale, depth)
        asset = catalog.by_urn.get(urn)
        if asset is None or (asset.retired_at is not None and not retired):
            raise not_found(f"learning asset {urn}")
        locale = (language and catalog.locale_of(asset, language, country)) or asset.locales[0]
        return catalog.render(asset, locale, depth)

    # --- learningClassifications ----------------------------------------------------------------
    def _classifications(self, catalog, settings, params) -> dict:
        _check_known(params, _CLASS_LAT)
        kind = enum_param(params, "type", taxonomy.TYPES, required=True)
        language, country = _source_locale(params, "sourceLocale")
        start, count = _paging(settings, params)
        locale = catalog_locale(language, country)
        rows = catalog.classifications(kind, locale) if locale else []
        return _page(CLASSIFICATIONS_PATH, params, rows, len(rows), start, count, lambda row: row)

    def _classification(self, catalog, urn: str, params) -> dict:
        _check_known(params, _CLASS_GET)
        found = taxonomy.BY_URN.get(urn)
        if found is None:
            raise not_found(f"learning classification {urn}")
        language = text_param(params, "targetLocale.language")
        locale = (language and catalog_locale(language, params.get("targetLocale.country") or None)) or EN_US
        return catalog.classification(found.index, locale)
