"""Test set-up shared by every test folder: the simulator fixture and a clean token cache."""

import pytest

pytest_plugins = [
    "linkedin_learning_simulator.pytest_plugin",
    "airbyte_cdk.test.standard_tests.pytest_hooks",
]


@pytest.fixture(autouse=True)
def _no_shared_token_between_tests():
    """The connector shares one OAuth token per application within a process; tests must not."""
    from source_linkedin_learning.auth import LinkedInLearningOAuthAuthenticator

    LinkedInLearningOAuthAuthenticator.forget_tokens()
    yield
    LinkedInLearningOAuthAuthenticator.forget_tokens()
