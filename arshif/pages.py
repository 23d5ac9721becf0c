"""Stage 4: plan every page of the site from the archive.

A `Page` is an output path, a template and the read-only context that template sees. Nothing
is rendered here, so the plan can be checked (two pages, one path) and, later, compared with
the previous build's plan. Links are relative to the page (`page.rel(target)`), so the site
works from file:// and under any sub-path of a host.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .arabic import words
from .config import SiteConfig
from .dates import format_date
from .gazetteer import Gazetteer
from .model import ENTITY_KINDS, Archive, Article, Taxonomy, Term
from .publishing import feed_articles, robots_txt, sitemap_files
from .report import SearchStats
from .search import SearchDoc, WordMemo, build_search_index


@dataclass(frozen=True)
class Page:
    """One output file: rendered from `template` with `context`, or given as ready `body` bytes
    (search index shards and other generated data)."""

    url: str  # output path relative to the site root, e.g. "articles/x.html"
    template: str | None
    context: Mapping[str, Any] = field(default_factory=dict)
    body: bytes | None = None
    # When set, a text (or its hash) that changes whenever `context` may (fingerprint.py
    # uses it in place of walking the context): cheap enough for the planning process to
    # tell which pages are current, so that only the others go to the build's workers.
    inputs: str | None = None
    # When set, (name, key): the pages of one name are a group (a year of a term, a feed,
    # a month of the archive) and the key changes whenever any of their contexts may
    # (`list_group`). A group found with the key it was last published with is current as
    # a whole: its pages are kept without a fingerprint each (pipeline.py). Their contexts
    # hold articles only as a list under "articles" (fingerprint.py's `list_text`).
    group: tuple[str, str] | None = None
    # True: a file of given bytes found, where it was made, as its last build published it
    # (`pipeline.search_index`); its bytes are left out, and the published file is kept.
    kept: bool = False

    def rel(self, target: str) -> str:
        """`target` (site-root-relative) as a link from this page."""
        fragment = ""
        if "#" in target:
            target, fragment = target.split("#", 1)
            fragment = "#" + fragment
        if not target:
            return fragment or "#"
        # Called for every link of every page (50 a page): most links leave the page's top
        # folder (a tag page's articles), and then the way is up to the root and down.
        url = self.url
        top = url.find("/") + 1
        if not top:
            return target + fragment
        if not target.startswith(url[:top]):
            return "../" * url.count("/") + target + fragment
        here = url.split("/")[:-1]
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


WINDOW = 2  # page links shown on either side of the current page


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

    @property
    def window(self) -> tuple[tuple[int, str | None], ...]:
        """The page links a pager shows: the first, the newest (the main URL), and up to
        WINDOW on either side of this one, with (0, None) where numbers are skipped.

        Listing every page made each page of a 160-page list carry 160 links (at 100,000
        articles most of the output). Far from the newest end, what is shown does not
        depend on how many pages there are, so older pages stay byte for byte the same as
        the list grows.
        """
        numbers = sorted(
            {1, self.count}
            | set(range(max(1, self.number - WINDOW), min(self.count, self.number + WINDOW) + 1))
        )
        shown: list[tuple[int, str | None]] = []
        for number in numbers:
            if shown and number > shown[-1][0] + 1:
                shown.append((0, None))
            shown.append((number, self.urls[number - 1]))
        return tuple(shown)


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
    tokens = article_tokens(archive.articles)
    lists = plan_lists(archive, config, tokens)
    return lists.assembled(plan_articles(archive, tokens))


@dataclass(frozen=True)
class ListPages:
    """Every page of `plan_pages` but the articles': what needs none of the archive's shared
    passages (the build plans these while another process is still finding them)."""

    head: list[Page]  # before the articles' pages
    rest: list[Page]  # after them

    def assembled(self, articles: list[Page]) -> list[Page]:
        return [*self.head, *articles, *self.rest]


def plan_articles(archive: Archive, tokens: Tokens | None) -> list[Page]:
    """The article pages of `plan_pages`, one per article in archive order."""
    notes, terms = SharedNotes(archive), TermLinks(archive)
    inputs = ArticleInputs(archive, notes, terms, tokens)
    return [
        Page(article.url, "article.html",
             LazyContext(partial(_article_context, archive, notes, terms, article)),
             inputs=inputs.of(index))
        for index, article in enumerate(archive.articles)
    ]  # fmt: skip


def plan_lists(archive: Archive, config: SiteConfig, tokens: Tokens | None) -> ListPages:
    """The pages of `plan_pages` that list articles or show the archive as a whole; none of
    them reads `archive.clusters`."""
    head: list[Page] = [
        Page("index.html", "index.html", {"articles": archive.articles[: config.home_latest],
                                          "total": len(archive.articles)}),
        Page("archive/index.html", "archive.html", archive_index(archive)),
        Page("404.html", "404.html", {}),
    ]  # fmt: skip
    pages: list[Page] = []
    for (year, month), articles in archive.by_month.items():
        main = month_url(year, month)
        group = list_group(main, articles, tokens, year, month)
        for url, chunk, pager in paginate(articles, config.per_page, main):
            pages.append(
                Page(url, "month.html", {"year": year, "month": month, "articles": chunk,
                                         "pager": pager, "total": _total(articles, pager)},
                     group=group)
            )  # fmt: skip
    pages += feed_pages("", config.title, archive.articles, "index.html", config, tokens)
    pages += timeline_pages(archive)
    for taxonomy in archive.taxonomies:
        pages += taxonomy_pages(taxonomy, config, tokens)
    if archive.undated:
        for url, chunk, pager in paginate(archive.undated, config.per_page, "archive/undated.html"):
            pages.append(
                Page(url, "undated.html", {"articles": chunk, "pager": pager,
                                           "total": _total(archive.undated, pager)})
            )  # fmt: skip
    pages.append(Page("search.html", "search.html", {}))  # it loads the index (search_pages)
    return ListPages(head, pages)


class LazyContext(Mapping[str, Any]):
    """A page's context (or a mapping in one), made the first time it is read.

    The pipeline reads a context only to fingerprint and render its page, which happens in
    the build's workers: made there, ten thousand article contexts (their terms, related
    articles and shared-text notes) cost the planning process nothing.
    """

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], dict[str, Any]]) -> None:
        self._make = make
        self._made: dict[str, Any] | None = None

    def _context(self) -> dict[str, Any]:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, key: str) -> Any:
        return self._context()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._context())

    def __len__(self) -> int:
        return len(self._context())

    def __repr__(self) -> str:  # as `fingerprint.list_text` reads a value: by its content
        return repr(self._context())


def _article_context(
    archive: Archive, notes: SharedNotes, terms: TermLinks, article: Article
) -> dict[str, Any]:
    older, newer = archive.neighbours(article)
    return {
        "article": article,
        "older": older,
        "newer": newer,
        "terms": terms.of(article),
        "related": tuple(archive.by_slug(s) for s in archive.related.get(article.slug, ())),
        "shared": notes.of(article),
    }


class ArticleInputs:
    """`Page.inputs` of each article page: a hash of everything `_article_context` reads.

    An article stands for itself by its token (`article_tokens`), as in the fingerprint's
    walk of a context (fingerprint.py); its neighbours, its related articles and the
    carriers its note names likewise, and its terms by their names and links. An article
    without a digest (made by hand, not by the parser) leaves its page to the walk.
    """

    def __init__(
        self, archive: Archive, notes: SharedNotes, terms: TermLinks, tokens: Tokens | None
    ) -> None:
        self._archive, self._notes, self._terms, self._tokens = archive, notes, terms, tokens

    def of(self, index: int) -> str | None:
        if self._tokens is None:
            return None
        articles, token = self._archive.articles, self._tokens.by_slug
        article = articles[index]
        # Each part is hashed after its length: an absent neighbour is b"-".
        older = token[articles[index + 1].slug] if index + 1 < len(articles) else b"-"
        newer = token[articles[index - 1].slug] if index > 0 else b"-"
        related = b"".join(map(token.__getitem__, self._archive.related.get(article.slug, ())))
        h = hashlib.blake2b(token[article.slug], digest_size=16)
        notes = self._notes.tokens(article, token)
        for part in (older, newer, related, notes, self._terms.tokens(article)):
            h.update(len(part).to_bytes(4, "little"))
            h.update(part)
        # Kept as a hash: the inputs as text averaged 2,000 characters, and the plan holds
        # every page until the build ends (400 MB more at the peak of a 100,000-article
        # build).
        return h.hexdigest()


@dataclass(frozen=True)
class Tokens:
    """Each article's token, by slug and by the article object's `id` (for `list_group`:
    read by slug, the attribute reads of 200,000 memberships took longer than the rest)."""

    by_slug: Mapping[str, bytes]
    by_object: Mapping[int, bytes]


def article_tokens(articles: Sequence[Article]) -> Tokens | None:
    """How each article stands for itself in `Page.inputs` and `Page.group`: by the fields
    a fingerprint's walk writes of it (`ident`), hashed to 16 bytes. None when an article
    has no digest (made by hand, not by the parser): pages are then fingerprinted by walking
    their contexts."""
    if not all(a.digest for a in articles):
        return None
    by_slug = {
        a.slug: hashlib.blake2b(ident(a).encode("utf-8", "surrogatepass"), digest_size=16).digest()
        for a in articles
    }
    return Tokens(by_slug, {id(a): by_slug[a.slug] for a in articles})


def ident(article: Article) -> str:
    """An article's (slug, source path, source digest) as one text. NUL never occurs in a
    slug, a path or a hex digest: the joined fields cannot blur."""
    return f"{article.slug}\0{article.src}\0{article.digest}"


def archive_index(archive: Archive) -> dict[str, Any]:
    """What the archive's index shows: each year's months with their counts. Only counts, so
    that the page's fingerprint walks a few hundred numbers rather than the whole archive."""
    years = tuple(
        (year, tuple((m, len(archive.by_month[year, m])) for m in archive.months_of(year)))
        for year in archive.years
    )
    return {"years": years, "total": len(archive.articles), "undated": len(archive.undated)}


def _total(items: Sequence[Any], pager: Pager) -> int | None:
    """A list's length, given to its main page only: older pages must not change (and be
    rewritten) each time the list grows, so they show no count that grows with it."""
    return len(items) if pager.is_main else None


# Articles named in an article's «also published in» note. A wire story can be in hundreds
# of articles; listing them all made pages of megabytes, and every addition to the cluster
# rewrote all of them. The earliest carriers are the likely originals, and a newer copy
# enters the note of none of them.
SHARED_SHOWN = 5


@dataclass(frozen=True)
class SharedNote:
    """The «نُشر جزء من هذا النص أيضاً في …» note of one article page."""

    articles: tuple[Article, ...]  # the earliest other carriers, oldest first
    more: bool  # whether further articles carry it too


class SharedNotes:
    """Every article's note, from the archive's passage clusters: the others that carry a
    passage of an article are the other members of its passages' clusters."""

    def __init__(self, archive: Archive) -> None:
        self._clusters: dict[str, list[int]] = {}
        # Per cluster, its earliest SHARED_SHOWN + 1 articles (one may be the page's own)
        # and its size: a wire story in thousands of articles costs a sort once, not per page.
        self._earliest: list[tuple[tuple[tuple[str, Article], ...], int]] = []
        # Each article's sort key once: a wire story's cluster holds thousands of articles.
        # With the slug appended, the earliest keys name their articles.
        self._order = {a.slug: (*a.sort_key, a.slug) for a in archive.articles}
        for index, cluster in enumerate(archive.clusters):
            members = cluster.articles
            first = heapq.nsmallest(SHARED_SHOWN + 1, map(self._order.__getitem__, members))
            earliest = tuple((key[-1], archive.by_slug(key[-1])) for key in first)
            self._earliest.append((earliest, len(members)))
            for slug in members:
                self._clusters.setdefault(slug, []).append(index)
        self._tokens: list[bytes] | None = None

    def tokens(self, article: Article, token: Mapping[str, bytes]) -> bytes:
        """Bytes that are equal for two articles of one slug only when `of` is: `of` reads
        nothing but each of its clusters' earliest articles (by `token`, `article_tokens`)
        and whether there are more."""
        tokens = self._tokens
        if tokens is None:
            tokens = self._tokens = [
                hashlib.blake2b(
                    b"".join([*(token[slug] for slug, _ in earliest),
                              b"+" if size > SHARED_SHOWN + 1 else b"-"]),
                    digest_size=16,
                ).digest()
                for earliest, size in self._earliest
            ]  # fmt: skip
        return b"".join([tokens[index] for index in self._clusters.get(article.slug, ())])

    def of(self, article: Article) -> SharedNote | None:
        """The earliest `SHARED_SHOWN` other articles that carry a passage of this one."""
        found: dict[str, Article] = {}
        more = False
        for index in self._clusters.get(article.slug, ()):
            earliest, size = self._earliest[index]
            more = more or size > SHARED_SHOWN + 1
            found.update(earliest)  # (slug, article) pairs: no Python code per article
        found.pop(article.slug, None)
        if not found:
            return None
        others = sorted(found, key=self._order.__getitem__)
        # More than shown when a cluster had members beyond its earliest, or the clusters
        # together name more than fit.
        return SharedNote(
            tuple(found[slug] for slug in others[:SHARED_SHOWN]), more or len(others) > SHARED_SHOWN
        )


def timeline_pages(archive: Archive) -> list[Page]:
    """Coverage per month as a chart, and every dated article with its key figures, by year."""
    counts = {ym: len(items) for ym, items in archive.by_month.items()}
    years = archive.years
    pages = [Page("timeline/index.html", "timeline.html", {"counts": counts, "years": years,
                  "chart": coverage_chart(counts), "undated": len(archive.undated)})]  # fmt: skip
    for index, year in enumerate(years):  # newest first
        months = [(m, archive.by_month[year, m]) for m in archive.months_of(year)]
        # Only the years beside it, as on term pages: a list of every year made the first
        # article of a new year rewrite every year's page.
        newer = years[index - 1] if index > 0 else None
        older = years[index + 1] if index + 1 < len(years) else None
        context = {"year": year, "months": months, "newer": newer, "older": older}
        pages.append(Page(f"timeline/{year:04d}.html", "timeline_year.html", context))
    return pages


def coverage_chart(counts: Mapping[tuple[int, int], int]) -> ChartData:
    """Bars of articles per month over the archive's whole span, months without news at zero."""
    if not counts:
        return ChartData((), 0)
    first, last = min(counts), max(counts)
    bars = []
    year, month = first
    while (year, month) <= last:
        bars.append(((year, month), counts.get((year, month), 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ChartData(tuple(bars), max(counts.values()))


@dataclass(frozen=True)
class ChartData:
    bars: tuple[tuple[tuple[int, int], int], ...]  # ((year, month), articles), oldest first
    peak: int


class TermLinks:
    """The (name, url) of every term of every grouping, made once per plan: each article
    page links its terms, and an archive's articles carry hundreds of thousands of them."""

    def __init__(self, archive: Archive) -> None:
        self._links = {
            taxonomy.kind: {t.key: (t.name, taxonomy.url(t)) for t in taxonomy.terms}
            for taxonomy in archive.taxonomies
        }
        # `of` as tokens (ArticleInputs): each link once, hashed with its grouping and its
        # name's length first (a name may hold any character; a URL never holds NUL).
        tokens = {
            kind: {key: _link_token(kind, name, url) for key, (name, url) in links.items()}
            for kind, links in self._links.items()
        }
        self._by_kind = [tokens.get(kind, {}) for kind in ("tags", "sources", "sections")]
        # Entities by id alone: with the article fixed (its digest is in the same inputs),
        # the grouping in each token says all `of` needs.
        self._entities = {
            key: token
            for kind in ENTITY_KINDS.values()
            for key, token in tokens.get(kind, {}).items()
        }
        self._kinds = "\0".join(self._links).encode()

    def of(self, article: Article) -> dict[str, tuple[tuple[str, str], ...]]:
        """For each grouping, the (name, url) of every term this article carries."""
        keys = _term_keys(article)
        return {
            kind: tuple([links[key] for key in keys.get(kind, ()) if key in links])
            for kind, links in self._links.items()
        }

    def tokens(self, article: Article) -> bytes:
        """Bytes that are equal for two articles of one digest only when `of` is: the token
        of each of its terms' links, of fixed length and each naming its grouping, so that
        none can be mistaken for a neighbour's."""
        tags, sources, sections = self._by_kind
        entities = self._entities
        return b"".join(
            [
                self._kinds,
                *[tags[tag] for tag in article.tags if tag in tags],
                sources.get(article.source or "", b""),
                sections.get(article.section or "", b""),
                *[token for entity in article.entities if (token := entities.get(entity.id))],
            ]
        )


def _link_token(kind: str, name: str, url: str) -> bytes:
    text = f"{kind}\0{len(name)}:{name}\0{url}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _term_keys(article: Article) -> dict[str, list[str]]:
    """The keys of the terms an article carries, by grouping, in the article's order."""
    keys: dict[str, list[str]] = {
        "tags": list(article.tags),
        "sources": [article.source] if article.source else [],
        "sections": [article.section] if article.section else [],
    }
    for entity in article.entities:  # one pass for the three kinds, in the article's order
        kind = ENTITY_KINDS.get(entity.kind)
        if kind is not None:
            keys.setdefault(kind, []).append(entity.id)
    return keys


def taxonomy_pages(
    taxonomy: Taxonomy, config: SiteConfig, tokens: Tokens | None = None
) -> list[Page]:
    """The index of a grouping and the pages (plus feeds) of each of its terms."""
    title, label = KIND_LABELS[taxonomy.kind]
    terms = tuple((term.name, taxonomy.url(term), len(term.articles)) for term in taxonomy.terms)
    pages = [Page(taxonomy.index_url, "taxonomy.html", {"terms": terms, "title": title})]
    has_feeds = taxonomy.kind in FEED_KINDS
    for term in taxonomy.terms:
        url = taxonomy.url(term)
        folder = url.removesuffix("index.html")
        shared = {
            "name": term.name,
            "latin": term.latin,
            "label": label,
            "kind_title": title,
            "index_url": taxonomy.index_url,
            "feed": folder if has_feeds else None,
        }
        pages += term_pages(term, url, shared, config.per_page, tokens)
        if has_feeds:
            feed_title = f"{term.name} | {config.title}"
            pages += feed_pages(folder, feed_title, term.articles, url, config, tokens)
    return pages


def list_group(
    name: str, articles: Sequence[Article], tokens: Tokens | None, *rest: object
) -> tuple[str, str] | None:
    """`Page.group` of list pages made from `articles` and `rest` alone (text, numbers, None
    and tuples of them) and the settings, which `Fingerprints.group` adds: the articles by
    token (`article_tokens`), the rest by `repr`, which tells such values apart. `name` is a
    URL of the group's, so that no two groups share one. None when the articles have no
    tokens (made by hand, not by the parser).

    A list's pages each walked its 50 articles to be fingerprinted, and a 10,000-article
    archive has 9,600 term pages, half of an addition's render stage: a key per group (a
    term's year, its main page, a feed) costs one pass over its articles, and an addition
    changes a few groups of each of its terms. The mentions counted on entity pages are
    not in it: each is the listed article's own count of the entity the URL names
    (`model.entity_taxonomies`), which its ident fixes as it fixes every other field.
    """
    if tokens is None:
        return None
    token = tokens.by_object.__getitem__
    h = hashlib.blake2b(b"".join(map(token, map(id, articles))), digest_size=16)
    h.update(repr((name, rest)).encode("utf-8", "surrogatepass"))
    return name, h.hexdigest()


def term_pages(
    term: Term,
    url: str,
    shared: Mapping[str, Any],
    per_page: int,
    tokens: Tokens | None = None,
) -> list[Page]:
    """One term's list: a single page when it is short; otherwise its main page (the newest
    `per_page` articles and every year with its count) and a list per year. A year longer
    than a page is a page of its months instead, each month a list of its own.

    Lists cut by date, each numbered from its oldest item, are what keep old pages stable: an
    article filed under a past date changes its own month's pages after it, the counts on its
    year page and the main page, where one list for the whole term would shift every newer
    page of the term. (Cut by year only, a backdated article rewrote the rest of its year: at
    10,000 articles, some 15 pages in each of its terms.) No URL goes away as a list grows: a
    year's page holds its list until the list outgrows it, then its months, and numbered
    pages exist only within a month (or the undated), which is never cut further. (Paginated
    years cut into months past a few pages lost `2020-2.html` … at the switch.)
    """
    folder = url.removesuffix("index.html")
    about = tuple(shared.items())  # in every group's key: all of the term's pages show it

    def page(
        page_url: str,
        chunk: Sequence[Article],
        pager: Pager,
        group: tuple[str, str] | None,
        **context: Any,
    ) -> Page:
        # Only what this page shows: an older page must not depend on the whole term. (Tags
        # count no mentions: their pages need not read a slug of every article they list.)
        # Counted when first read: the pages of a group found as published never are, and
        # counting for every page, one scattered article read after another, was a sixth of
        # an addition's planning at 10,000 articles.
        mentions = LazyContext(partial(_mentions, chunk, term)) if term.counts else {}
        return Page(page_url, "term.html", {
            **shared, "articles": chunk, "mentions": mentions, "main_url": url, "pager": pager,
            "year": None, "years": (), "older_year": None, "newer_year": None, "year_url": None,
            "month": None, "months": (), "older_month": None, "newer_month": None, **context,
        }, group=group)  # fmt: skip

    if len(term.articles) <= per_page:
        group = list_group(url, term.articles, tokens, about)
        return [page(url, term.articles, Pager(1, 1, (url,)), group, total=len(term.articles))]
    slices = year_slices(term.articles)  # newest first
    years = [(key, f"{folder}{key}.html") for key, _ in slices]
    counted = tuple((key, year_url, len(items)) for (key, items), (_, year_url)
                    in zip(slices, years, strict=True))  # fmt: skip
    newest = term.articles[:per_page]
    group = list_group(url, newest, tokens, about, counted)  # its total: the years' sum
    pages = [page(url, newest, Pager(1, 1, (url,)), group, total=len(term.articles),
                  years=counted)]  # fmt: skip
    for index, ((key, items), (_, year_url)) in enumerate(zip(slices, years, strict=True)):
        newer = years[index - 1] if index > 0 else None
        older = years[index + 1] if index + 1 < len(years) else None
        if key != "undated" and len(items) > per_page:
            months = [(ym, f"{folder}{ym[0]:04d}-{ym[1]:02d}.html", m)
                      for ym, m in month_slices(items)]  # fmt: skip
            # A group per month, and the year's page one of its own (its months and their
            # counts): as one group, the year's, an article added to one month had every
            # other month of the year walked to be fingerprinted again, some 400 term pages
            # of an addition at 10,000 articles.
            grouped = partial(_month_group, tokens=tokens, shown=(about, url, year_url, key))
            pages += _month_pages(months, year_url, key, per_page, grouped, page)
            counts = tuple((ym, month_url, len(m)) for ym, month_url, m in months)
            group = list_group(year_url, (), tokens, about, url, key, counts, newer, older)
            pages.append(page(year_url, (), Pager(1, 1, (year_url,)), group, total=len(items),
                              year=key, months=counts, older_year=older,
                              newer_year=newer))  # fmt: skip
            continue
        # A year's pages show its articles, the years beside it and links to the term's main
        # page.
        group = list_group(year_url, items, tokens, about, url, key, newer, older)
        for page_url, chunk, pager in paginate(items, per_page, year_url):
            # A year links only to the years beside it, and only from its two ends (its
            # oldest page and its main URL, the newest): a list of every year on every
            # page made the first article of a new year rewrite all the term's pages.
            pages.append(page(page_url, chunk, pager, group, total=_total(items, pager), year=key,
                              older_year=older if pager.number == 1 else None,
                              newer_year=newer if pager.is_main else None))  # fmt: skip
    return pages


def _mentions(articles: Sequence[Article], term: Term) -> dict[str, Any]:
    counts = term.mentions
    return {a.slug: counts[a.slug] for a in articles if a.slug in counts}


def _month_group(
    url: str, articles: Sequence[Article], *rest: object, tokens: Tokens | None, shown: object
) -> tuple[str, str] | None:
    return list_group(url, articles, tokens, shown, *rest)


def _month_pages(
    months: Sequence[tuple[tuple[int, int], str, Sequence[Article]]],
    year_url: str,
    year: str,
    per_page: int,
    grouped: Callable[..., tuple[str, str] | None],
    page: Callable[..., Page],
) -> list[Page]:
    """The month lists of one year of a term, given as ((year, month), url, articles) newest
    first: `2020-10.html` (and `-1`, `-2` … from its oldest when a month is longer than a
    page), each linking to the months beside it. `grouped(url, articles, *rest)` is the
    group of a month's pages, made from its articles and the rest, which it shows too."""
    pages: list[Page] = []
    for index, (ym, month_url, month_items) in enumerate(months):
        newer = months[index - 1][:2] if index > 0 else None
        older = months[index + 1][:2] if index + 1 < len(months) else None
        group = grouped(month_url, month_items, ym, newer, older)
        for page_url, chunk, pager in paginate(month_items, per_page, month_url):
            pages.append(page(page_url, chunk, pager, group, total=_total(month_items, pager),
                              year=year, year_url=year_url, month=ym,
                              older_month=older if pager.number == 1 else None,
                              newer_month=newer if pager.is_main else None))  # fmt: skip
    return pages


def _runs(
    articles: Sequence[Article], rank: Callable[[Article], int]
) -> list[tuple[int, tuple[Article, ...]]]:
    """`articles` cut where `rank` changes, which must only grow along the list.

    The term pages cut every term's list, which is every article many times over. A list in
    archive order has its dates only going down, so each run's end is found by bisection: a
    term of 50,000 articles reads a few dozen dates, not all of them (at 100,000 articles,
    reading them all was a quarter of planning).
    """
    runs: list[tuple[int, tuple[Article, ...]]] = []
    start, count = 0, len(articles)
    while start < count:
        key = rank(articles[start])
        stop = bisect.bisect_right(range(count), key, lo=start, key=lambda i: rank(articles[i]))
        runs.append((key, tuple(articles[start:stop])))
        start = stop
    return runs


def year_slices(articles: Sequence[Article]) -> list[tuple[str, Sequence[Article]]]:
    """A newest-first list cut into its years, newest first, keyed «2021»; undated last."""
    return [
        (f"{-key:04d}" if key else "undated", run)
        for key, run in _runs(articles, lambda a: -a.date.year if a.date else 0)
    ]


def month_slices(
    articles: Sequence[Article],
) -> list[tuple[tuple[int, int], Sequence[Article]]]:
    """One year of a newest-first list (all dated) cut into its months, newest first, keyed
    (year, month)."""

    def rank(article: Article) -> int:
        assert article.date is not None, "month_slices takes dated articles only"
        return -article.date.month

    slices: list[tuple[tuple[int, int], Sequence[Article]]] = []
    for key, run in _runs(articles, rank):
        year = run[0].date.year if run[0].date else 0
        slices.append(((year, -key), run))
    return slices


def feed_pages(
    prefix: str,
    title: str,
    articles: Sequence[Article],
    html_url: str,
    config: SiteConfig,
    tokens: Tokens | None = None,
) -> list[Page]:
    """An Atom feed (`feed.xml`) and an RSS 2.0 feed (`rss.xml`) of the newest articles."""
    newest = tuple(feed_articles(articles, config.feed_entries))
    context = {"feed_title": title, "articles": newest, "html_url": html_url}
    group = list_group(f"{prefix}feed.xml", newest, tokens, title, html_url)
    return [
        Page(f"{prefix}feed.xml", "atom.xml", context, group=group),
        Page(f"{prefix}rss.xml", "rss.xml", context, group=group),
    ]


def search_pages(
    articles: Sequence[Article],
    config: SiteConfig,
    synonyms: Mapping[str, str],
    memo: WordMemo | None = None,
    settings: str = "",
) -> tuple[list[Page], SearchStats]:
    """The files of the index the search page loads (built here, in Python, at build time).
    `settings` names the parse settings (cache.py): with an article's source digest it
    fixes its title and text, so that the memo need not read them."""
    docs = [
        SearchDoc(
            url=a.url,
            title=a.title,
            date=a.date.isoformat() if a.date else "",
            date_text=format_date(a.date, config.month_style, config.digits) if a.date else "",
            source=a.source or "",
            body=partial(_plain_text, a),
            key=f"{settings}:{a.digest}" if settings and a.digest else "",
        )
        for a in articles
    ]
    index = build_search_index(docs, synonyms, memo)
    pages = [Page(name, None, body=data) for name, data in sorted(index.files.items())]
    return pages, index.stats


def _plain_text(article: Article) -> str:
    return "\n".join(article.paragraphs)


def search_synonyms(gazetteer: Gazetteer | None) -> dict[str, str]:
    """One-word spellings of each entity → its first one-word spelling, so that a search for
    «ستولتنبيرغ» finds «ستولتنبرج». Several-word names are matched word by word anyway."""
    if gazetteer is None:
        return {}
    single = {
        entity.id: [ws[0] for name in entity.names if len(ws := words(name)) == 1]
        for entity in gazetteer.entities
    }
    canonicals = {names[0] for names in single.values() if names}
    synonyms: dict[str, str] = {}
    for names in single.values():
        for variant in names[1:]:
            if variant != names[0] and variant not in canonicals:
                synonyms.setdefault(variant, names[0])
    return synonyms


def site_files(pages: Sequence[Page], config: SiteConfig) -> list[Page]:
    """Files about the whole site, planned last because they list the other pages."""
    files = [Page("robots.txt", None, body=robots_txt(config))]
    for name, body in sitemap_files(config, (p.url for p in pages)).items():
        files.append(Page(name, None, body=body))
    return files
