"""Arshif: raw Arabic news texts in, a browsable right-to-left archive out."""

__version__ = "0.1.0"
