"""The build stamp: when no input changed at all, a build is over before it starts.

Used by cli.py before the pipeline is even imported, and by pipeline.py for every other
caller. The stamp hashes what every output depends on as `stat` sees it: the engine key,
the folders given, site.yaml, the gazetteer, every source with its sidecars, every template
and static file; and the slug lock by its bytes (`with_lock`). A build that succeeds
records the stamp it started from, with its report; the next build that finds the same
stamp, and every published file still as that build left it (size and mtime), changes
nothing and says so without loading a single article. Anything else (a touched file, a file
too fresh to trust its timestamp, an output edited by hand) takes the ordinary incremental
route, which decides file by file.

This module imports nothing heavy (no Jinja, Markdown or Babel): its whole point is a
no-op rebuild that costs little more than starting Python.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sqlite3
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .config import SiteConfig, lock_path

if TYPE_CHECKING:
    from .report import BuildReport

CACHE_DIR = ".arshif-cache"
MARKER = ".arshif-site"  # in every output folder Arshif built (write.py writes it)
# Libraries whose upgrades can change output (Markdown's HTML, CLDR month names, …), by the
# name they are imported under.
_LIBRARIES = ("jinja2", "markdown", "yaml", "slugify", "babel")

# A file modified this close to the moment it was checked may be modified again within the
# same mtime tick without its stat changing ("racy git"): a stamp taken then is not kept, and
# cache.py re-hashes such sources next time.
RACY_NS = 2_000_000_000


def engine_key() -> str:
    """Changes whenever the code that turns inputs into output may have changed."""
    h = hashlib.blake2b(digest_size=16)
    here = Path(__file__).parent
    parts = [__version__, sys.version.split()[0]]
    parts += [f"{name}={_installed(name)}" for name in _LIBRARIES]
    parts += [f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}"
              for p in sorted(here.glob("*.py"))]  # fmt: skip
    for part in parts:
        h.update(part.encode() + b"\0")
    return h.hexdigest()


def _installed(module: str) -> str:
    """Which copy of `module` is installed, without importing it: where its package file is,
    with its size, mtime and inode. Installing any other version rewrites that file.

    Not the version from importlib.metadata: importing that alone costs a tenth of a no-op
    rebuild, and a reinstall of the same version only costs one full build.
    """
    try:
        spec = importlib.util.find_spec(module)
        origin = spec.origin if spec is not None else None
        st = os.stat(origin) if origin else None
    except (ImportError, ValueError, OSError):
        return "?"
    if st is None:
        return "?"
    return f"{origin}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def stat_part(name: str, st: os.stat_result) -> str:
    """A file's stat as the stamp and the build cache (`cache._stat_signature`) write it."""
    # NUL never occurs in a name: the parts of a folder's files cannot blur.
    return f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}"


def build_stamp(
    config: SiteConfig, engine: str | None = None, seen: dict[str, str] | None = None
) -> str | None:
    """The stamp of the inputs as they are now; None when it cannot be trusted. `seen` is
    given the `stat_part` of every source file old enough to trust, by path: the build
    cache reads them there rather than asking for each source's stat again (a tenth of a
    second of an addition at 10,000 articles)."""
    h = hashlib.blake2b(digest_size=16)
    # Every setting comes from site.yaml (stat below) but for the folders a command names.
    folders = (config.articles_dir, config.templates_dir, config.static_dir, config.output_dir)
    h.update(f"{engine or engine_key()}\0{[str(f.resolve()) for f in folders]}\n".encode(
        "utf-8", "surrogatepass"))  # fmt: skip
    fresh = time.time_ns() - RACY_NS
    paths = [config.path]
    if config.gazetteer_path is not None:
        paths.append(config.gazetteer_path)
    for path in paths:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            h.update(f"{path}\0-\n".encode("utf-8", "surrogatepass"))
            continue
        except OSError:
            return None
        if st.st_mtime_ns > fresh or st.st_ctime_ns > fresh:
            return None
        h.update(f"{stat_part(str(path), st)}\n".encode("utf-8", "surrogatepass"))
    if not _hash_tree(str(config.articles_dir), h, fresh, seen):
        return None
    for folder in (config.templates_dir, config.static_dir):
        if not _hash_tree(str(folder), h, fresh):
            return None
    try:
        lock: bytes | None = lock_path(config).read_bytes()
    except FileNotFoundError:
        lock = None
    except OSError:
        return None
    return with_lock(h.hexdigest(), lock)


def with_lock(stamp: str, lock: bytes | None) -> str:
    """`stamp` with its slug-lock part made from `lock`, the lock file's bytes (None: there
    is none).

    The lock is the one input a build writes itself (a new article's slug is recorded). It
    is stamped by its bytes, not its stat, so that a build which rewrites it can record the
    stamp it started from with the new lock in it, and the next build stops at the stamp
    instead of rebuilding for a file the last one wrote.
    """
    part = "-" if lock is None else hashlib.blake2b(lock, digest_size=16).hexdigest()
    return f"{stamp.partition(':')[0]}:{part}"


def _hash_tree(folder: str, h: Any, fresh: int, seen: dict[str, str] | None = None) -> bool:
    """Fold the stat of every file and folder under `folder` into `h`, in name order; False
    when one is too fresh to trust or cannot be read. Every file counts, hidden ones too:
    at worst an editor's backup file costs an ordinary incremental build. A fresh file does
    not end the walk: the build that follows wants the others' stat in `seen`."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except FileNotFoundError:
        h.update(f"{folder}\0-\n".encode("utf-8", "surrogatepass"))
        return True
    except OSError:
        return False
    lines = []
    trusted = True
    for entry in entries:
        try:
            st = entry.stat()
            if entry.is_dir():
                trusted = _hash_tree(entry.path, h, fresh, seen) and trusted
                continue
        except OSError:
            return False
        if st.st_mtime_ns > fresh or st.st_ctime_ns > fresh:
            trusted = False
            continue
        part = stat_part(entry.name, st)
        if seen is not None:
            seen[entry.path] = part
        lines.append(part)
    body = "\n".join(lines)
    h.update(f"{folder}\n{body}\n".encode("utf-8", "surrogatepass"))
    return trusted


def check_unchanged(
    config: SiteConfig, clean: bool, started: float, seen: dict[str, str] | None = None
) -> tuple[str | None, BuildReport | None]:
    """(the inputs' stamp, the report of a build that need not run), the report timed from
    `started` (a `time.perf_counter()`); None for the report when the build must run.
    `seen`: see `build_stamp`."""
    stamp = build_stamp(config, seen=seen)
    report = None if clean else unchanged_since(config, stamp)
    if report is not None:
        report.timings = {"stamp": time.perf_counter() - started}
        report.seconds = time.perf_counter() - started
    return stamp, report


def unchanged_since(config: SiteConfig, stamp: str | None) -> BuildReport | None:
    """The last build's report, when it started from these very inputs (`stamp`) and every
    file it published is still as it left it; otherwise None: build."""
    if stamp is None or not (config.output_dir / MARKER).is_file():
        return None
    last = _last_build(config, stamp)
    if last is None:
        return None
    found, manifest = last
    return found if outputs_intact(config.output_dir, manifest) else None


def _last_build(
    config: SiteConfig, stamp: str
) -> tuple[BuildReport, list[tuple[str, int, int]]] | None:
    """(report, manifest rows) of the last complete build into the output folder when it
    started from `stamp`, read straight from the cache file, which cache.py writes
    (`store_build`). The stamps are compared first: any other build loads nothing more."""
    path = config.root / CACHE_DIR / "cache.sqlite"
    if not path.is_file():
        return None
    key = str(config.output_dir.resolve())
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            meta = dict(db.execute(
                "SELECT key, value FROM meta WHERE key IN (?, ?)",
                (f"publishing:{key}", f"stamp:{key}"),
            ).fetchall())  # fmt: skip
            if f"publishing:{key}" in meta or meta.get(f"stamp:{key}") != stamp:
                return None  # an interrupted publish, or not this stamp
            row = db.execute("SELECT value FROM results WHERE key = ?", (f"report:{key}",))
            blob = row.fetchone()
            manifest = db.execute(
                "SELECT url, size, mtime_ns FROM outputs WHERE out = ?", (key,)
            ).fetchall()
        finally:
            db.close()
        if blob is None:
            return None
        stored, report = pickle.loads(blob[0])
    except (OSError, sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError,
            ImportError, ValueError):  # fmt: skip
        return None  # any doubt: an ordinary build decides
    if stored != stamp or type(report).__name__ != "BuildReport":
        return None
    return report, manifest


def outputs_intact(out: Path, manifest: Iterable[tuple[str, int, int]]) -> bool:
    """True when every (path, size, mtime) recorded for `out` is still so on disk."""
    if os.stat not in os.supports_dir_fd:
        root = str(out)
        return all(_same(os.path.join(root, rel), size, mtime) for rel, size, mtime in manifest)
    # Relative to the open folder: no path joined per file, and the kernel walks only the
    # part below it (a fifth of a no-op at 17,000 files went to joining and resolving).
    try:
        fd = os.open(out, os.O_RDONLY)
    except OSError:
        return False
    try:
        return all(_same(rel, size, mtime, fd) for rel, size, mtime in manifest)
    finally:
        os.close(fd)


def _same(path: str, size: int, mtime_ns: int, dir_fd: int | None = None) -> bool:
    try:
        st = os.stat(path, dir_fd=dir_fd)
    except OSError:
        return False
    return st.st_size == size and st.st_mtime_ns == mtime_ns
