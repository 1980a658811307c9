"""What the connector relies on in airbyte-cdk beyond its documented extension points.

Each test names the place in the connector that needs it; if a CDK upgrade changes one of these,
the test fails here, with the reason, before a sync goes wrong. The one behaviour relied on that
no attribute shows, the final rate-limit error raised while handling the last 429 response
(streams.py), is proven by unit_tests/test_docs.py::test_a_permanent_rate_limit_is_explained.
"""

import inspect

from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor
from airbyte_cdk.sources.streams.concurrent.default_stream import DefaultStream
from airbyte_cdk.sources.streams.http.requests_native_auth.abstract_oauth import AbstractOauth2Authenticator

from source_linkedin_learning import SourceLinkedinLearning
from source_linkedin_learning.cursor import WatermarkCursor

from unit_tests.mock_server.config import ConfigBuilder


def test_the_source_keeps_the_message_repository_its_concurrent_source_drains():
    """source.py hands `_message_repository` to every WatermarkCursor: its STATE messages must
    reach the same queue as the records, or checkpoints would be lost or out of order."""
    source = SourceLinkedinLearning(config=ConfigBuilder().build())
    assert isinstance(source._message_repository, MessageRepository)
    assert source._message_repository is source._constructor.get_message_repository()


def test_default_stream_still_takes_a_cursor_and_a_partition_generator():
    """streams.py builds a DefaultStream around the declarative stream's partitions."""
    parameters = inspect.signature(DefaultStream.__init__).parameters
    assert {"partition_generator", "name", "json_schema", "primary_key", "cursor_field", "logger", "cursor"} <= set(parameters)
    assert not [name for name in Cursor.__abstractmethods__ if not hasattr(WatermarkCursor, name)]


def test_every_stream_the_source_builds_uses_the_watermark_cursor():
    source = SourceLinkedinLearning(config=ConfigBuilder().build())
    streams = source.streams(source._config)
    assert streams and all(isinstance(stream.cursor, WatermarkCursor) for stream in streams)


def test_the_oauth_base_class_still_has_the_lock_and_token_lookup_auth_py_uses():
    """auth.py shares one token between streams under the class-level refresh lock."""
    assert hasattr(AbstractOauth2Authenticator, "_token_refresh_lock")
    assert callable(getattr(AbstractOauth2Authenticator, "_current_access_token_or_none", None))
