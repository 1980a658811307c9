"""Shared fixtures of the unit tests (the token cache is cleared by the root conftest)."""

import pytest



@pytest.fixture
def http_mocker():
    """An `HttpMocker` for the whole test, with the checks its decorator form makes: an
    unmatched request fails, and so does a mocked request that was never sent."""
    from airbyte_cdk.test.mock_http import HttpMocker

    with HttpMocker() as mocker:
        yield mocker
    mocker._validate_all_matchers_called()
