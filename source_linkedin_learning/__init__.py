"""Airbyte source connector for the LinkedIn Learning Activity Reports API."""

from source_linkedin_learning import attribute_docs

attribute_docs.install()  # before anything imports airbyte-cdk (and so serpyco-rs): see the module

from source_linkedin_learning.source import SourceLinkedinLearning  # noqa: E402

__all__ = ["SourceLinkedinLearning"]
