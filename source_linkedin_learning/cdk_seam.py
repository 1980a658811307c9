"""Where the connector leans on the CDK beyond what it documents for connectors.

Everything else reaches airbyte-cdk through the manifest, its `Custom*` components and public
classes and methods. The two entries here have no public route in airbyte-cdk 7.x; each is
listed in the README ("Where the connector leans on the CDK") and pinned by
unit_tests/test_cdk_contract.py, so a CDK release that changes one fails a test, not a sync.
"""

import requests

from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.utils.traced_exception import AirbyteTracedException


def message_repository(source: ConcurrentDeclarativeSource) -> MessageRepository:
    """The repository that the source's concurrent engine drains after every record.

    The `WatermarkCursor` emits its STATE messages there, so that each follows the records it
    counts. `ConcurrentDeclarativeSource` builds it in `__init__` and, unlike the sources before
    it, offers no `message_repository` property.
    """
    return source._message_repository  # type: ignore[no-any-return]


def is_exhausted_rate_limit(error: AirbyteTracedException) -> bool:
    """Whether a request's retries ran out on 429.

    The CDK raises that error while handling its backoff exception, whose `response` is the last
    429; the traced error offers neither the status nor the response publicly.
    """
    response = getattr(error.__context__, "response", None)
    return isinstance(response, requests.Response) and response.status_code == 429
