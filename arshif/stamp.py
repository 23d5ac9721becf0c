"""The build stamp: when no input changed at all, a build is over before it starts.

Used by pipeline.py before the cache is opened. The stamp hashes what every output depends
on as `stat` sees it: the engine key, the settings, every source with its sidecars, every
template and static file, the slug lock and the gazetteer. A build that succeeds records the
stamp it started from, with its report; the next build that finds the same stamp, and every
published file still as that build left it (size and mtime), changes nothing and says so
without loading a single article. Anything else (a touched file, a file too fresh to trust
its timestamp, an output edited by hand) takes the ordinary incremental route, which then
decides file by file.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

from .config import SiteConfig
from .fingerprint import Unfingerprintable, encode
from .slugs import lock_path
from .sources import list_sources

# As in cache.py: a file modified this close to the check may change again within one mtime
# tick without its stat changing, so a stamp taken then is not kept.
RACY_NS = 2_000_000_000


def build_stamp(config: SiteConfig, engine: str) -> str | None:
    """The stamp of the inputs as they are now; None when it cannot be trusted."""
    h = hashlib.blake2b(digest_size=16)
    try:
        h.update(encode(config).encode("utf-8", "surrogatepass"))
    except Unfingerprintable:
        return None
    h.update(engine.encode())
    files, problems = list_sources(config.articles_dir)
    if problems:
        return None  # the build will report them
    paths: list[Path] = [config.path, lock_path(config)]
    if config.gazetteer_path is not None:
        paths.append(config.gazetteer_path)
    for file in files:
        paths.append(file.path)
        paths.extend(file.sidecars)
    paths.extend(_tree(config.templates_dir))
    paths.extend(_tree(config.static_dir))
    fresh = time.time_ns() - RACY_NS
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
        h.update(
            f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n".encode(
                "utf-8", "surrogatepass"
            )
        )
    return h.hexdigest()


def outputs_intact(out: Path, manifest: Iterable[tuple[str, int, int]]) -> bool:
    """True when every (path, size, mtime) recorded for `out` is still so on disk."""
    root = str(out)
    for rel, size, mtime_ns in manifest:
        try:
            st = os.stat(os.path.join(root, rel))
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime_ns:
            return False
    return True


def _tree(folder: Path) -> list[str]:
    if not folder.is_dir():
        return [str(folder)]
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        found.append(dirpath)  # a file added or removed changes the folder's mtime
        found.extend(os.path.join(dirpath, name) for name in sorted(filenames))
    return found
