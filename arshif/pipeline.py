"""The build, top to bottom: read → parse → archive → plan → render → write (the shared
passages and the search index made beside archive and plan).

`build()` is the whole story of one article's way from `articles/` to the output folder.
Errors from every file are collected before anything is written, so one run lists them all
and the published site stays as it was.

Builds are incremental: the cache (cache.py) returns the parsed record of every source whose
bytes did not change, and every page whose input fingerprint matches the one its published
file was rendered from is neither rendered nor rewritten. The result is byte for byte the
output of a clean build (`--clean`), which tests/test_incremental.py checks.
"""

from __future__ import annotations

import gc
import pickle
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from typing import Literal

from .cache import BuildCache, MemoUse, ResultMemo, paused_gc
from .config import SiteConfig
from .errors import BuildErrors, SourceError
from .fingerprint import Fingerprints, body_fingerprint
from .model import (
    Archive,
    Article,
    Relations,
    build_archive,
    one_per_slug,
    related_since,
    relations_key,
    shared_clusters,
)
from .pages import (
    Page,
    article_tokens,
    plan_articles,
    plan_lists,
    search_pages,
    search_synonyms,
    site_files,
)
from .parallel import in_background_pair, ordered_map
from .parse import Parsed, parse_article
from .progress import SILENT, Progress
from .publishing import fingerprint_assets, hashed_copies
from .related import RelatedState
from .render import CompiledTemplates, Renderer
from .report import BuildReport, ClusterNote, SearchStats
from .similar import PassageCluster
from .slugs import assign_slugs, lock_bytes, lock_path, read_lock, write_lock
from .sources import SourceFile, list_sources, read_source
from .stamp import check_unchanged, with_lock
from .write import (
    Output,
    SiteWriter,
    published_unchanged,
    trusted_manifest,
)


@dataclass
class Gathered:
    """Every source read and parsed and every slug settled: what the archive is made of."""

    articles: list[Article]  # published, one per slug
    lock: dict[str, str]
    locked: dict[str, str]  # the lock as it was before this build


def read_articles(
    files: list[SourceFile],
    config: SiteConfig,
    cache: BuildCache,
    report: BuildReport,
    tick: Callable[[], None],
) -> tuple[list[Parsed], list[SourceError]]:
    """Parse every source, reusing the cached record of each one whose bytes did not change
    (checked by stat first, so an untouched file is not even read). The others are read
    and parsed on every core."""
    records: dict[int, Parsed] = {}
    touched: list[int] = []
    for index, file in enumerate(files):
        record = cache.lookup(file)
        if record is None:
            touched.append(index)
        else:
            records[index] = record
            tick()

    def read_and_parse(index: int) -> tuple[str, bytes | None] | SourceError:
        file = files[index]
        try:
            source = read_source(file.path, config.articles_dir)
            if source.digest == cache.known_digest(file):
                return source.digest, None  # touched, not changed: the cached record holds
            # Pickled here, as the cache stores it: sent so, it is not pickled again there.
            record = parse_article(source, config)
            return source.digest, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        except SourceError as err:
            return err

    errors: list[SourceError] = []
    for index, result in zip(touched, ordered_map(read_and_parse, touched), strict=True):
        tick()
        if isinstance(result, SourceError):
            errors.append(result)
            continue
        digest, blob = result
        if blob is None:
            record = cache.lookup_digest(files[index], digest)
            assert record is not None
        else:
            report.parsed += 1
            record = pickle.loads(blob)
            cache.remember(files[index], digest, record, blob)
        records[index] = record
    cache.save_sources()
    return [records[index] for index in sorted(records)], errors


@dataclass(frozen=True)
class KnownRelations:
    """What the cache holds for the archive's relations: the result, if still current, and
    whether the related lists of an earlier build are there to be brought up to date."""

    key: str
    found: Relations | None
    lists: bool


def known_relations(articles: Sequence[Article], cache: BuildCache) -> KnownRelations:
    key = relations_key(articles, cache.settings)
    # Stored in two parts, both under the key: the shared passages, and the related lists in
    # the state that brings them up to date. (Stored whole as well, the lists were written
    # twice by every build that moved them: 2 MB more to pickle and write at 10,000 articles.)
    clusters = cache.result("relations", key)
    state = cache.result("related", key) if isinstance(clusters, tuple) else None
    if isinstance(clusters, tuple) and isinstance(state, RelatedState):
        return KnownRelations(key, Relations(state.lists, clusters), True)
    return KnownRelations(key, None, cache.holds("related", None))


def cached_relations(
    articles: Sequence[Article],
    cache: BuildCache,
    known: KnownRelations | None = None,
    clusters: Callable[[], tuple[PassageCluster, ...]] | None = None,
) -> Relations:
    """`relate` over the whole archive, reused while no article's slug, date, tags or text moved
    (it is the one archive-wide computation whose cost grows faster than the archive).
    `known` is `known_relations` when the caller has looked already; `clusters` gives the
    shared passages when they are being found elsewhere (`relate_since`)."""
    relating = Relating(cache, known or known_relations(articles, cache))
    return replace(relating.lists(articles), clusters=relating.clusters(articles, clusters))


class Relating:
    """`cached_relations` in two steps: the related lists, then the shared passages. A
    rebuild finds the passages in another process meanwhile, and plans the pages that show
    none of them before it waits for them (it waited 0.07–0.09 s of an addition at 10,000
    articles, with nothing left to do)."""

    def __init__(self, cache: BuildCache, known: KnownRelations) -> None:
        self._cache, self._known = cache, known
        self._state: RelatedState | None = None

    def lists(self, articles: Sequence[Article]) -> Relations:
        """The related lists, as Relations without any shared passage."""
        if self._known.found is not None:
            return replace(self._known.found, clusters=())
        # The related lists of the last build, whatever it was built from: one new article
        # moves a few hundred lists, and only those are computed again.
        previous = self._cache.result("related", None)
        self._state = related_since(
            articles, previous if isinstance(previous, RelatedState) else None,
            self._cache.settings,
        )  # fmt: skip
        return Relations(self._state.lists, ())

    def clusters(
        self,
        articles: Sequence[Article],
        found: Callable[[], tuple[PassageCluster, ...]] | None = None,
    ) -> tuple[PassageCluster, ...]:
        """The shared passages of the articles given to `lists`: `found()` when given."""
        if self._known.found is not None:
            return self._known.found.clusters
        assert self._state is not None, "lists() comes first"
        clusters = found() if found is not None else shared_clusters(articles)
        self._cache.store_result("relations", self._known.key, clusters)
        self._cache.store_result("related", self._known.key, self._state)
        return clusters


def gather(
    config: SiteConfig, cache: BuildCache, report: BuildReport, progress: Progress = SILENT
) -> Gathered:
    """Read and parse every article and settle slugs; raise BuildErrors listing every problem
    found."""
    files, problems = list_sources(config.articles_dir)
    with progress.stage("read", len(files)) as tick:
        parsed, errors = read_articles(files, config, cache, report, tick)
    problems.extend(errors)
    for record in parsed:
        report.warnings.extend(record.warnings)
    report.drafts = sum(1 for record in parsed if record.article.draft)
    locked = read_lock(lock_path(config))
    slugs = assign_slugs(
        [r.article for r in parsed if not r.article.draft], locked, {f.rel for f in files}
    )
    report.warnings.extend(slugs.warnings)
    articles, collisions = one_per_slug(slugs.articles)
    problems.extend(collisions)
    if problems:
        raise BuildErrors(problems)
    return Gathered(articles, slugs.lock, locked)


def relate_archive(
    gathered: Gathered,
    config: SiteConfig,
    report: BuildReport,
    relations: Callable[[Sequence[Article]], Relations],
) -> Archive:
    """The archive: articles in order, grouped by term and related to each other by
    `relations` (`cached_relations`)."""
    archive, _ = build_archive(
        gathered.articles, config.gazetteer, relations
    )  # no collisions: `gather` kept one article per slug
    report.undated = [a.src for a in archive.undated]
    for article in archive.articles:
        for name in article.candidates:
            report.candidates.setdefault(name, []).append(article.src)
    note_clusters(report, archive)
    return archive


def note_clusters(report: BuildReport, archive: Archive) -> None:
    by_slug = {a.slug: a.src for a in archive.articles}
    report.clusters = tuple(
        ClusterNote(c.text, tuple(sorted(by_slug[slug] for slug in c.articles)))
        for c in archive.clusters
    )


def search_index(
    articles: Sequence[Article],
    config: SiteConfig,
    memo: ResultMemo,
    settings: str,
    published: Mapping[str, Output] | None = None,
) -> tuple[list[Page], SearchStats, MemoUse]:
    """The search index's files, and what `memo` was asked for and given. Files the
    `trusted_manifest` `published` shows as they are come without their bytes, `kept`:
    an addition at 10,000 articles changes two or three of its 3,500 files of doc records,
    and all of them, 16 MB, went through the pipe to be found unchanged there."""
    found, stats = search_pages(articles, config, search_synonyms(config.gazetteer), memo, settings)
    if published is not None:
        out = str(config.output_dir.resolve())
        found = [
            replace(page, body=None, kept=True)
            if page.body is not None
            and published_unchanged(out, published, page.url, body_fingerprint(page.body))
            else page
            for page in found
        ]
    return found, stats, memo.use()


def build(
    config: SiteConfig,
    clean: bool = False,
    progress: Progress = SILENT,
    stamp: str | Literal["take"] | None = "take",
    retain: list[object] | None = None,
    seen: dict[str, str] | None = None,
) -> BuildReport:
    """Build the site into `config.output_dir`, parsing, rendering and writing only what
    changed since the last build (everything when `clean`). `stamp` is the inputs' stamp
    when the caller took it already (and found it not current). A process that exits as
    soon as the build is done gives `retain`: what the build made (records, archive, pages)
    is left there for the exit to drop, rather than freed object by object on the way out
    (0.3 s of an addition at 10,000 articles). `seen` is what taking the stamp saw
    (`stamp.build_stamp`)."""
    started = time.perf_counter()
    if stamp == "take":
        seen = {}
        stamp, unchanged = check_unchanged(config, clean, started, seen)
        if unchanged is not None:
            return unchanged
    # Articles, pages and their contexts all live until the build ends and hold no garbage
    # cycles: collecting would only re-traverse them (10% of a cold build, 20% of a no-op).
    # Collection resumes once they are gone: the first one after a pause traverses every
    # object allocated during it that is still alive, which inside the build was all of
    # them (0.4 s at the end of an incremental build at 10k, and once more after the cache
    # was opened).
    with paused_gc():
        report = _build(config, clean, progress, stamp, started, retain, seen)
        if retain is not None:
            # Never to be collected: moved out of the collector's sight, or the first
            # collection after the pause would traverse every one of them (0.2 s).
            gc.freeze()
        return report


def _build(
    config: SiteConfig,
    clean: bool,
    progress: Progress,
    stamp: str | None,
    started: float,
    retain: list[object] | None,
    seen: dict[str, str] | None,
) -> BuildReport:
    report = BuildReport()
    with _timed(report, "cache"):
        cache = BuildCache.open(config, clean=clean, seen=seen)
    with cache:
        with _timed(report, "read"):
            gathered = gather(config, cache, report, progress)
        # The search index needs nothing but the articles: it is built in one process beside
        # this one while this one relates the articles, plans the pages and renders them (the
        # index's files are written last). When the related lists are only brought up to
        # date (most rebuilds), the shared passages are found there too, first: the lists
        # and the list pages here take about as long (`Relating`). (In a process of their
        # own, the passages cost a second fork of the whole archive, as much as the overlap
        # saved. In a first or clean build the index is the longer of the two already, and
        # the passages stay here.)
        memo = cache.memo("search-words")
        memo.load()
        known = known_relations(gathered.articles, cache)
        beside = known.found is None and known.lists
        passages = partial(shared_clusters, gathered.articles if beside else [])
        # Read before the fork: the index's process goes by it too (`search_index`).
        published = trusted_manifest(
            config.output_dir.resolve(), cache.published(config.output_dir)
        )
        indexing = partial(search_index, gathered.articles, config, memo, cache.settings, published)
        with in_background_pair(passages, indexing) as (clusters, search):
            relating = Relating(cache, known)
            with _timed(report, "relate"):
                archive = relate_archive(gathered, config, report, relating.lists)
            with _timed(report, "plan"):
                tokens = article_tokens(archive.articles)
                lists = plan_lists(archive, config, tokens)
                shared = relating.clusters(archive.articles, clusters.result if beside else None)
                archive = replace(archive, clusters=shared)
                note_clusters(report, archive)
                pages = lists.assembled(plan_articles(archive, tokens))
                pages += site_files(pages, config)  # lists the .html pages: not the index's
            assets = fingerprint_assets(config.static_dir)
            compiled = cache.templates_dir()
            renderer = Renderer(
                config, assets,
                compiled=CompiledTemplates(compiled, cache.engine) if compiled else None,
            )  # fmt: skip
            references = cache.memo("template-references")
            references.load()
            fingerprints = Fingerprints(config, renderer.env, cache.engine, references)
            protected = [config.articles_dir, config.templates_dir, config.static_dir, config.path]
            writer = SiteWriter(config.output_dir, protected=protected, previous=published)
            recorded = cache.published_groups(config.output_dir) if writer.previous else {}
            try:
                with _timed(report, "render"), progress.stage("render", len(pages)) as tick:
                    groups = _render(pages, fingerprints, renderer, writer, recorded, report, tick)
                    # The index files last: the search index's process is still making them
                    # while the pages are rendered here.
                    with _timed(report, "search"):
                        found, report.search, used = search.result()
                    _render(found, fingerprints, renderer, writer, {}, report, lambda: None)
                    writer.copy_tree(config.static_dir, "static")
                    for name, data in hashed_copies(config.static_dir, assets).items():
                        writer.write(name, data)
                with _timed(report, "publish"):
                    cache.begin_publish(config.output_dir)
                    writer.publish()
            except BaseException:
                writer.abort()
                raise
        memo.absorb(used)
        memo.save()
        pages += found
        cache.end_publish(config.output_dir, writer.manifest, writer.previous, groups, recorded)
        references.save()
        _count(report, writer, len(archive.articles), len(pages))
        relock = gathered.lock != gathered.locked
        if relock and stamp is not None:
            # The lock is about to change: the next build must find it as written below.
            stamp = with_lock(stamp, lock_bytes(gathered.lock))
        cache.store_build(config.output_dir, stamp, _as_unchanged(report))
    if relock:
        write_lock(lock_path(config), gathered.lock)
    if retain is not None:
        retain.append(locals())
    report.seconds = time.perf_counter() - started
    return report


def _render(
    pages: Sequence[Page],
    fingerprints: Fingerprints,
    renderer: Renderer,
    writer: SiteWriter,
    recorded: Mapping[str, str],
    report: BuildReport,
    tick: Callable[[], None],
) -> dict[str, str]:
    """Stage every page whose file is not current, and keep the others; the key of each
    group of pages (`_kept_groups`)."""
    # Pages whose fingerprint costs no walk (given bytes, or their inputs) are fingerprinted
    # here, and those found current never go to the workers; neither do the pages found
    # current where they were made (`Page.kept`), nor those of a group found as it was
    # published.
    told: dict[int, str | None] = {}
    current: set[int] = set()
    for index, page in enumerate(pages):
        if page.kept:
            current.add(index)
        elif page.inputs is not None or page.body is not None:
            told[index] = fingerprints.of(page)
            if writer.unchanged(page.url, told[index]):
                current.add(index)
    kept, groups = _kept_groups(pages, fingerprints, writer, recorded)
    current |= kept

    def make(index: int) -> tuple[Output, bool] | None:
        # All of a page's work happens in a worker, its file staged there too: the
        # fingerprint walk alone costs as much as rendering a few thousand pages, and a cold
        # build's 350 MB never pass through the parent.
        page = pages[index]
        if index in told:  # found not current already
            fingerprint = told[index]
        else:
            fingerprint = fingerprints.of(page)
            if writer.unchanged(page.url, fingerprint):
                return None  # most term pages of an incremental build stop here
        return writer.stage_file(page.url, renderer.render(page), fingerprint)

    made = iter(ordered_map(make, [i for i in range(len(pages)) if i not in current]))
    for index, page in enumerate(pages):
        staged = None if index in current else next(made)
        if staged is None:
            writer.keep(page.url)
        else:
            writer.record(page.url, *staged)
            report.rendered += 1
        tick()
    return groups


def _kept_groups(
    pages: Sequence[Page],
    fingerprints: Fingerprints,
    writer: SiteWriter,
    recorded: Mapping[str, str],
) -> tuple[set[int], dict[str, str]]:
    """The pages of each group (`Page.group`) whose key is the one `recorded` when its pages
    were published, and still on disk as published; and the key of every group now.

    A group's pages are the output of one function of its key (and the settings and
    templates, which `Fingerprints.group` adds): with the key recorded, each page of the
    group was published from the inputs it has now, so its fingerprint need not be taken.
    Those of the other groups are, page by page: an addition changes a few pages of a term.
    """
    keys: dict[str, str | None] = {}
    kept: set[int] = set()
    for index, page in enumerate(pages):
        if page.group is None:
            continue
        name, key = page.group
        if name not in keys:
            keys[name] = fingerprints.group(key)
        now = keys[name]
        if now is not None and recorded.get(name) == now and writer.intact(page.url):
            kept.add(index)
    return kept, {name: key for name, key in keys.items() if key is not None}


def _as_unchanged(report: BuildReport) -> BuildReport:
    """What a build from the same inputs will report: the same site, nothing written."""
    return replace(
        report, written=0, removed=0, unchanged=report.files, bytes=0, parsed=0, rendered=0,
        changes=[], timings={}, seconds=0.0,
    )  # fmt: skip


def _count(report: BuildReport, writer: SiteWriter, articles: int, pages: int) -> None:
    previous = writer.previous or {}
    report.articles = articles
    report.pages = pages
    report.files = len(writer.manifest)
    report.written = len(writer.written)
    report.unchanged = report.files - report.written
    report.removed = len(writer.removed)
    report.bytes = sum(writer.written.values())
    report.changes = sorted(
        [f"{'~' if rel in previous else '+'} {rel}" for rel in writer.written]
        + [f"- {rel}" for rel in writer.removed],
        key=lambda change: change[2:],
    )


@contextmanager
def _timed(report: BuildReport, stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        report.timings[stage] = time.perf_counter() - started
