"""Stage 4: plan every page of the site from the archive.

A `Page` is an output path, a template and the read-only context that template sees. Nothing
is rendered here, so the plan can be checked (two pages, one path) and, later, compared with
the previous build's plan. Links are relative to the page (`page.rel(target)`), so the site
works from file:// and under any sub-path of a host.
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import SiteConfig
from .model import Archive


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
        here = posixpath.dirname(self.url) or "."
        fragment = ""
        if "#" in target:
            target, fragment = target.split("#", 1)
            fragment = "#" + fragment
        if not target:
            return fragment or "#"
        return posixpath.relpath(target, here) + fragment

    @property
    def root(self) -> str:
        """Relative path from this page to the site root, ending in '/' ('' at the root)."""
        depth = self.url.count("/")
        return "../" * depth


@dataclass(frozen=True)
class Pager:
    """Where one page of a long list stands among its siblings.

    Pages are numbered from the oldest items: page 1 holds the oldest `per_page` items and
    page `count`, the list's main URL, the newest (it may be short). Adding an item to the
    front of a list therefore changes only the main page, and `x-1.html` … stay permanent.
    """

    number: int
    count: int
    urls: tuple[str, ...]  # urls[k - 1] is page k; the last is the list's main URL

    @property
    def is_main(self) -> bool:
        """The newest page, published at the list's own URL."""
        return self.number == self.count

    @property
    def previous(self) -> str | None:
        """The page before this one in numbering: older items."""
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        """The page after this one in numbering: newer items."""
        return self.urls[self.number] if self.number < self.count else None


def paginate(
    items: Sequence[Any], per_page: int, main_url: str
) -> Iterator[tuple[str, Sequence[Any], Pager]]:
    """Split a newest-first list into pages numbered from the oldest.

    Page k < count is `x-k.html` and holds the k-th oldest `per_page` items; the newest page
    is `main_url` itself and holds what is left (one page even when the list is empty).
    Items stay newest first within each page.
    """
    total = len(items)
    count = max(1, math.ceil(total / per_page))
    stem = main_url.removesuffix(".html")
    urls = tuple(main_url if n == count else f"{stem}-{n}.html" for n in range(1, count + 1))
    for n, url in enumerate(urls, start=1):
        # Counted from the end of the newest-first list, so page n never moves when newer
        # items arrive.
        start, stop = max(0, total - n * per_page), total - (n - 1) * per_page
        yield url, items[start:stop], Pager(n, count, urls)


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
        pages.append(
            Page(article.url, "article.html", {"article": article, "older": older, "newer": newer})
        )
    for (year, month), articles in archive.by_month.items():
        for url, chunk, pager in paginate(articles, config.per_page, month_url(year, month)):
            pages.append(
                Page(url, "month.html", {"year": year, "month": month, "articles": chunk,
                                         "pager": pager, "total": _total(articles, pager)})
            )  # fmt: skip
    if archive.undated:
        for url, chunk, pager in paginate(archive.undated, config.per_page, "archive/undated.html"):
            pages.append(
                Page(url, "undated.html", {"articles": chunk, "pager": pager,
                                           "total": _total(archive.undated, pager)})
            )  # fmt: skip
    return pages


def _total(items: Sequence[Any], pager: Pager) -> int | None:
    """A list's length, given to its main page only: older pages must not change (and be
    rewritten) each time the list grows, so they show no count that grows with it."""
    return len(items) if pager.is_main else None
