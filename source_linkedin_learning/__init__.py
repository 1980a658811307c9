"""Airbyte source connector for the LinkedIn Learning Activity Reports API."""

from source_linkedin_learning.source import SourceLinkedinLearning

__all__ = ["SourceLinkedinLearning"]
