"""Report streams: the five fixed ones of the manifest and the user's custom reports.

Each stream is the manifest's `report_stream` with `$parameters`; this module adds what comes
from the config (the aligned window range, the step, the `contentSource` as LinkedIn names it)
and the primary key, which is the URNs of the stream's aggregation levels plus `startedAt`. The
catalog streams (`catalog_stream`) get their partitions from the config here too: its locales,
asset types and `include_retired`.
"""

import copy
from typing import Any, Dict, List, Mapping, Optional

from source_linkedin_learning import windows
from source_linkedin_learning.config import Settings

REPORT_STREAM = "#/definitions/report_stream"
CATALOG_STREAM = "#/definitions/catalog_stream"
LEVEL_URN = {"ACCOUNT": "accountUrn", "GROUP": "groupUrn", "INDIVIDUAL": "learnerUrn", "CONTENT": "contentUrn"}


def primary_key(primary: str, secondary: Optional[str]) -> List[str]:
    levels = [primary] + ([secondary] if secondary else [])
    return [LEVEL_URN[level] for level in levels] + ["startedAt"]


def _window_parameters(settings: Settings, granularity: str) -> Dict[str, Any]:
    start, end = windows.range_bounds(settings.start_date, settings.end_date, granularity)
    return {
        "granularity": granularity,
        "step": windows.STEPS[granularity],
        "window_start": str(start),
        "window_end": str(end),
    }


def fixed_stream_names(manifest: Mapping[str, Any]) -> List[str]:
    return [stream["name"] for stream in manifest["streams"]]


def prepare_manifest(manifest: Mapping[str, Any], settings: Settings) -> Dict[str, Any]:
    """The manifest with every stream's parameters complete and one stream per custom report."""
    prepared = copy.deepcopy(dict(manifest))
    prepared["concurrency_level"]["default_concurrency"] = settings.num_workers
    for stream in prepared["streams"]:
        parameters = stream["$parameters"]
        if stream["$ref"] == CATALOG_STREAM:
            parameters["locales"] = list(settings.catalog_locales)
            parameters.setdefault("types", list(settings.catalog_asset_types))  # learning_classifications has its own
            parameters["include_retired"] = "true" if settings.include_retired else "false"
            continue
        parameters.update(_window_parameters(settings, settings.time_granularity))
        parameters["content_source"] = settings.content_source
        stream["primary_key"] = primary_key(parameters["primary"], parameters.get("secondary"))
    for report in settings.custom_reports:
        parameters = {
            "primary": report.primary,
            "secondary": report.secondary,
            "content_source": report.content_source,
            "asset_type": report.asset_type,
            "locale_language": report.locale_language,
            **_window_parameters(settings, report.time_granularity),
        }
        prepared["streams"].append(
            {
                "$ref": REPORT_STREAM,
                "name": report.stream_name,
                "primary_key": primary_key(report.primary, report.secondary),
                "$parameters": {key: value for key, value in parameters.items() if value is not None},
            }
        )
    return prepared


def granularity_by_stream(manifest: Mapping[str, Any]) -> Dict[str, str]:
    """The report window of each report stream."""
    return {stream["name"]: stream["$parameters"]["granularity"] for stream in manifest["streams"] if stream["$ref"] == REPORT_STREAM}


def primary_key_by_stream(manifest: Mapping[str, Any]) -> Dict[str, List[str]]:
    return {stream["name"]: stream.get("primary_key", []) for stream in manifest["streams"]}
