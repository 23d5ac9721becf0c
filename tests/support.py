"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Run:
    """What one command-line run returned and printed."""

    code: int
    out: str
    err: str
