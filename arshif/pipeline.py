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
from .pages import plan_pages
from .parse import parse_article
from .render import Renderer
from .slugs import assign_slugs, lock_path, read_lock, write_lock
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

    def summary(self) -> str:
        return (
            f"built {self.articles} articles, {self.pages} pages "
            f"({self.files} files, {self.bytes / 1024:.0f} KiB) in {self.seconds:.2f} s"
        )


def gather(config: SiteConfig, report: BuildReport) -> tuple[Archive, dict[str, str]]:
    """Read and parse every article, settle slugs (slugs.py) and build the archive; raise
    BuildErrors listing every problem found. Also returns the slug lock to record."""
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
    slugs = assign_slugs(articles, read_lock(lock_path(config)), {s.rel for s in sources})
    report.warnings.extend(slugs.warnings)
    archive, collisions = build_archive(slugs.articles)
    problems.extend(collisions)
    if problems:
        raise BuildErrors(problems)
    report.undated = [a.src for a in archive.undated]
    return archive, slugs.lock


def build(config: SiteConfig) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    archive, lock = gather(config, report)
    pages = plan_pages(archive, config)
    renderer = Renderer(config)
    writer = SiteWriter(
        config.output_dir,
        protected=[config.articles_dir, config.templates_dir, config.static_dir, config.path],
    )
    try:
        for page in pages:
            writer.write(page.url, renderer.render(page))
        writer.copy_tree(config.static_dir, "static")
        writer.publish()
    except BaseException:
        writer.abort()
        raise
    if lock != read_lock(lock_path(config)):
        write_lock(lock_path(config), lock)
    report.articles = len(archive.articles)
    report.pages = len(pages)
    report.files = len(writer.written)
    report.bytes = sum(writer.written.values())
    report.seconds = time.perf_counter() - started
    return report
