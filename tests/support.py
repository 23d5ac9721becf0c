"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    """What one command-line run returned and printed."""

    code: int
    out: str
    err: str


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (hidden ones included), path -> bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def stamps(root: Path) -> dict[str, int]:
    """Every file under `root`, path -> mtime in nanoseconds."""
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
