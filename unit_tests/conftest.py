"""Shared fixtures of the unit tests."""

import pytest

from source_linkedin_learning.auth import LinkedInLearningOAuthAuthenticator


@pytest.fixture(autouse=True)
def clear_cached_tokens():
    """The OAuth token is cached at class level, shared by every source in the process: each
    test must ask for its own token."""
    LinkedInLearningOAuthAuthenticator._tokens.clear()
    yield
    LinkedInLearningOAuthAuthenticator._tokens.clear()


@pytest.fixture
def http_mocker():
    """An `HttpMocker` for the whole test, with the checks its decorator form makes: an
    unmatched request fails, and so does a mocked request that was never sent."""
    from airbyte_cdk.test.mock_http import HttpMocker

    with HttpMocker() as mocker:
        yield mocker
    mocker._validate_all_matchers_called()
