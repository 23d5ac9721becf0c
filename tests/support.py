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


class Served:
    """`python build.py serve --port 0` running in a site folder, stopped with Ctrl-C."""

    def __init__(self, site: Path, *args: str) -> None:
        import subprocess
        import sys
        import threading

        repo = Path(__file__).resolve().parents[1]
        self.site = site
        self.log = site.parent / "serve.err"
        self.out: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, str(repo / "build.py"), "serve", "--port", "0", *args],
            cwd=site,
            stdout=subprocess.PIPE,
            stderr=self.log.open("w"),
            text=True,
        )
        assert self.process.stdout is not None
        self.port = 0
        for line in self.process.stdout:
            self.out.append(line)
            if line.startswith("serving "):
                self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
                break
        assert self.port, f"serve did not start: {self.out} {self.log.read_text()}"
        # Keep reading, so rebuild reports can never fill the pipe and block the server.
        threading.Thread(
            target=lambda: self.out.extend(self.process.stdout or []), daemon=True
        ).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def get(self, target: str, method: str = "GET") -> tuple[int, bytes]:
        """A raw request: the target goes on the request line exactly as given."""
        import http.client
        from urllib.parse import quote

        target = "".join(c if c.isascii() else quote(c) for c in target)  # as a browser sends it
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest(method, target, skip_host=False, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def state(self) -> dict[str, object]:
        import json

        status, body = self.get("/__arshif/version")
        assert status == 200
        state: dict[str, object] = json.loads(body)
        return state

    def wait_for(self, condition: object, timeout: float = 20.0) -> dict[str, object]:
        """Poll the live state until `condition(state)` holds."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            if condition(state):  # type: ignore[operator]
                return state
            assert time.monotonic() < deadline, f"timed out; state {state}, log {self.stderr()}"
            time.sleep(0.1)

    def stderr(self) -> str:
        return self.log.read_text("utf-8")

    def stop(self) -> int:
        """Ctrl-C, and the exit status."""
        import signal

        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=20)


REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO / "articles"
SEEDS = ("000", "001", "002", "003", "004")


def seed_paragraphs(number: str) -> list[str]:
    """Every non-empty line of seed `number` ("000".."004"): furniture and all.

    The real parser drops breadcrumbs and furniture later; extraction must cope without it.
    """
    (path,) = ARTICLES.glob(f"{number}_*.txt")
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
