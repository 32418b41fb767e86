"""Nexus: an async movie recommendation and social API."""

__version__ = "0.1.0"
