"""Where the connector leans on the CDK beyond what it documents for connectors.

Everything else reaches airbyte-cdk through the manifest, its `Custom*` components and public
classes and methods. The two entries here have no public route in airbyte-cdk 7.x; each is
listed in the README ("Where the connector leans on the CDK") and pinned by
unit_tests/test_cdk_contract.py, so a CDK release that changes one fails a test, not a sync.
"""

from typing import Optional

import requests

from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
from airbyte_cdk.sources.message import MessageRepository


def message_repository(source: ConcurrentDeclarativeSource) -> MessageRepository:
    """The repository that the source's concurrent engine drains after every record.

    The `WatermarkCursor` emits its STATE messages there, so that each follows the records it
    counts. `ConcurrentDeclarativeSource` builds it in `__init__` and, unlike the sources before
    it, offers no `message_repository` property.
    """
    return source._message_repository  # type: ignore[no-any-return]


def exhausted_request(error: BaseException) -> Optional[requests.RequestException]:
    """For the error the CDK raises when a request's retries ran out, the exception of its last
    try: its `request`, and its `response` (None when that try failed on the network); None for
    any other error.

    The CDK raises that error while handling its backoff exception, a `requests.HTTPError`; the
    traced error it raises offers neither the status nor the request publicly.
    """
    context = error.__context__
    return context if isinstance(context, requests.RequestException) and context.request is not None else None
