"""The build cache: what an incremental build may skip, and how it knows.

Used by pipeline.py at two points: `gather` asks for the parsed record of each unchanged
source, and `build` asks for the manifest of the published folder (which file was rendered
from which input fingerprint, see fingerprint.py) and records the new one after publishing.

Everything lives in one SQLite file, `.arshif-cache/cache.sqlite` beside site.yaml:

    meta     the engine key (Arshif's version, a hash of the engine's own source files, the
             installed copy of each library that shapes output) and a "publishing" flag per output
    sources  per articles folder and source path: a stat signature, the source digest, the
             key of the settings parsing reads, and the pickled `Parsed` record
    outputs  per output folder and file: the fingerprint of the inputs it was rendered from,
             and the size and mtime it was left with
    groups   per output folder and group of pages (`Page.group`: a term's lists and feeds):
             the key its pages were published from, written with the outputs

Beside it, `templates/` holds the site's templates as Jinja compiled them (its bytecode
cache, `render.CompiledTemplates`), emptied with the rest.

SQLite because updates are per row and transactional: adding one article writes one row
rather than re-dumping every record, and a crash or Ctrl-C never leaves half a cache. Pickle
inside because `Parsed` is frozen dataclasses of plain values, which pickle round-trips
exactly and loads fastest. The folder is git-ignored and only read back by the engine that
wrote it: any other engine key empties it.

The cache is a memo, never a source of truth: when in doubt (unreadable, other engine, a
publish that did not finish, `--clean`) it is empty and the build is a full one.
"""

from __future__ import annotations

import dataclasses
import gc
import pickle
import shutil
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .fingerprint import digest, encode, engine_key
from .parse import PARSE_SETTINGS, Parsed
from .sources import SourceFile
from .stamp import CACHE_DIR, RACY_NS, stat_part
from .write import Output

# ---------------------------------------------------------------- the store
COMPACT_BYTES = 32 << 20  # free space worth a VACUUM (see BuildCache._compact)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    root TEXT NOT NULL, rel TEXT NOT NULL, stat TEXT NOT NULL, digest TEXT NOT NULL,
    settings TEXT NOT NULL, record BLOB NOT NULL, PRIMARY KEY (root, rel));
CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outputs (
    out TEXT NOT NULL, url TEXT NOT NULL, fingerprint TEXT, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, PRIMARY KEY (out, url));
CREATE TABLE IF NOT EXISTS groups (
    out TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (out, name));
"""


@dataclasses.dataclass
class _Entry:
    stat: str
    digest: str
    settings: str
    parsed: Parsed
    blob: bytes | None = None  # `parsed` pickled, until it is stored


# New records are stored in batches of this many: a cold build's parse sends each one pickled
# and holding them all until the end would hold the whole archive twice.
SAVE_BATCH = 2000


class BuildCache:
    """Parsed articles by source, and the manifest of each output folder, across builds."""

    def __init__(
        self,
        config: SiteConfig,
        db: sqlite3.Connection | None,
        seen: Mapping[str, str] | None = None,
    ) -> None:
        """`seen`: the sources' stat as the build's stamp found it (`stamp.build_stamp`)."""
        self.config = config
        self._seen = seen or {}
        self.db = db
        self.engine = engine_key()
        self.root = str(config.articles_dir.resolve())
        # Results belong to the articles folder they were computed from, like its records:
        # two archives sharing a site.yaml never read or drop each other's.
        self._results = f"{self.root}\0"
        self.settings = digest(encode([getattr(config, name) for name in PARSE_SETTINGS]))
        self._entries: dict[str, _Entry] = {}
        self._changed: dict[str, _Entry] = {}
        self._present: set[str] = set()
        self.reused = 0  # sources whose parsed record came from the cache
        self._templates = config.root / CACHE_DIR / "templates"

    @classmethod
    def open(
        cls, config: SiteConfig, *, clean: bool = False, seen: Mapping[str, str] | None = None
    ) -> BuildCache:
        """The cache beside `config`'s site.yaml; `clean` starts it afresh."""
        path = config.root / CACHE_DIR / "cache.sqlite"
        for attempt in (1, 2):
            try:
                return cls._connect(config, path, clean, seen)
            except (OSError, sqlite3.Error) as err:
                damaged = isinstance(err, sqlite3.DatabaseError) and not isinstance(
                    err, sqlite3.OperationalError
                )
                if not damaged or attempt == 2:
                    break
                _remove(path)  # not a database (any more): start a new one
        # No cache (read-only checkout, a file in the way): slower, never wrong.
        return cls(config, None, seen)

    @classmethod
    def _connect(
        cls, config: SiteConfig, path: Path, clean: bool, seen: Mapping[str, str] | None
    ) -> BuildCache:
        path.parent.mkdir(exist_ok=True)
        db = sqlite3.connect(path, timeout=30)
        try:
            # WAL: a preview server and a build can read while the other writes. NORMAL sync:
            # a power cut may lose the last build's rows (then things are rebuilt), never
            # corrupt the file; and commits do not wait for the disk, which is most of an
            # incremental build's time otherwise.
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            # Some SQLite builds (Debian's among them) zero every freed page, which doubles
            # what a delete or a replaced result writes: 200 MB of cache rows took 0.8 s to
            # delete instead of 0.06 s. The cache holds nothing but what builds derived from
            # the sources, so there is nothing to scrub.
            db.execute("PRAGMA secure_delete = OFF")
            db.executescript(_SCHEMA)
            cache = cls(config, db, seen)
            cache._check_engine(clean)
            if not clean:
                cache._load_sources()
            return cache
        except BaseException:
            db.close()
            raise

    def _check_engine(self, clean: bool) -> None:
        assert self.db is not None
        row = self.db.execute("SELECT value FROM meta WHERE key = 'engine'").fetchone()
        with self.db:
            if row is None or row[0] != self.engine or clean:
                shutil.rmtree(self._templates, ignore_errors=True)
            if row is None or row[0] != self.engine:
                # Everything goes, every articles folder's results included: the new key is
                # written for the whole file, so whatever stayed would pass as the new
                # engine's work.
                self.db.execute("DELETE FROM sources")
                self.db.execute("DELETE FROM outputs")
                self.db.execute("DELETE FROM groups")
                self.db.execute("DELETE FROM results")
                self.db.execute("DELETE FROM meta")
                self.db.execute("INSERT INTO meta VALUES ('engine', ?)", (self.engine,))
            elif clean:
                self.db.execute("DELETE FROM sources WHERE root = ?", (self.root,))
                self.db.execute(
                    "DELETE FROM results WHERE key >= ? AND key < ?", _key_range(self._results)
                )
                out = str(self.config.output_dir.resolve())
                self.db.execute("DELETE FROM outputs WHERE out = ?", (out,))
                self.db.execute("DELETE FROM groups WHERE out = ?", (out,))

    def _load_sources(self) -> None:
        assert self.db is not None
        # Row by row, not all fetched first: the pickles of 10,000 articles are 130 MB, which
        # the records they give stayed beside, to the end of the build (the heap seldom
        # gives freed memory back).
        rows = self.db.execute(
            "SELECT rel, stat, digest, settings, record FROM sources WHERE root = ?", (self.root,)
        )
        # Unpickling 10,000 articles allocates a few hundred thousand objects that all live to
        # the end of the build; the cyclic GC would scan them again and again (5x slower).
        try:
            with paused_gc():
                for rel, stat, digest, settings, record in rows:
                    self._entries[rel] = _Entry(stat, digest, settings, pickle.loads(record))
        except Exception:  # a damaged record: forget them all rather than trust any
            self._entries.clear()
            with self.db:
                self.db.execute("DELETE FROM sources WHERE root = ?", (self.root,))

    def templates_dir(self) -> Path | None:
        """Where the renderer may keep compiled templates; None without a cache."""
        if self.db is None:
            return None
        try:
            self._templates.mkdir(exist_ok=True)
        except OSError:
            return None
        return self._templates

    # ------------------------------------------------------------ parsed articles
    def lookup(self, file: SourceFile) -> Parsed | None:
        """The cached record when the file and its sidecars have not been touched since."""
        self._present.add(file.rel)
        entry = self._entries.get(file.rel)
        if entry is None or entry.settings != self.settings or not entry.stat:
            return None
        if entry.stat != _stat_signature(file, self._seen)[0]:
            return None
        self.reused += 1
        return entry.parsed

    def known_digest(self, file: SourceFile) -> str | None:
        """The digest of the cached record a touched file may still match (read-only, so a
        forked parser may ask it)."""
        entry = self._entries.get(file.rel)
        return entry.digest if entry is not None and entry.settings == self.settings else None

    def lookup_digest(self, file: SourceFile, digest: str) -> Parsed | None:
        """The cached record for a touched file whose bytes turn out to be the same."""
        entry = self._entries.get(file.rel)
        if entry is None or entry.settings != self.settings or entry.digest != digest:
            return None
        self.remember(file, digest, entry.parsed)
        self.reused += 1
        return entry.parsed

    def remember(
        self, file: SourceFile, digest: str, parsed: Parsed, blob: bytes | None = None
    ) -> None:
        """Keep `parsed` as the record of `file` (`blob` is it pickled, when the caller has it:
        a parse worker sends its record so, and pickling it again here cost a cold build a
        second of this process's time)."""
        signature, racy = _stat_signature(file, self._seen)
        entry = _Entry("" if racy else signature, digest, self.settings, parsed, blob)
        self._entries[file.rel] = self._changed[file.rel] = entry
        if len(self._changed) >= SAVE_BATCH:
            self.save_sources()

    def save_sources(self) -> None:
        """Store new records and drop those of deleted sources (after every gather, even a
        failed one: a fixed typo should not re-parse the whole archive)."""
        if self.db is None:
            return
        gone = [rel for rel in self._entries if rel not in self._present]
        if not self._changed and not gone:
            return
        try:
            with self.db:
                self.db.executemany(
                    "DELETE FROM sources WHERE root = ? AND rel = ?",
                    [(self.root, rel) for rel in gone],
                )
                self.db.executemany(
                    "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?)",
                    [(self.root, rel, e.stat, e.digest, e.settings,
                      e.blob or pickle.dumps(e.parsed, protocol=pickle.HIGHEST_PROTOCOL))
                     for rel, e in self._changed.items()],
                )  # fmt: skip
        except sqlite3.Error:
            return
        for rel in gone:
            del self._entries[rel]
        for entry in self._changed.values():
            entry.blob = None
        self._changed.clear()

    # ------------------------------------------------------------ derived results
    def result(self, name: str, key: str | None) -> Any | None:
        """What `name` computed last time, if its inputs hashed to `key` then too (whatever
        they hashed to when `key` is None)."""
        if self.db is None:
            return None
        row = self.db.execute(
            "SELECT value FROM results WHERE key = ?", (self._results + name,)
        ).fetchone()
        if row is None:
            return None
        # The key is stored ahead of the pickle, so that a stale result (several MB for the
        # archive's relations) is never unpickled only to be thrown away.
        stored_key, _, blob = bytes(row[0]).partition(b"\n")
        return _unpickled(blob) if key is None or stored_key == key.encode() else None

    def holds(self, name: str, key: str | None) -> bool:
        """Whether `result(name, key)` would find something, without unpickling it."""
        if self.db is None:
            return False
        wanted = b"" if key is None else key.encode() + b"\n"
        row = self.db.execute(
            "SELECT substr(value, 1, ?) FROM results WHERE key = ?",
            (len(wanted), self._results + name),
        ).fetchone()
        return row is not None and bytes(row[0]) == wanted

    def store_result(self, name: str, key: str, value: Any) -> None:
        """Keep one value per `name`: an archive-wide result is recomputed when its key moves."""
        if self.db is None:
            return
        assert "\n" not in key
        blob = key.encode() + b"\n" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?)", (self._results + name, blob)
            )

    def memo(self, name: str) -> ResultMemo:
        """Values under `name` keyed by the hash of their own inputs, many at once: a part of
        an archive-wide result that most builds compute again from the same inputs."""
        return ResultMemo(self, self._results + name)

    # ------------------------------------------------------------ published outputs
    def published(self, out: Path) -> dict[str, Output] | None:
        """What the last complete build published in `out`, or None to build it afresh."""
        if self.db is None:
            return None
        key = str(out.resolve())
        if self.db.execute("SELECT 1 FROM meta WHERE key = ?", (f"publishing:{key}",)).fetchone():
            return None  # an interrupted publish: the manifest may not match the folder
        rows = self.db.execute(
            "SELECT url, fingerprint, size, mtime_ns FROM outputs WHERE out = ?", (key,)
        ).fetchall()
        return {url: Output(fp, size, mtime) for url, fp, size, mtime in rows} or None

    def published_groups(self, out: Path) -> dict[str, str]:
        """The key each group of pages had when the manifest `published` returns was
        recorded (`end_publish`)."""
        if self.db is None:
            return {}
        rows = self.db.execute("SELECT name, key FROM groups WHERE out = ?", (str(out.resolve()),))
        return dict(rows.fetchall())

    def begin_publish(self, out: Path) -> None:
        if self.db is not None:
            with self.db:
                self.db.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, '1')", (f"publishing:{out.resolve()}",)
                )

    def end_publish(
        self,
        out: Path,
        manifest: Mapping[str, Output],
        previous: Mapping[str, Output] | None,
        groups: Mapping[str, str],
        previous_groups: Mapping[str, str],
    ) -> None:
        """Record the published folder and the key of each group of its pages: only the rows
        that changed."""
        if self.db is None:
            return
        key = str(out.resolve())
        before = previous or {}
        # A kept file's entry is the very one it had (`SiteWriter.keep`): told by identity,
        # 23,000 of an addition's 23,100 need no comparison.
        changed = [(key, url, o.fingerprint, o.size, o.mtime_ns)
                   for url, o in manifest.items()
                   if (was := before.get(url)) is not o and was != o]  # fmt: skip
        gone = [(key, url) for url in before if url not in manifest]
        if previous is None:
            previous_groups = {}
        regrouped = [(key, name, k) for name, k in groups.items() if previous_groups.get(name) != k]
        ungrouped = [(key, name) for name in previous_groups if name not in groups]
        with self.db:
            if previous is None:
                self.db.execute("DELETE FROM outputs WHERE out = ?", (key,))
                self.db.execute("DELETE FROM groups WHERE out = ?", (key,))
            self.db.executemany("DELETE FROM outputs WHERE out = ? AND url = ?", gone)
            self.db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?)", changed)
            self.db.executemany("DELETE FROM groups WHERE out = ? AND name = ?", ungrouped)
            self.db.executemany("INSERT OR REPLACE INTO groups VALUES (?, ?, ?)", regrouped)
            self.db.execute("DELETE FROM meta WHERE key = ?", (f"publishing:{key}",))

    # ------------------------------------------------------------ the build stamp
    def store_build(self, out: Path, stamp: str | None, report: Any) -> None:
        """Record the stamp this build started from (or forget the last one), read back by
        stamp.py without opening the cache."""
        if self.db is None:
            return
        key = str(out.resolve())
        with self.db:
            self.db.execute("DELETE FROM meta WHERE key = ?", (f"stamp:{key}",))
            if stamp is None:
                return
            blob = pickle.dumps((stamp, report), protocol=pickle.HIGHEST_PROTOCOL)
            self.db.execute("INSERT OR REPLACE INTO results VALUES (?, ?)", (f"report:{key}", blob))
            self.db.execute("INSERT INTO meta VALUES (?, ?)", (f"stamp:{key}", stamp))

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.db is not None:
            self._compact()
            self.db.close()
            self.db = None

    def _compact(self) -> None:
        """Give back the space of deleted rows once it is most of the file.

        SQLite reuses freed pages but never shrinks the file by itself. A new engine's first
        build deletes every record and writes them all again, and a 10,000-article cache
        that held 150 MB of rows had grown to 2 GB that way. VACUUM costs about a second
        per 100 MB kept, so it runs only when it frees more than it keeps.
        """
        assert self.db is not None
        with suppress(sqlite3.Error):
            (pages,) = self.db.execute("PRAGMA page_count").fetchone()
            (free,) = self.db.execute("PRAGMA freelist_count").fetchone()
            (size,) = self.db.execute("PRAGMA page_size").fetchone()
            if free * 2 > pages and free * size > COMPACT_BYTES:
                self.db.execute("VACUUM")


class ResultMemo:
    """Cached values for one result name, each row keyed by a hash of its inputs. What a build
    asks for and what it stores is kept by `save`; rows no build asked for are dropped."""

    def __init__(self, cache: BuildCache, name: str) -> None:
        self._cache, self._prefix = cache, f"{name}:"
        self._used: set[str] = set()
        self._new: dict[str, Any] = {}
        self._stored: dict[str, bytes] | None = None  # every row, once `load` has read them

    def load(self) -> None:
        """Read every stored row now: a forked process may then use this memo, which it must
        not do through the database (an SQLite connection must not cross a fork)."""
        db = self._cache.db
        if db is not None and self._stored is None:
            rows = db.execute(
                "SELECT key, value FROM results WHERE key >= ? AND key < ?",
                _key_range(self._prefix),
            )
            self._stored = {key[len(self._prefix) :]: value for key, value in rows}

    def get(self, key: str) -> Any | None:
        self._used.add(key)
        if self._stored is not None:
            blob = self._stored.get(key)
            return None if blob is None else _unpickled(blob)
        db = self._cache.db
        if db is None:
            return None
        row = db.execute("SELECT value FROM results WHERE key = ?", (self._prefix + key,))
        found = row.fetchone()
        return None if found is None else _unpickled(found[0])

    def __setitem__(self, key: str, value: Any) -> None:
        self._used.add(key)
        self._new[key] = value

    def use(self) -> MemoUse:
        """What this memo was asked for and given, for the memo of the process that saves."""
        return MemoUse(frozenset(self._used), dict(self._new))

    def absorb(self, use: MemoUse) -> None:
        self._used |= use.used
        self._new.update(use.new)

    def save(self) -> None:
        db = self._cache.db
        if db is None:
            return
        prefix = self._prefix
        rows = db.execute("SELECT key FROM results WHERE key >= ? AND key < ?", _key_range(prefix))
        stored = {row[0] for row in rows}
        unused = [(name,) for name in stored if name[len(prefix) :] not in self._used]
        with db:
            db.executemany("DELETE FROM results WHERE key = ?", unused)
            db.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?)",
                [(prefix + key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
                 for key, value in self._new.items()],
            )  # fmt: skip
        self._new.clear()


@dataclasses.dataclass(frozen=True)
class MemoUse:
    used: frozenset[str]
    new: dict[str, Any]


def _key_range(prefix: str) -> tuple[str, str]:
    """The keys that start with `prefix`, as bounds for `key >= ? AND key < ?`.

    Not substr() or LIKE: SQLite's string functions stop at the first NUL, and the results
    of an articles folder are keyed "folder NUL name", so substr(key, 1, n) never matched.
    Comparison is bytewise and reads past a NUL.
    """
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _unpickled(blob: bytes) -> Any | None:
    """A cached result, or None when it does not load: then it is computed again."""
    try:
        return pickle.loads(blob)
    except Exception:  # written by something else than this engine (any error unpickling can)
        return None


def _stat_signature(file: SourceFile, seen: Mapping[str, str]) -> tuple[str, bool]:
    """(signature of the file and its sidecars as stat sees them, whether it is too fresh to
    trust); `seen` holds what the build's stamp found of files old enough to trust."""
    parts: list[str] = []
    racy = False
    threshold = time.time_ns() - RACY_NS
    for path in (file.path, *file.sidecars):
        part = seen.get(str(path))
        if part is None:
            try:
                st = path.stat()
            except OSError:
                return "", True
            racy = racy or st.st_mtime_ns > threshold or st.st_ctime_ns > threshold
            part = stat_part(path.name, st)
        parts.append(part)
    return "|".join(parts), racy


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: for phases that allocate many objects that all
    stay alive, where every collection would traverse them in vain."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with suppress(OSError):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
