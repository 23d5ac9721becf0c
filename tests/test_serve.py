"""`arshif serve` with real HTTP requests to 127.0.0.1: pages, live reload, errors, safety."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from arshif.serve import LiveState, PreviewServer, inject, resolve

from support import Served

ARTICLE = "articles/الناتو-يوسع-مهامه-وتصاعد-العنف-بالعراق.html"


@pytest.fixture
def served(site: Path) -> Iterator[Served]:
    server = Served(site)
    yield server
    assert server.stop() == 0, server.stderr()
    assert "Traceback" not in server.stderr()
    assert "stopping" in server.stderr()


def test_pages_are_served_with_the_live_script_which_is_not_on_disk(served: Served) -> None:
    status, body = served.get(f"/{ARTICLE}")
    assert status == 200
    assert b'<script id="arshif-live">' in body
    assert body.index(b'<script id="arshif-live">') < body.rindex(b"</body>")
    on_disk = (served.site / "_site" / ARTICLE).read_bytes()
    assert b"arshif-live" not in on_disk
    live = body.index(b'<script id="arshif-live">')
    assert body.replace(body[live : body.rindex(b"</body>")], b"") == on_disk
    assert served.get("/")[1] == served.get("/index.html")[1]
    status, css = served.get("/static/style.css")
    assert status == 200 and b"arshif-live" not in css


def test_head_sends_headers_only(served: Served) -> None:
    status, body = served.get("/index.html", method="HEAD")
    assert (status, body) == (200, b"")


def test_a_changed_article_is_rebuilt_and_the_version_moves(served: Served) -> None:
    version = served.state()["version"]
    source = served.site / "articles" / "003_dd8d8cd0ba8ee6f5.txt"
    text = source.read_text("utf-8")
    source.write_text(text.replace("الناتو يوسع مهامه", "الحلف يوسع مهامه", 1), "utf-8")
    served.wait_for(lambda state: state["version"] != version)
    status, body = served.get(f"/{ARTICLE}")  # the slug is locked: same address
    assert status == 200
    assert "<h1>الحلف يوسع مهامه..وتصاعد العنف بالعراق</h1>" in body.decode("utf-8")


def test_a_template_or_setting_change_is_rebuilt(served: Served) -> None:
    version = served.state()["version"]
    config = served.site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("months: both", "months: egyptian"))
    served.wait_for(lambda state: state["version"] != version)
    assert "24 يناير 2023" in served.get("/index.html")[1].decode("utf-8")


def test_a_build_error_is_shown_escaped_over_the_last_good_site(served: Served) -> None:
    good = (served.site / "_site" / "index.html").read_bytes()
    broken = served.site / "articles" / "<b>x.md"
    broken.write_text("---\ntitle: عنوان\n---\n", "utf-8")
    state = served.wait_for(lambda state: state["errors"])
    assert state["errors"] == ["articles/<b>x.md:4: article is empty"]
    status, body = served.get("/index.html")
    assert status == 200
    assert b"articles/&lt;b&gt;x.md:4: article is empty" in body
    assert b"<b>x.md" not in body
    assert (served.site / "_site" / "index.html").read_bytes() == good
    assert "error: articles/<b>x.md:4: article is empty" in served.stderr()
    broken.unlink()
    served.wait_for(lambda state: not state["errors"])
    assert b'<div id="arshif-errors"' not in served.get("/index.html")[1]


ESCAPES = [
    "/../site.yaml",
    "/%2e%2e/site.yaml",
    "/%2E%2E/%2e%2e/site.yaml",
    "/..%2f..%2fsite.yaml",
    "/%2e%2e%2fsite.yaml",
    "/static/..%5c..%5csite.yaml",
    "/articles/../../site.yaml",
    "/./index.html",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/etc/passwd",
    "http://127.0.0.1/../site.yaml",
    "/.arshif-site",
    "/index.html%00.css",
    "/%ff.html",
    "/leak.yaml",  # a symlink in the output to a file outside it
    "/up/site.yaml",  # a symlink in the output to a folder outside it
]


def test_requests_that_could_leave_the_site_get_404(served: Served) -> None:
    out = served.site / "_site"
    os.symlink(served.site / "site.yaml", out / "leak.yaml")
    os.symlink(served.site, out / "up")
    for target in ESCAPES:  # one server for all: starting one per case is slow
        status, body = served.get(target)
        assert status == 404, target
        assert "الصفحة غير موجودة" in body.decode("utf-8"), target
        assert b"base_url" not in body and b"root:" not in body, target


def test_resolve_keeps_every_request_inside_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "_site"
    (root / "archive").mkdir(parents=True)
    (root / "index.html").write_text("x")
    (root / "archive" / "index.html").write_text("x")
    (tmp_path / "secret").write_text("x")
    os.symlink(tmp_path / "secret", root / "link")
    assert resolve(root, "/") == root.resolve() / "index.html"
    assert resolve(root, "/archive/?q=1#top") == root.resolve() / "archive" / "index.html"
    assert resolve(root, "/archive") == root.resolve() / "archive"  # a folder: redirected
    for target in ("/../secret", "/link", "/%2e%2e/secret", "/archive/%2e%2e/%2e%2e/secret",
                   "..", "", "/archive//index.html"):  # fmt: skip
        assert resolve(root, target) is None, target


def test_the_server_listens_on_loopback_only() -> None:
    server = PreviewServer(0, Path("."), LiveState(), verbose=False)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_the_overlay_escapes_messages() -> None:
    page = inject(
        b"<html><body><p>x</p></body></html>", 7, ["a.md:1: <img src=x onerror=alert(1)>"]
    )
    assert b"&lt;img src=x onerror=alert(1)&gt;" in page
    assert b"<img" not in page
    assert page.endswith(b"</body></html>")


def test_a_busy_port_is_an_error_not_a_traceback(site: Path, run: object) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), cwd=site)  # type: ignore[operator]
    assert result.code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.err
