"""Offline voice companion for spoken evening reflection."""

__version__ = "0.1.0"
