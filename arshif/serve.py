"""`arshif serve`: build, serve the site on 127.0.0.1, rebuild on every change, reload pages.

Sits above the pipeline, like the CLI: it runs the same incremental `build()` into the
same output folder, so what the editor previews is exactly what will be published. Only
the HTTP responses differ: every HTML page gets a small script that polls
`/__arshif/version` and reloads when a build changed the site, or shows the last build's
errors over the page while the last good site stays in place. The files on disk never
contain that script.

The server listens on 127.0.0.1 only and answers 404 to any request that could leave the
output folder: `..` or `.` segments (also percent-encoded), encoded slashes or backslashes,
empty segments (`//etc/passwd`), hidden files, and symlinks that resolve outside it.
Watching uses `watchdog` (inotify on Linux, FSEvents on macOS): a 10,000-article folder
costs nothing between saves, where polling mtimes would stat every file every second.
"""

from __future__ import annotations

import html
import json
import mimetypes
import signal
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from . import parallel
from .config import SiteConfig
from .errors import ArshifError, BuildErrors
from .pipeline import build
from .progress import QUIET, VERBOSE, Progress, print_report

LIVE_PATH = "/__arshif/version"
# Editors save in bursts (write, rename, chmod, a backup file): build once they are done.
QUIET_SECONDS = 0.15
WATCHED_SETTINGS = ("site.yaml", "slugs.lock")

_OVERLAY_STYLE = (
    "position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:60vh;overflow:auto;"
    "margin:0;padding:1rem;background:#7a1010;color:#fff;font:14px/1.5 monospace;"
    "white-space:pre-wrap;unicode-bidi:plaintext;text-align:start"
)
_OVERLAY_TITLE = "Build failed; the last good site is shown (arshif serve)"
_LIVE_SCRIPT = """<script id="arshif-live">(() => {
  const seen = %d;
  const show = (errors) => {
    let box = document.getElementById("arshif-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "arshif-errors"; box.dir = "ltr"; box.setAttribute("role", "alert");
      box.style.cssText = %s;
      document.body.append(box);
    }
    const title = document.createElement("strong");
    title.textContent = %s;
    const list = document.createElement("pre");
    list.style.cssText = "margin:0.5rem 0 0;white-space:pre-wrap;unicode-bidi:plaintext";
    list.textContent = errors.join("\\n");
    box.replaceChildren(title, list);
  };
  const poll = async () => {
    try {
      const state = await (await fetch(%s, {cache: "no-store"})).json();
      if (state.version !== seen) { location.reload(); return; }
      show(state.errors);
    } catch (e) { /* the server is restarting: try again */ }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
})();</script>
"""


class LiveState:
    """What open pages poll: a version that changes after each build that changed the site,
    and the errors of the last build (none when it succeeded)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Not 0: a page still open from an earlier `serve` must see a different version.
        self.version = time.time_ns() // 1_000_000
        self.errors: list[str] = []

    def snapshot(self) -> tuple[int, list[str]]:
        with self._lock:
            return self.version, list(self.errors)

    def built(self, changed: bool) -> None:
        with self._lock:
            self.errors = []
            if changed:
                self.version += 1

    def failed(self, errors: list[str]) -> None:
        with self._lock:
            self.errors = errors


# ---------------------------------------------------------------- HTTP
def resolve(root: Path, target: str) -> Path | None:
    """The file or folder under `root` that a request target names, or None for anything
    that is not plainly inside it."""
    path = urlsplit(target).path if target.startswith("/") else ""
    if not path.startswith("/") or path.startswith("//"):
        return None  # absolute-form targets, "//host/…", relative junk
    if any(code in path.lower() for code in ("%2f", "%5c", "%00")):
        return None  # encoded separators smuggle ".." past the segment check below
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = decoded[1:].split("/")
    if parts[-1] == "":
        parts[-1] = "index.html"  # "/" and "/archive/"
    for part in parts:
        if part in ("", ".", "..") or part.startswith(".") or "\\" in part or "\0" in part:
            return None
    top = root.resolve()
    try:
        real = top.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != top and top not in real.parents:
        return None  # a symlink pointing outside the site
    return real


def inject(page: bytes, version: int, errors: list[str], base: bool = False) -> bytes:
    """`page` with the live-reload script (and the error overlay) before `</body>`."""
    script = _LIVE_SCRIPT % (
        version,
        json.dumps(_OVERLAY_STYLE),
        json.dumps(_OVERLAY_TITLE),
        json.dumps(LIVE_PATH),
    )
    overlay = ""
    if errors:
        items = html.escape("\n".join(errors))
        overlay = (
            f'<div id="arshif-errors" dir="ltr" role="alert" style="{_OVERLAY_STYLE}">'
            f"<strong>{html.escape(_OVERLAY_TITLE)}</strong>"
            f'<pre style="margin:0.5rem 0 0;white-space:pre-wrap;unicode-bidi:plaintext">'
            f"{items}</pre></div>\n"
        )
    snippet = (overlay + script).encode("utf-8")
    if base:
        # A 404 page is written for the site root; served at any depth its links need this.
        head = page.lower().find(b"<head>")
        if head >= 0:
            page = page[: head + 6] + b'\n<base href="/">' + page[head + 6 :]
    end = page.lower().rfind(b"</body>")
    return page + snippet if end < 0 else page[:end] + snippet + page[end:]


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # a browser's open connection must not keep Ctrl-C waiting

    def __init__(self, port: int, root: Path, state: LiveState, verbose: bool) -> None:
        self.root = root
        self.state = state
        self.verbose = verbose
        super().__init__(("127.0.0.1", port), PreviewHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "arshif-serve"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        if urlsplit(self.path).path == LIVE_PATH:
            version, errors = self.server.state.snapshot()
            body = json.dumps({"version": version, "errors": errors}).encode("utf-8")
            self._send(200, "application/json; charset=utf-8", body, head)
            return
        found = resolve(self.server.root, self.path)
        if found is not None and found.is_dir():
            self.send_response(301)
            self.send_header("Location", urlsplit(self.path).path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if found is None or not found.is_file():
            self._not_found(head)
            return
        try:
            body = found.read_bytes()
        except OSError:  # replaced between resolve and read by a rebuild: ask again
            self._not_found(head)
            return
        kind = _content_type(found)
        if kind.startswith("text/html"):
            body = inject(body, *self.server.state.snapshot())
        self._send(200, kind, body, head)

    def _not_found(self, head: bool) -> None:
        page = self.server.root / "404.html"
        body = b"<!DOCTYPE html><title>404</title><body><h1>404</h1></body>\n"
        if page.is_file():
            body = page.read_bytes()
        version, errors = self.server.state.snapshot()
        self._send(404, "text/html; charset=utf-8", inject(body, version, errors, base=True), head)

    def _send(self, status: int, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload must show the rebuilt file
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


def _content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    textual = kind.startswith("text/") or kind in ("application/json", "application/javascript")
    return f"{kind}; charset=utf-8" if textual else kind


# ---------------------------------------------------------------- watching
class _Changes(FileSystemEventHandler):
    """Wakes the build loop when a source, template, static file or setting changes."""

    def __init__(self, wake: threading.Event, only: tuple[str, ...] = ()) -> None:
        self.wake = wake
        self.only = only  # in the site's own folder: just these names

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file is not changing it
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if any(self._relevant(str(p)) for p in paths if p):
            self.wake.set()

    def _relevant(self, path: str) -> bool:
        name = Path(path).name
        if self.only:
            return name in self.only
        # Editor droppings: .swp, .#lock, backup~, #autosave#
        return not (name.startswith((".", "#")) or name.endswith("~"))


def _watch(config: SiteConfig, wake: threading.Event) -> Any:
    observer = Observer()
    for folder in (config.articles_dir, config.templates_dir, config.static_dir):
        if folder.is_dir():
            observer.schedule(_Changes(wake), str(folder), recursive=True)
    observer.schedule(_Changes(wake, WATCHED_SETTINGS), str(config.root), recursive=False)
    observer.daemon = True
    observer.start()
    return observer


# ---------------------------------------------------------------- the loop
def _rebuild(load: Callable[[], SiteConfig], state: LiveState, level: int) -> None:
    """One build; its errors go to the terminal and to every open page."""
    try:
        config = load()
        report = build(config, progress=Progress(level))
    except BuildErrors as err:
        errors = [str(e) for e in err.errors]
    except ArshifError as err:
        errors = [str(err)]
    except OSError as err:
        errors = [f"{err.filename or ''}: {err.strerror or err}"]
    else:
        print_report(report, config, level)
        state.built(changed=bool(report.written or report.removed))
        return
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"arshif: {len(errors)} error(s); still serving the last good site", file=sys.stderr)
    state.failed(errors)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(load: Callable[[], SiteConfig], port: int, level: int) -> int:
    """Serve until Ctrl-C; 0 when stopped cleanly."""
    config = load()  # a broken site.yaml at start: nothing to serve yet, so it is an error
    parallel.allowed = False
    state = LiveState()
    _rebuild(load, state, level)
    try:
        server = PreviewServer(port, config.output_dir, state, verbose=level >= VERBOSE)
    except OSError as err:
        raise ArshifError(f"cannot listen on 127.0.0.1:{port}: {err.strerror}",
                          hint="choose another --port") from None  # fmt: skip
    threading.Thread(target=server.serve_forever, name="arshif-http", daemon=True).start()
    wake = threading.Event()
    observer = _watch(config, wake)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    # A shell without job control starts background commands with SIGINT ignored, and
    # Python keeps it so: then Ctrl-C or `kill -INT` would never stop the server.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print(f"serving {config.output_dir} at http://127.0.0.1:{server.port}/ "
          "(Ctrl-C to stop)", flush=True)  # fmt: skip
    try:
        while True:
            if not wake.wait(timeout=0.5):
                continue
            wake.clear()
            while wake.wait(timeout=QUIET_SECONDS):
                wake.clear()
            _rebuild(load, state, level)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt this
        if level > QUIET:
            print("stopping", file=sys.stderr, flush=True)
    finally:
        observer.stop()
        server.shutdown()
        server.server_close()
        observer.join(timeout=5)
    return 0
