"""Adempauze: an offline, Dutch-speaking voice companion for stress reduction."""

__version__ = "0.1.0"
