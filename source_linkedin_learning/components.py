"""Records and paging of the LinkedIn Learning reports API, the hot path of a read.

Each class subclasses one CDK component and exists for one fact about the service; its
docstring names that fact. Work here is per record or per page, so it is kept to plain dict
operations; each response body is decoded once.
"""

import json
import logging
import threading
import weakref
from dataclasses import InitVar, dataclass
from typing import Any, Dict, Iterable, Iterator, List, Mapping, MutableMapping, Optional, Set, Tuple
from urllib.parse import parse_qsl, urlsplit

import orjson
import requests

from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.offset_increment import OffsetIncrement
from airbyte_cdk.sources.declarative.transformations import RecordTransformation
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.types import Config, Record, StreamSlice, StreamState
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_learning import windows
from source_linkedin_learning.read_ahead import Bound, Claim

LOGGER = logging.getLogger("airbyte")

# Decoded pages that the window threads of a process hold at once. A page of 1000 rows is about
# 5 MB once decoded, so with every window thread holding one, a read's memory would grow with
# `num_workers` and peak whenever their pages happened to arrive together. The threads still
# fetch concurrently: only decoding waits for a slot.
PAGES_AT_ONCE = 2
# A slot that is not given back in this long (a page dropped unread on an error path that keeps
# it alive) must not stall a read: the bound is then dropped for the rest of it, with a warning.
SLOT_WAIT_S = 10.0


class PageSlots(Bound):
    """At most `size` pages of records at a time, over all window threads.

    A window thread takes a slot before it decodes a page and gives it back once the page has
    handed out its last record (see `ReportElementExtractor`), or when the response is dropped
    unread. A thread that holds a slot waits only for the main thread, which takes none, so
    every slot comes back while the read goes on; one that does not within `SLOT_WAIT_S` ends
    the bound, with a warning."""

    stalled = "No page slot came back for {seconds:.0f} s: pages are now decoded without a bound on memory."

    def __init__(self, size: int = PAGES_AT_ONCE) -> None:
        super().__init__(size)

    def wait_s(self) -> float:
        return SLOT_WAIT_S


PAGE_SLOTS = PageSlots()


class _Page:
    """A decoded answer, its `paging.total` once extracted, and its claim on a page slot."""

    __slots__ = ("body", "total", "slot")

    def __init__(self, body: Any) -> None:
        self.body = body
        self.total: Optional[int] = None
        self.slot: Optional[Claim] = None


# Where a decoded page waits between the error handler, the extractor and the paginator, so that
# each response body is decoded once; an entry goes with its response.
_PAGES: "weakref.WeakKeyDictionary[requests.Response, _Page]" = weakref.WeakKeyDictionary()


def _page(response: requests.Response) -> _Page:
    page = _PAGES.get(response)
    if page is None:
        page = _PAGES[response] = _Page(_loads(response.content))
    return page


def _loads(content: bytes) -> Any:
    """orjson, or the standard library for the JSON that orjson refuses but that is valid: a
    lone UTF-16 surrogate such as \\ud800 in a string (a learner's name can hold one). No
    destination can store that character as UTF-8, so it becomes U+FFFD, the replacement
    character."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return _without_lone_surrogates(json.loads(content))


def _without_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(key): _without_lone_surrogates(item) for key, item in value.items()}
    return value


def decoded(response: requests.Response) -> Any:
    """The JSON body of a response, decoded on first use."""
    return _page(response).body


def decoded_page(response: requests.Response) -> Any:
    """`decoded` for a page of records (a 200 answer): decoded in one of the `PAGE_SLOTS`."""
    page = _PAGES.get(response)
    if page is not None:
        return page.body
    slot = PAGE_SLOTS.take()
    try:
        page = _page(response)
    except BaseException:
        slot.release()
        raise
    page.slot = slot
    weakref.finalize(response, slot.release)  # a page dropped unread gives its slot back too
    return page.body


def _handed_out(elements: List[Any], slot: Optional[Claim]) -> Iterator[Any]:
    """The elements of a page in order, each let go by the page as it is handed out, so that a
    record lives only until it is written, not until its whole page is; then the page's slot."""
    try:
        elements.reverse()
        pop = elements.pop
        while elements:
            yield pop()
    finally:
        if slot is not None:
            slot.release()


@dataclass
class ReportElementExtractor(RecordExtractor):
    """The records are the `elements` of a page; `paging.total` is kept for the paginator.

    A page is read once: its `elements` are emptied as its records are handed out, so a read
    holds the records waiting to be written and no more (each window thread would otherwise
    keep a whole page of 1000 decoded records until its last one is written), and the page's
    slot in `PAGE_SLOTS` is given back after its last record."""

    config: Config
    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[Any, Any]]:
        page = _page(response)
        body = page.body
        paging = body.get("paging") or {}
        total = paging.get("total")
        page.total = total if isinstance(total, int) else None
        slot, page.slot = page.slot, None
        elements = body.get("elements") or []
        if type(elements) is list and elements:
            return _handed_out(elements, slot)
        if slot is not None:
            slot.release()
        return elements


# The windows whose wrong `paging.total` was said already (by their request parameters).
_WARNED: Set[Tuple[Tuple[str, str], ...]] = set()
_WARNED_LOCK = threading.Lock()


@dataclass
class PagingTotalIncrement(OffsetIncrement):
    """Stops at `paging.total` when the service gives it, else at a short page: every request
    counts against the daily quota, so none is made for a page that cannot hold data. The
    contract's own example has a `next` link past its total, so `next` links are not followed."""

    def next_page_token(
        self,
        response: requests.Response,
        last_page_size: int,
        last_record: Optional[Record],
        last_page_token_value: Optional[Any] = None,
        page_size_override: Optional[int] = None,
        stream_slice: Optional[StreamSlice] = None,
    ) -> Optional[Any]:
        offset = (last_page_token_value or 0) + last_page_size
        page = _PAGES.get(response)
        total = page.total if page is not None else None
        page_size = page_size_override or self.get_page_size()
        full = last_page_size > 0 and not (page_size and last_page_size < page_size)
        if total is not None and offset > total and full:
            self._contradicted(response, total, offset)
        elif total is not None and offset >= total:
            return None
        return offset if full else None

    @staticmethod
    def _contradicted(response: requests.Response, total: int, offset: int) -> None:
        """More rows than `paging.total` allows: the total is wrong, and only a short page ends the
        window. Said once per window."""
        query = {key: value for key, value in parse_qsl(urlsplit(response.request.url or "").query) if key not in ("start", "count")}
        window = tuple(sorted(query.items()))
        with _WARNED_LOCK:
            if window in _WARNED:
                return
            _WARNED.add(window)
        if "startedAt" in query:
            report = ", ".join(f"{key}={value}" for key, value in sorted(query.items()) if key.startswith("aggregation") and value)
            what = f"the window starting {windows.day_of(query['startedAt'])} ({report})"
        else:  # a catalog request: its finder's parameters say which part of the catalog
            what = f"{urlsplit(response.request.url or '').path.rsplit('/', 1)[-1]} ({', '.join(f'{key}={value}' for key, value in window)})"
        LOGGER.warning(
            f"LinkedIn Learning said paging.total {total} for {what} "
            f"but sent {offset} rows by then: the total is wrong, so the connector reads on until a page is short."
        )


@dataclass
class AddWindowAndUrns(RecordTransformation):
    """Adds the window (`startedAt`, `endedAt`, epoch ms, end exclusive) and lifts the entity
    URNs to the top level. The contract puts URNs in `learnerDetails.entity`; real elements
    carry `contentDetails.contentUrn`, and the live service may send `profileUrn` for a learner."""

    # The window of the last slice seen, as (slice, startedAt, endedAt): a page's records share
    # their slice, so its values are read once a page, not once a record. One tuple, replaced
    # whole, so that concurrent workers never see a slice with another slice's values.
    _window = (None, None, None)

    def transform(
        self,
        record: Dict[str, Any],
        config: Optional[Config] = None,
        stream_state: Optional[StreamState] = None,
        stream_slice: Optional[StreamSlice] = None,
    ) -> None:
        if stream_slice is not None:
            window = self._window
            if window[0] is not stream_slice:
                window = (stream_slice, int(stream_slice["start_time"]), int(stream_slice["end_time"]) + 1)
                self._window = window
            record["startedAt"] = window[1]
            record["endedAt"] = window[2]
        details = record.get("learnerDetails")
        try:
            entity = (details.get("entity") if details else None) or _EMPTY
            content = record.get("contentDetails") or _EMPTY
            get, content_get = entity.get, content.get
        except AttributeError:
            raise _not_an_object(record) from None
        # Only the levels the element has: a key set to None would be dropped when the record
        # is written anyway, as the CDK drops every top-level null.
        value = get("accountUrn")
        if value is not None:
            record["accountUrn"] = value
        value = get("groupUrn")
        if value is not None:
            record["groupUrn"] = value
        value = get("learnerUrn") or get("profileUrn")
        if value is not None:
            record["learnerUrn"] = value
        value = get("contentUrn") or content_get("contentUrn")
        if value is not None:
            record["contentUrn"] = value


_EMPTY: Mapping[str, Any] = {}


def _not_an_object(record: Mapping[str, Any]) -> AirbyteTracedException:
    details = record.get("learnerDetails")
    if not isinstance(details, Mapping):
        field, value = "learnerDetails", details
    elif not isinstance(details.get("entity") or {}, Mapping):
        field, value = "learnerDetails.entity", details.get("entity")
    else:
        field, value = "contentDetails", record.get("contentDetails")
    return AirbyteTracedException(
        message=f"LinkedIn Learning sent a row whose '{field}' is {type(value).__name__} {str(value)[:80]!r}, not an object; "
        "no record of this window was written and the state did not move past it. If it persists, report it to LinkedIn.",
        failure_type=FailureType.system_error,
    )

