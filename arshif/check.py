"""`arshif check`: validate every input without writing the site.

Sits above the pipeline: it reads and parses like a build (reusing the parse cache), settles
slugs and plans pages like a build, and then looks for what a build tolerates but an editor
should fix. Hands on a sorted list of findings, each printed as `file:line: level: message`;
any error makes the command exit 1.

    error    the build would fail (unreadable file, bad metadata, duplicate slug), or a
             Markdown link points at a page or file the site will not have
    warning  undated article, no title (cut from the lede), no source, unknown front-matter
             key, derived slug given a suffix, near-duplicate text
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .cache import BuildCache
from .config import SiteConfig
from .errors import BuildErrors, SourceError
from .model import Archive, Article, build_archive, signatures_of
from .pages import plan_pages
from .pipeline import cached_relations, read_articles
from .progress import SILENT, Progress
from .report import BuildReport
from .similar import matchable_paragraphs, shared_among
from .slugs import assign_slugs, lock_path, read_lock
from .sources import SourceFile, decode_bytes, list_sources


@dataclass(frozen=True)
class Finding:
    level: str  # "error" | "warning"
    problem: SourceError

    def __str__(self) -> str:
        return self.problem.leveled(self.level)

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.problem.path), self.problem.line or 0, str(self))


def check_site(config: SiteConfig, progress: Progress = SILENT) -> list[Finding]:
    """Every problem in the site's inputs, sorted by file and line."""
    findings: list[Finding] = []

    def add(level: str, problems: Iterable[SourceError]) -> None:
        findings.extend(Finding(level, p) for p in problems)

    files, listing = list_sources(config.articles_dir)
    add("error", listing)
    with BuildCache.open(config) as cache:
        with progress.stage("read", len(files)) as tick:
            parsed, errors = read_articles(files, config, cache, BuildReport(), tick)
        add("error", errors)
        add("warning", (w for record in parsed for w in record.warnings))
        try:
            locked = read_lock(lock_path(config))
        except BuildErrors as err:
            add("error", (e for e in err.errors if isinstance(e, SourceError)))
            locked = {}
        published = [r.article for r in parsed if not r.article.draft]
        slugs = assign_slugs(published, locked, {f.rel for f in files})
        # The build's relations, from the cache when a build already made them.
        archive, collisions = build_archive(
            slugs.articles, config.gazetteer, lambda ordered: cached_relations(ordered, cache)
        )
    # The archive names articles by their path inside the articles folder; point at the file.
    where = {f.rel: f.path for f in files}
    add("warning", (_in_folder(w, where) for w in slugs.warnings))
    add("error", (_in_folder(e, where) for e in collisions))
    for article in archive.articles:
        add("warning", _metadata_gaps(article, where[article.src]))
    add("warning", near_duplicates(archive, where))
    add("error", broken_links(archive, config, files))
    return sorted(findings, key=lambda f: f.sort_key)


def _in_folder(problem: SourceError, where: dict[str, Path]) -> SourceError:
    path = where.get(problem.path.as_posix())
    if path is None:
        return problem
    return SourceError(path, problem.detail, problem.line, problem.hint)


def _metadata_gaps(article: Article, path: Path) -> Iterable[SourceError]:
    line = article.src_line
    if article.date is None:
        yield SourceError(path, "undated: no date in metadata, file name or text", line,
                          hint="add 'date:' to its front matter or sidecar")  # fmt: skip
    if article.title_origin == "lede":
        yield SourceError(path, f"no title: using the start of the lede («{article.title}»)",
                          line, hint="add 'title:'")  # fmt: skip
    if not article.source:
        yield SourceError(path, "no source: the outlet that published it is unknown", line,
                          hint="add 'source:'")  # fmt: skip


# ---------------------------------------------------------------- near-duplicates
# Near-duplicates are read off the passages the build finds shared (similar.py): two articles
# are copies when most of the matchable paragraphs of one are carried by the other.
SHARED_FRACTION = 0.8


def near_duplicates(archive: Archive, where: dict[str, Path]) -> Iterable[SourceError]:
    # Every shared passage of every article, which a build does not need (it shows clusters).
    found = shared_among(
        {a.slug: signatures_of(a) for a in archive.articles},
        {a.slug: a.paragraphs for a in archive.articles},
    )
    shared: dict[tuple[str, str], set[int]] = defaultdict(set)  # (slug, other): its paragraphs
    for slug, passages in found.by_article.items():
        for passage in passages:
            shared[slug, passage.other].add(passage.paragraph)
    matchable: dict[str, int] = {}

    def matchable_count(slug: str) -> int:
        if slug not in matchable:
            matchable[slug] = len(matchable_paragraphs(signatures_of(archive.by_slug(slug))))
        return matchable[slug]

    def contained(slug: str, other: str) -> bool:
        return len(shared[slug, other]) >= SHARED_FRACTION * matchable_count(slug)

    for slug, other in sorted(shared):
        first, second = sorted((archive.by_slug(slug), archive.by_slug(other)), key=lambda a: a.src)
        if slug != first.slug or not (contained(slug, other) or contained(other, slug)):
            continue  # each pair once, and only when one is (almost) all in the other
        count = len(shared[second.slug, first.slug])
        yield SourceError(
            where[second.src],
            f"near-duplicate of {first.src}: {count} of its "
            f"{matchable_count(second.slug)} paragraphs appear there too",
            second.src_line,
            hint="delete one, or mark one 'draft: true'",
        )


# ---------------------------------------------------------------- internal links
_INLINE_LINK_RE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_REFERENCE_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_FRONT_MATTER_END_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def broken_links(
    archive: Archive, config: SiteConfig, files: Sequence[SourceFile]
) -> Iterable[SourceError]:
    """Links in Markdown bodies to pages or files the built site will not have."""
    outputs = {page.url for page in plan_pages(archive, config)}
    if config.static_dir.is_dir():
        outputs |= {
            "static/" + p.relative_to(config.static_dir).as_posix()
            for p in config.static_dir.rglob("*")
            if p.is_file()
        }
    by_source = {a.src: a for a in archive.articles}
    for file in files:
        article = by_source.get(file.rel)
        if article is None or article.kind != "md":
            continue
        for line, target in _links(file.path):
            problem = _check_link(target, article, outputs, by_source, file)
            if problem is not None:
                message, hint = problem
                yield SourceError(file.path, message, line, hint)


def _links(path: Path) -> Iterable[tuple[int, str]]:
    lines = decode_bytes(path.read_bytes(), path).split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        ends = (i for i in range(1, len(lines)) if _FRONT_MATTER_END_RE.match(lines[i]))
        start = next(ends, 0) + 1
    fenced = False
    for number, text in enumerate(lines[start:], start=start + 1):
        if _FENCE_RE.match(text):
            fenced = not fenced
            continue
        if fenced:
            continue
        text = re.sub(r"`[^`]*`", "", text)  # inline code is shown, not linked
        for inline in _INLINE_LINK_RE.finditer(text):
            yield number, inline[1]
        if reference := _REFERENCE_RE.match(text):
            yield number, reference[1]


def _check_link(
    target: str,
    article: Article,
    outputs: set[str],
    by_source: dict[str, Article],
    file: SourceFile,
) -> tuple[str, str | None] | None:
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path:
        return None  # external, or only a #fragment of this page
    path = unquote(parts.path)
    here = posixpath.dirname(article.url)
    resolved = posixpath.normpath(posixpath.join(here, path))
    if path.startswith("/") or resolved.startswith("../") or resolved == "..":
        return (f"link '{target}' leaves the site",
                "links are relative to the page, e.g. other-article.html")  # fmt: skip
    if resolved in outputs or f"{resolved}/index.html" in outputs:
        return None
    # A link to another article's source file: point the editor at that article's page.
    source = posixpath.normpath(posixpath.join(posixpath.dirname(file.rel), path))
    linked = by_source.get(source)
    if linked is not None:
        return (f"link '{target}' points at a source file, not a page",
                f"link to its page: {posixpath.relpath(linked.url, here)}")  # fmt: skip
    return f"link '{target}' points at a page the site will not have", None


def run_check(
    config: SiteConfig, out: Callable[[str], None], quiet: bool, progress: Progress
) -> int:
    """Print the findings; 1 when any is an error."""
    findings = check_site(config, progress)
    errors = sum(1 for f in findings if f.level == "error")
    for finding in findings:
        if finding.level == "error" or not quiet:
            out(str(finding))
    if not quiet:
        out(f"check: {errors} error(s), {len(findings) - errors} warning(s)")
    return 1 if errors else 0
