"""Stage 4: plan every page of the site from the archive.

A `Page` is an output path, a template and the read-only context that template sees. Nothing
is rendered here, so the plan can be checked (two pages, one path) and, later, compared with
the previous build's plan. Links are relative to the page (`page.rel(target)`), so the site
works from file:// and under any sub-path of a host.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import SiteConfig
from .dates import format_date
from .model import Archive, Article, Taxonomy
from .publishing import feed_articles, robots_txt, sitemap_files
from .search import SearchDoc, SearchStats, build_search_index


@dataclass(frozen=True)
class Page:
    """One output file: rendered from `template` with `context`, or given as ready `body` bytes
    (search index shards and other generated data)."""

    url: str  # output path relative to the site root, e.g. "articles/x.html"
    template: str | None
    context: Mapping[str, Any] = field(default_factory=dict)
    body: bytes | None = None

    def rel(self, target: str) -> str:
        """`target` (site-root-relative) as a link from this page."""
        fragment = ""
        if "#" in target:
            target, fragment = target.split("#", 1)
            fragment = "#" + fragment
        if not target:
            return fragment or "#"
        # Called for every link of every page: a plain walk over the folders beats relpath().
        here = self.url.split("/")[:-1]
        there = target.split("/")
        common = 0
        while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
            common += 1
        return "../" * (len(here) - common) + "/".join(there[common:]) + fragment

    @property
    def root(self) -> str:
        """Relative path from this page to the site root, ending in '/' ('' at the root)."""
        depth = self.url.count("/")
        return "../" * depth


@dataclass(frozen=True)
class Pager:
    """Where one page of a long list stands among its siblings."""

    number: int
    count: int
    urls: tuple[str, ...]

    @property
    def previous(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


def paginate(
    items: Sequence[Any], per_page: int, first_url: str
) -> Iterator[tuple[str, Sequence[Any], Pager]]:
    """Split a list into pages: `x.html`, `x-2.html`, … (one page even when the list is empty)."""
    count = max(1, math.ceil(len(items) / per_page))
    stem = first_url.removesuffix(".html")
    urls = tuple(first_url if n == 1 else f"{stem}-{n}.html" for n in range(1, count + 1))
    for n, url in enumerate(urls, start=1):
        yield url, items[(n - 1) * per_page : n * per_page], Pager(n, count, urls)


# Arabic names of each grouping: (the list's heading, one term's label).
KIND_LABELS: dict[str, tuple[str, str]] = {
    "tags": ("الوسوم", "وسم"),
    "sources": ("المصادر", "مصدر"),
    "sections": ("الأقسام", "قسم"),
    "people": ("الأشخاص", "شخص"),
    "places": ("الأماكن", "مكان"),
    "organisations": ("المنظمات", "منظمة"),
}
# Groupings that also get Atom/RSS feeds of their own.
FEED_KINDS = {"tags", "people", "places", "organisations"}


def month_url(year: int, month: int) -> str:
    return f"archive/{year:04d}-{month:02d}.html"


def plan_pages(archive: Archive, config: SiteConfig) -> list[Page]:
    pages: list[Page] = [
        Page("index.html", "index.html", {"articles": archive.articles[: config.home_latest],
                                          "total": len(archive.articles)}),
        Page("archive/index.html", "archive.html", {"archive": archive}),
        Page("404.html", "404.html", {}),
    ]  # fmt: skip
    for article in archive.articles:
        older, newer = archive.neighbours(article)
        context = {"article": article, "older": older, "newer": newer,
                   "terms": article_terms(archive, article)}  # fmt: skip
        pages.append(Page(article.url, "article.html", context))
    for (year, month), articles in archive.by_month.items():
        for url, chunk, pager in paginate(articles, config.per_page, month_url(year, month)):
            pages.append(
                Page(url, "month.html", {"year": year, "month": month, "articles": chunk,
                                         "pager": pager, "total": len(articles)})
            )  # fmt: skip
    pages += feed_pages("", config.title, archive.articles, "index.html", config)
    for taxonomy in archive.taxonomies:
        pages += taxonomy_pages(taxonomy, config)
    if archive.undated:
        for url, chunk, pager in paginate(archive.undated, config.per_page, "archive/undated.html"):
            pages.append(
                Page(url, "undated.html", {"articles": chunk, "pager": pager,
                                           "total": len(archive.undated)})
            )  # fmt: skip
    return pages


def article_terms(archive: Archive, article: Article) -> dict[str, tuple[tuple[str, str], ...]]:
    """For each grouping, the (name, url) of every term this article carries."""
    keys = {
        "tags": article.tags,
        "sources": (article.source,) if article.source else (),
        "sections": (article.section,) if article.section else (),
    }
    links: dict[str, tuple[tuple[str, str], ...]] = {}
    for taxonomy in archive.taxonomies:
        found = (taxonomy.find(k) for k in keys.get(taxonomy.kind, ()))
        links[taxonomy.kind] = tuple((t.name, taxonomy.url(t)) for t in found if t is not None)
    return links


def taxonomy_pages(taxonomy: Taxonomy, config: SiteConfig) -> list[Page]:
    """The index of a grouping and one paginated page (plus feeds) per term."""
    title, label = KIND_LABELS[taxonomy.kind]
    pages = [Page(taxonomy.index_url, "taxonomy.html", {"taxonomy": taxonomy, "title": title})]
    has_feeds = taxonomy.kind in FEED_KINDS
    for term in taxonomy.terms:
        url = taxonomy.url(term)
        folder = url.removesuffix("index.html")
        for page_url, chunk, pager in paginate(term.articles, config.per_page, url):
            context = {"term": term, "articles": chunk, "pager": pager, "label": label,
                       "kind_title": title, "index_url": taxonomy.index_url,
                       "feed": folder if has_feeds else None}  # fmt: skip
            pages.append(Page(page_url, "term.html", context))
        if has_feeds:
            pages += feed_pages(folder, f"{term.name} | {config.title}", term.articles, url, config)
    return pages


def feed_pages(
    prefix: str, title: str, articles: Sequence[Article], html_url: str, config: SiteConfig
) -> list[Page]:
    """An Atom feed (`feed.xml`) and an RSS 2.0 feed (`rss.xml`) of the newest articles."""
    context = {
        "feed_title": title,
        "articles": tuple(feed_articles(articles, config.feed_entries)),
        "html_url": html_url,
    }
    return [
        Page(f"{prefix}feed.xml", "atom.xml", context),
        Page(f"{prefix}rss.xml", "rss.xml", context),
    ]


def search_pages(
    archive: Archive, config: SiteConfig, synonyms: Mapping[str, str]
) -> tuple[list[Page], SearchStats]:
    """The search page and the index it loads (built here, in Python, at build time)."""
    docs = [
        SearchDoc(
            url=a.url,
            title=a.title,
            date=a.date.isoformat() if a.date else "",
            date_text=format_date(a.date, config.month_style, config.digits) if a.date else "",
            source=a.source or "",
            text="\n".join(a.paragraphs),
        )
        for a in archive.articles
    ]
    index = build_search_index(docs, synonyms)
    pages = [Page("search.html", "search.html", {})]
    pages += [Page(name, None, body=data) for name, data in sorted(index.files.items())]
    return pages, index.stats


def site_files(pages: Sequence[Page], config: SiteConfig) -> list[Page]:
    """Files about the whole site, planned last because they list the other pages."""
    files = [Page("robots.txt", None, body=robots_txt(config))]
    for name, body in sitemap_files(config, (p.url for p in pages)).items():
        files.append(Page(name, None, body=body))
    return files
