"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import select
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Run:
    """What one command-line run returned and printed."""

    code: int
    out: str
    err: str


def start_server(directory: Path) -> tuple[subprocess.Popen[str], int]:
    """`python -m http.server` on a free loopback port (port 0: the OS picks one)."""
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"],
        cwd=directory,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    ready, _, _ = select.select([server.stdout], [], [], 15)
    line = server.stdout.readline() if ready else ""
    if "port" not in line:
        server.kill()
        pytest.fail(f"http.server did not start: {line!r}")
    return server, int(line.split(" port ")[1].split()[0])
