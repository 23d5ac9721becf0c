"""Stage 3a: settle every article's slug, and keep it for good.

An article's URL must not change when an editor fixes its headline. The ladder, strongest
first:

    `slug:` in front matter or sidecar  >  slugs.lock  >  derived from the title (parse.py)

`slugs.lock` sits beside site.yaml and is meant to be committed with the articles: it maps each
source path to the slug its page was first published under, so a clean checkout (or a changed
`slugs.policy`) rebuilds every page at its old address. Derived slugs that collide get a
stable suffix (-2, -3 … in source-path order) and a warning; an explicit slug that collides
with another explicit or a locked one stays an error, reported by model.build_archive.

Hands on the articles with their final slugs, the lock to record after a successful build,
and the warnings.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .config import lock_path as lock_path  # where the lock lives (config: no heavy imports)
from .errors import BuildErrors, SourceError
from .model import Article
from .parse import make_slug

_HEADER = (
    "# Arshif slug lock: source path<TAB>slug. Written by the build; commit it with the\n"
    "# articles so pages keep their addresses when a title is edited. Delete a line to let\n"
    "# that article take a new slug from its title on the next build.\n"
)


def read_lock(path: Path) -> dict[str, str]:
    """The recorded slugs, {source path: slug}; an absent file is an empty lock."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise SourceError(path, "not UTF-8 text", hint="delete it to rebuild the lock") from None
    entries: dict[str, str] = {}
    errors: list[SourceError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        src, tab, slug = line.partition("\t")
        if not tab or not src or make_slug(slug) != slug:
            errors.append(SourceError(path, f"expected 'SOURCE<TAB>SLUG', got {line!r}", number))
            continue
        entries[src] = slug
    if errors:
        raise BuildErrors(errors)
    return entries


def lock_bytes(entries: Mapping[str, str]) -> bytes:
    """The lock file holding `entries`."""
    return (_HEADER + "".join(f"{src}\t{entries[src]}\n" for src in sorted(entries))).encode()


def write_lock(path: Path, entries: Mapping[str, str]) -> None:
    """Replace the lock file atomically (a crash never leaves half a lock)."""
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(lock_bytes(entries))
    os.replace(temp, path)


@dataclass(frozen=True)
class Slugs:
    articles: tuple[Article, ...]  # in the order given, each with its final slug
    lock: dict[str, str]  # what slugs.lock should hold after this build
    warnings: tuple[SourceError, ...]


def assign_slugs(
    articles: Sequence[Article], locked: Mapping[str, str], existing: Collection[str]
) -> Slugs:
    """Give every article its final slug: explicit, else locked, else derived and made unique.

    `existing` is every source path still present (drafts and unparsable files included), so
    their lock entries survive until the file itself is deleted.
    """
    final: dict[str, Article] = {}
    taken: dict[str, str] = {}  # slug -> the source that holds it
    for article in sorted(articles, key=lambda a: a.src):
        if article.slug_origin == "meta":
            final[article.src] = article
            taken.setdefault(article.slug, article.src)
    # Locked slugs are claimed before fresh ones, so a new article can never take the address
    # an older one was published under. A locked slug is never moved: when an explicit slug
    # claims it too, model.build_archive reports the two as duplicates.
    fresh: list[Article] = []
    for article in sorted(articles, key=lambda a: a.src):
        if article.slug_origin == "meta":
            continue
        slug = locked.get(article.src)
        if slug is None:
            fresh.append(article)
            continue
        taken.setdefault(slug, article.src)
        # Most locked slugs equal the derived one; `replace` only when the lock changes it.
        final[article.src] = (
            article if slug == article.slug else replace(article, slug=slug, slug_origin="lock")
        )
    warnings: list[SourceError] = []
    for article in fresh:
        slug, n = article.slug, 2
        while slug in taken:
            slug, n = f"{article.slug}-{n}", n + 1
        if slug != article.slug:
            warnings.append(
                SourceError(
                    article.src,
                    f"slug '{article.slug}' is already used by {taken[article.slug]}; "
                    f"this article is published as '{slug}'",
                    article.slug_line,
                    hint="give it a 'slug:' of its own",
                )
            )
        taken[slug] = article.src
        final[article.src] = replace(article, slug=slug)
    lock = {src: slug for src, slug in locked.items() if src in existing and src not in final}
    lock.update({a.src: a.slug for a in final.values() if a.slug_origin != "meta"})
    return Slugs(tuple(final[a.src] for a in articles), lock, tuple(warnings))
