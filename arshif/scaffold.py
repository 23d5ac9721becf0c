"""`arshif new "عنوان"`: start a Markdown article with its front matter filled in.

Sits beside the pipeline, not in it: it writes one new file into the articles folder (the
only command that does) and never overwrites anything. The slug follows the site's policy
and is written into the front matter, so it never changes when the title is edited.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from .config import SiteConfig
from .dates import parse_date_value
from .errors import ArshifError, UsageError, display_path
from .parse import make_slug
from .slugs import lock_path, read_lock

_SLUG_LINE_RE = re.compile(r"^slug:\s*['\"]?(.+?)['\"]?\s*$", re.MULTILINE)


def create_article(
    config: SiteConfig,
    title: str,
    source: str | None = None,
    date: str | None = None,
    slug: str | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write `articles/SLUG.md` and return its path; refuse to overwrite or reuse a slug."""
    title = " ".join(title.split())
    if not title:
        raise UsageError("the title is empty")
    when = _when(date, today)
    if slug is None:
        slug = make_slug(title, config.slug_policy)
        if not slug:
            raise UsageError(f"cannot make a slug from {title!r}", hint="pass --slug")
    elif make_slug(slug) != slug:
        raise UsageError(f"--slug {slug!r} is not a valid slug",
                         hint=f"try '{make_slug(slug)}'" if make_slug(slug) else None)  # fmt: skip
    path = config.articles_dir / f"{slug}.md"
    if path.exists():
        raise ArshifError(f"{display_path(path)} already exists; refusing to overwrite it",
                          hint="pass --slug to choose another name")  # fmt: skip
    owner = _slug_owner(config, slug)
    if owner is not None:
        raise ArshifError(f"slug '{slug}' is already used by {owner}",
                          hint="pass --slug to choose another")  # fmt: skip
    front = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"date: {when}",
        f"source: {json.dumps(' '.join((source or '').split()), ensure_ascii=False)}",
        "tags: []",
        f"slug: {slug}",
        "---",
        "",
        "",
    ]
    config.articles_dir.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x": never overwrite, even in a race
        file.write("\n".join(front))
    return path


def _when(date: str | None, today: dt.date | None) -> str:
    """The front matter's date: today, or --date checked as the build will read it."""
    if date is None:
        return (today or dt.date.today()).isoformat()
    try:
        day, moment = parse_date_value(date)
    except ValueError as err:
        raise UsageError(f"--date: {err}") from None
    return moment.isoformat() if moment is not None else day.isoformat()


def _slug_owner(config: SiteConfig, slug: str) -> str | None:
    """The source already published under (or explicitly claiming) `slug`, if any."""
    for src, locked in read_lock(lock_path(config)).items():
        if locked == slug:
            return src
    if config.articles_dir.is_dir():
        for path in sorted(config.articles_dir.rglob("*.md")):
            head = path.read_bytes()[:4096].decode("utf-8", "replace")
            if not head.startswith("---"):
                continue
            match = _SLUG_LINE_RE.search(head.split("\n---", 1)[0])
            if match and match[1] == slug:
                return path.relative_to(config.articles_dir).as_posix()
    return None
