"""The build, top to bottom: read → parse → archive → plan → render → write.

`build()` is the whole story of one article's way from `articles/` to the output folder.
Errors from every file are collected before anything is written, so one run lists them all
and the published site stays as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .config import SiteConfig
from .errors import ArshifError, BuildErrors, SourceError
from .model import Archive, Article, build_archive
from .pages import plan_pages, search_pages, site_files
from .parse import parse_article
from .publishing import fingerprint_assets, hashed_copies
from .render import Renderer
from .search import SearchStats
from .sources import find_sources
from .write import SiteWriter


@dataclass
class BuildReport:
    articles: int = 0
    pages: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    drafts: int = 0
    undated: list[str] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    search: SearchStats | None = None

    def summary(self) -> str:
        line = (
            f"built {self.articles} articles, {self.pages} pages "
            f"({self.files} files, {self.bytes / 1024:.0f} KiB) in {self.seconds:.2f} s"
        )
        if self.search is not None:
            line += (
                f"; search index {self.search.index_bytes / 1024:.0f} KiB in "
                f"{self.search.shards} shards"
            )
        return line


def gather(config: SiteConfig, report: BuildReport) -> Archive:
    """Read and parse every article; raise BuildErrors listing every problem found."""
    sources, errors = find_sources(config.articles_dir)
    problems: list[ArshifError] = list(errors)
    articles: list[Article] = []
    for source in sources:
        try:
            parsed = parse_article(source, config)
        except SourceError as err:
            problems.append(err)
            continue
        report.warnings.extend(parsed.warnings)
        if parsed.article.draft:
            report.drafts += 1
        else:
            articles.append(parsed.article)
    archive, collisions = build_archive(articles)
    problems.extend(collisions)
    if problems:
        raise BuildErrors(problems)
    report.undated = [a.src for a in archive.undated]
    return archive


def build(config: SiteConfig) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    archive = gather(config, report)
    pages = plan_pages(archive, config)
    found, report.search = search_pages(archive, config, synonyms={})
    pages += found
    pages += site_files(pages, config)
    assets = fingerprint_assets(config.static_dir)
    renderer = Renderer(config, assets)
    writer = SiteWriter(
        config.output_dir,
        protected=[config.articles_dir, config.templates_dir, config.static_dir, config.path],
    )
    try:
        for page in pages:
            writer.write(page.url, renderer.render(page))
        writer.copy_tree(config.static_dir, "static")
        for name, data in hashed_copies(config.static_dir, assets).items():
            writer.write(name, data)
        writer.publish()
    except BaseException:
        writer.abort()
        raise
    report.articles = len(archive.articles)
    report.pages = len(pages)
    report.files = len(writer.written)
    report.bytes = sum(writer.written.values())
    report.seconds = time.perf_counter() - started
    return report
