"""Stage 3: the article record and the archive that orders and groups the records.

`Article` is frozen: everything known about one article is computed once by the parser.
`Archive` is built once from all articles: it checks collisions (two articles, one slug),
sorts newest first, and holds the groupings the pages are planned from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from typing import Any, Generic, NamedTuple, TypeVar, cast

from slugify import slugify

from .arabic import strip_tashkeel
from .entities import EntityCount
from .errors import SourceError
from .figures import Figure
from .gazetteer import Gazetteer
from .related import ArticleFeatures, RelatedState, update_related
from .similar import PassageCluster, PassageSignatures, passage_signatures, shared_among


def slug_of(text: str) -> str:
    """A URL-safe slug keeping Arabic letters: no tashkeel, tatweel or ZWNJ; words joined by -."""
    cleaned = strip_tashkeel(text).replace("\u200c", "").replace("\u200d", "")
    return str(slugify(cleaned, allow_unicode=True, max_length=60, word_boundary=True))


class Block(NamedTuple):
    """One piece of an article body: a paragraph, a subheading or a photo caption."""

    # A NamedTuple, not a dataclass: an archive's records hold hundreds of thousands of
    # these, and every build unpickles them from the cache three times faster this way.
    kind: str  # "p" | "h2" | "caption"
    text: str


T = TypeVar("T")


class _Unread:
    """A field of an article's body as the cache stores it: pickled."""

    __slots__ = ("blob",)

    def __init__(self, blob: bytes) -> None:
        self.blob = blob

    def __reduce__(self) -> tuple[type[_Unread], tuple[bytes]]:
        return _Unread, (self.blob,)


class _BodyField(Generic[T]):
    """A field of `Article` that only some pages read, unpickled each time it is read: the
    body (`blocks`, `body_html`), the key figures and the passage signatures.

    The body is most of a record's bytes and objects, and a build reads it only for the
    pages it renders and the months it indexes anew: opening the cache of 10,000 articles
    unpickled 400,000 blocks and 35 MB of HTML that an addition never looks at. The figures
    are read by the article's page and its year's timeline, the signatures by the shared
    passages' process: unpickled with every record, they were a quarter of opening the
    cache (0.1 s of 0.42 s at 10,000 articles). Read, a field is not kept: a render worker
    reads the bodies of half the archive, once each, and would hold them all until it ends.
    The pickle stays in the instance under the field's own name, so an article's attributes
    are laid out as ever (Python shares the key table of such instances, and reads them
    fastest).
    """

    def __init__(self, default: T) -> None:
        self.default = default
        self.name = ""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    def __get__(self, article: Any, owner: type[Any] | None = None) -> T:
        if article is None:
            return self.default  # what the dataclass takes for the field's default
        value = article.__dict__[self.name]
        if type(value) is _Unread:
            value = pickle.loads(value.blob)
        return cast(T, value)

    def __set__(self, article: Any, value: T) -> None:
        article.__dict__[self.name] = value


# The fields a record keeps pickled (`Article.__getstate__`).
_LAZY = ("blocks", "body_html", "figures", "passages")
# The passages of an article made without them: one instance, which nothing changes.
_NO_PASSAGES = PassageSignatures()


def _body_field(default: T) -> T:
    return cast(T, _BodyField(default))


@dataclass(frozen=True)
class Article:
    """Everything the site knows about one article. Built by `parse.parse_article` only."""

    slug: str
    title: str
    src: str  # path relative to the articles folder
    date: dt.date | None = None
    published: dt.datetime | None = None  # only when a time of day was given
    source: str | None = None  # the outlet that published the text
    dateline: str | None = None  # where it was filed from («لندن»)
    section: str | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    blocks: tuple[Block, ...] = _body_field(())
    body_html: str = _body_field("")  # safe HTML: built by our code, article text escaped
    word_count: int = 0
    reading_minutes: int = 1
    draft: bool = False
    kind: str = "txt"
    title_origin: str = "headline"  # headline | lede | meta | markdown
    date_origin: str = ""  # meta | filename | text | "" (undated)
    src_line: int = 1  # the line to point at when the whole article is at fault
    slug_line: int = 1
    slug_origin: str = "title"  # meta | title | filename | lock (see slugs.py)
    digest: str = ""  # Source.digest: with the settings it fixes every field but the slug ones
    # What the article is about (extract stage, with the site's gazetteer):
    entities: tuple[EntityCount, ...] = ()  # most mentioned first
    figures: tuple[Figure, ...] = _body_field(())  # key numbers, in reading order
    cited: tuple[str, ...] = ()  # news agencies the text cites («رويترز»), not the outlet
    candidates: tuple[str, ...] = ()  # names after titles/roles that the gazetteer lacks
    # Band keys and shingles of its passages (similar.py): per-article work of shared-text
    # detection, kept here so that it is cached with the article and never redone per build.
    passages: PassageSignatures = _body_field(_NO_PASSAGES)  # noqa: RUF009 (never changed)

    # The cache pickles each record on its own, and opening it unpickles 10,000 of them: the
    # state is the fields' values in order, not the instance's dict, whose keys were made
    # again for every record; and the entities are plain tuples, made EntityCounts again by
    # tuple.__new__ in C, not by the named tuple's __new__ in Python. (0.05 s of the 0.3 s.)
    def __getstate__(self) -> tuple[Any, ...]:
        state = self.__dict__
        values = [state[name] for name in _FIELDS]
        for at in _LAZY_AT:
            if type(values[at]) is not _Unread:
                values[at] = _Unread(pickle.dumps(values[at], protocol=pickle.HIGHEST_PROTOCOL))
        values[_ENTITIES_AT] = tuple(map(tuple, values[_ENTITIES_AT]))
        return tuple(values)

    def __setstate__(self, values: tuple[Any, ...]) -> None:
        state = self.__dict__
        state.update(zip(_FIELDS, values, strict=True))
        state["entities"] = tuple(map(tuple.__new__, repeat(EntityCount), state["entities"]))

    @property
    def url(self) -> str:
        return f"articles/{self.slug}.html"

    @property
    def sort_key(self) -> tuple[int, dt.date, str, str]:
        """Newest first; undated last; ties broken by time, then slug, for a stable order."""
        if self.date is None:
            return (1, dt.date.min, "", self.slug)
        time = self.published.time().isoformat() if self.published else ""
        return (0, self.date, time, self.slug)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """Plain text of every paragraph and subheading, for extraction and search."""
        return tuple(b.text for b in self.blocks if b.kind != "caption")


_FIELDS = tuple(Article.__dataclass_fields__)
_LAZY_AT = tuple(_FIELDS.index(name) for name in _LAZY)
_ENTITIES_AT = _FIELDS.index("entities")


def _newest_first(articles: Iterable[Article]) -> list[Article]:
    dated = sorted((a for a in articles if a.date is not None), key=lambda a: a.sort_key)
    undated = sorted((a for a in articles if a.date is None), key=lambda a: a.slug)
    return [*reversed(dated), *undated]


@dataclass(frozen=True)
class Term:
    """One tag, outlet, section or named entity, with the articles that carry it."""

    key: str  # what articles refer to it by: the tag text, the outlet name, the entity id
    name: str  # as shown
    slug: str
    articles: tuple[Article, ...]  # newest first
    counts: tuple[int, ...] = ()  # an entity's: how often each of `articles` names it
    latin: str | None = None

    @cached_property
    def mentions(self) -> dict[str, int]:
        """Article slug -> how often it names the entity (nothing for other terms), made in
        the process that first reads it: a render worker, for the pages it renders."""
        return dict(zip((a.slug for a in self.articles), self.counts, strict=True))


@dataclass(frozen=True)
class Taxonomy:
    """A way of grouping articles; every term gets its own page under `kind/`."""

    kind: str  # "tags", "sources", "sections", "people", "places", "organisations"
    terms: tuple[Term, ...]  # by name

    def url(self, term: Term) -> str:
        return f"{self.kind}/{term.slug}/index.html"

    @property
    def index_url(self) -> str:
        return f"{self.kind}/index.html"


def group(
    kind: str,
    articles: Iterable[Article],
    keys: Callable[[Article], Iterable[str]],
    names: Mapping[str, str] | None = None,
) -> Taxonomy:
    """Group newest-first `articles` by the keys each one has, into one Taxonomy."""
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for key in dict.fromkeys(keys(article)):
            members[key].append(article)
    terms: list[Term] = []
    used: set[str] = set()
    for key in sorted(members, key=lambda k: ((names or {}).get(k, k), k)):
        name = (names or {}).get(key, key)
        base = slug_of(name) or "term"
        slug, n = base, 1
        while slug in used:  # two names, one slug: the later in name order gets a suffix
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        terms.append(Term(key, name, slug, tuple(members[key])))
    return Taxonomy(kind, tuple(terms))


@dataclass(frozen=True)
class Archive:
    """All published articles, newest first, with the groupings pages are planned from."""

    articles: tuple[Article, ...]
    by_month: Mapping[tuple[int, int], tuple[Article, ...]] = field(default_factory=dict)
    undated: tuple[Article, ...] = ()
    taxonomies: tuple[Taxonomy, ...] = ()
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # slug -> slugs
    clusters: tuple[PassageCluster, ...] = ()  # passages carried by several articles

    def taxonomy(self, kind: str) -> Taxonomy:
        return next(t for t in self.taxonomies if t.kind == kind)

    @property
    def years(self) -> list[int]:
        return sorted({year for year, _ in self.by_month}, reverse=True)

    def months_of(self, year: int) -> list[int]:
        return sorted((m for y, m in self.by_month if y == year), reverse=True)

    def by_slug(self, slug: str) -> Article:
        return self.articles[self._index[slug]]

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """(older, newer) in the archive's order."""
        index = self._index[article.slug]
        older = self.articles[index + 1] if index + 1 < len(self.articles) else None
        newer = self.articles[index - 1] if index > 0 else None
        return older, newer

    @property
    def _index(self) -> dict[str, int]:
        cached: dict[str, int] | None = self.__dict__.get("_index_cache")
        if cached is None:
            cached = {a.slug: i for i, a in enumerate(self.articles)}
            object.__setattr__(self, "_index_cache", cached)
        return cached


# Gazetteer kinds and the groupings (and URL folders) their entities get.
ENTITY_KINDS = {"person": "people", "place": "places", "organisation": "organisations"}


def entity_taxonomies(articles: Sequence[Article], gazetteer: Gazetteer | None) -> list[Taxonomy]:
    """People, places and organisations, each with the articles naming it: one pass over every
    article's entities for the three (each is most of a rebuild's grouping)."""
    members: dict[str, list[Article]] = defaultdict(list)
    # Each mention's count beside its article: a dict of every mention by slug, made here,
    # took a third of the grouping; made from these by the pages that show them (`mentions`).
    counts: dict[str, list[int]] = defaultdict(list)
    for article in articles:
        for entity in article.entities:
            members[entity.id].append(article)
            counts[entity.id].append(entity.count)
    # Named as the oldest article names it (records made by one gazetteer all agree).
    about = {key: next((e.name, e.kind) for e in listed[-1].entities if e.id == key)
             for key, listed in members.items()}  # fmt: skip
    known = gazetteer.by_id if gazetteer is not None else {}
    terms: dict[str, list[Term]] = {kind: [] for kind in ENTITY_KINDS}
    for key in sorted(members, key=lambda k: (about[k][0], k)):
        name, kind = about[key]
        if kind in terms:
            latin = known[key].latin if key in known else None
            terms[kind].append(Term(key, name, key, tuple(members[key]), tuple(counts[key]), latin))
    return [Taxonomy(kind, tuple(terms[entity_kind])) for entity_kind, kind in ENTITY_KINDS.items()]


@dataclass(frozen=True)
class Relations:
    """What links articles to each other; computed over the whole archive at once."""

    related: Mapping[str, tuple[str, ...]]
    clusters: tuple[PassageCluster, ...]


def relate(articles: Sequence[Article]) -> Relations:
    """Related articles (shared rare entities and tags, near in time) and shared passages."""
    return relate_since(articles, None)[0]


def relate_since(
    articles: Sequence[Article],
    previous: RelatedState | None,
    clusters: Callable[[], tuple[PassageCluster, ...]] | None = None,
    settings: str = "",
) -> tuple[Relations, RelatedState]:
    """`relate`, recomputing only the related lists that can differ from those of `previous`
    (the state an earlier call returned); the state to hand to the next call. `clusters`,
    when given, returns `shared_clusters(articles)` (computed elsewhere meanwhile).
    `settings` names the parse settings (cache.py): with an article's source path and
    digest, it fixes the article's entities, tags and date."""
    state = related_since(articles, previous, settings)
    found = clusters() if clusters is not None else shared_clusters(articles)
    return Relations(dict(state.lists), found), state


def related_since(
    articles: Sequence[Article], previous: RelatedState | None, settings: str = ""
) -> RelatedState:
    """The related lists of `relate_since`, without the shared passages."""
    tokens = {a.slug: f"{a.src}\0{a.digest}" for a in articles if settings and a.digest}
    return update_related(_Features(articles), previous, tokens=tokens, context=settings)


def shared_clusters(articles: Sequence[Article]) -> tuple[PassageCluster, ...]:
    """The passages the articles share, as clusters: the same in any order of `articles`."""
    return shared_among(
        {a.slug: signatures_of(a) for a in articles}, _Paragraphs(articles), rows=False
    ).clusters


class _Features(Mapping[str, ArticleFeatures]):
    """Each article's features by slug, made when asked for (`update_related` asks only for
    those of the articles its tokens do not vouch for)."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self._by_slug = {a.slug: a for a in articles}

    def __getitem__(self, slug: str) -> ArticleFeatures:
        a = self._by_slug[slug]
        return ArticleFeatures(tuple(e.id for e in a.entities), a.tags, a.date)

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_slug)

    def __len__(self) -> int:
        return len(self._by_slug)


class _Paragraphs(Mapping[str, tuple[str, ...]]):
    """Each article's paragraphs by slug, made when asked for: shared_among reads them only
    for the text of each cluster, a few hundred of 10,000 articles."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self._by_slug = {a.slug: a for a in articles}

    def __getitem__(self, slug: str) -> tuple[str, ...]:
        return self._by_slug[slug].paragraphs

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_slug)

    def __len__(self) -> int:
        return len(self._by_slug)


def signatures_of(article: Article) -> PassageSignatures:
    """The article's passage signatures; computed here for an Article not made by the parser."""
    found = article.passages  # unpickled at each read (`_BodyField`)
    if len(found) or not article.blocks:
        return found
    return passage_signatures(article.paragraphs)


def relations_key(articles: Iterable[Article], settings: str) -> str:
    """Changes when any input of `relate` may have: an article's slug, entities, tags, date
    or text. `settings` names the parse settings (cache.py): with them, an article's source
    path and digest fix all but its slug. (Without the settings, a gazetteer edit left
    every related list as it was.) An article made without a digest stands by its date and
    tags. No field holds a NUL, nor is empty: the parts cannot blur."""
    parts = [
        f"{a.slug}\0{a.src}\0{a.digest}" if a.digest else f"{a.slug}\0{a.src}\0-{a.date}\0{a.tags}"
        for a in sorted(articles, key=lambda a: a.slug)
    ]
    h = hashlib.blake2b(settings.encode(), digest_size=16)
    h.update("\0\0".join(parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def one_per_slug(articles: Iterable[Article]) -> tuple[list[Article], list[SourceError]]:
    """The articles with a page of their own (the first of each slug, by source path), and an
    error for each of the others."""
    errors: list[SourceError] = []
    by_slug: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: a.src):
        first = by_slug.get(article.slug)
        if first is not None:
            errors.append(
                SourceError(
                    article.src,
                    f"duplicate slug '{article.slug}': {first.src} already uses it",
                    article.slug_line,
                    hint="give one of them a 'slug:' of its own",
                )
            )
            continue
        by_slug[article.slug] = article
    return list(by_slug.values()), errors


def build_archive(
    articles: Iterable[Article],
    gazetteer: Gazetteer | None = None,
    relations: Callable[[Sequence[Article]], Relations] = relate,
) -> tuple[Archive, list[SourceError]]:
    """Order the articles, check that no two claim the same page, and relate them."""
    unique, errors = one_per_slug(articles)
    ordered = _newest_first(unique)
    months: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in ordered:
        if article.date is not None:
            months[article.date.year, article.date.month].append(article)
    taxonomies = (
        group("tags", ordered, lambda a: a.tags),
        group("sources", ordered, lambda a: [a.source] if a.source else []),
        group("sections", ordered, lambda a: [a.section] if a.section else []),
        *entity_taxonomies(ordered, gazetteer),
    )
    # Related last: a build finds the shared passages in another process meanwhile, and
    # `relations` may wait for them (`pipeline.cached_relations`).
    links = relations(ordered)
    return (
        Archive(
            articles=tuple(ordered),
            by_month={k: tuple(v) for k, v in sorted(months.items(), reverse=True)},
            undated=tuple(a for a in ordered if a.date is None),
            taxonomies=taxonomies,
            related=links.related,
            clusters=links.clusters,
        ),
        errors,
    )
