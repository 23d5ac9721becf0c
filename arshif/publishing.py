"""What a host and a feed reader need beyond the pages: feeds, sitemap, robots, asset names.

`base_url` is used only here and for `<head>` metadata, where absolute URLs are required;
page-to-page links stay relative everywhere else. Without a `base_url`, feeds and the sitemap
still work for a local copy: their links are relative to the site root and entry ids are
stable `urn:uuid:` names derived from the slug.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import os
import posixpath
import uuid
from collections.abc import Iterable, Mapping
from html import escape
from itertools import islice
from pathlib import Path, PurePosixPath

from .config import SiteConfig
from .model import Article

SITEMAP_LIMIT = 50_000  # URLs per sitemap file, from the sitemaps.org protocol


def absolute(config: SiteConfig, url: str) -> str:
    """A site-root-relative URL made absolute when the site's address is known."""
    return config.base_url + url if config.base_url else url


def entry_id(config: SiteConfig, article: Article) -> str:
    if config.base_url:
        return config.base_url + article.url
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'arshif:' + article.slug)}"


def timestamp(config: SiteConfig, article: Article) -> dt.datetime:
    """When an article was published, as an aware datetime.

    A date without a time is stamped at noon, newsroom time: midnight would put it on the
    previous day for every reader west of the newsroom.
    """
    if article.published is not None and article.published.tzinfo is not None:
        return article.published
    sign = 1 if config.timezone[0] == "+" else -1
    hours, minutes = (int(part) for part in config.timezone[1:].split(":"))
    tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    if article.published is not None:
        return article.published.replace(tzinfo=tz)
    assert article.date is not None, article.slug
    return dt.datetime.combine(article.date, dt.time(12), tzinfo=tz)


def rfc3339(moment: dt.datetime) -> str:
    return moment.isoformat()


def rfc822(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment)


def feed_articles(articles: Iterable[Article], limit: int) -> list[Article]:
    """The newest dated articles: an undated one has no place in a feed's time order."""
    return list(islice((a for a in articles if a.date is not None), limit))


def sitemap_files(config: SiteConfig, urls: Iterable[str]) -> dict[str, bytes]:
    """`sitemap.xml`, or an index plus `sitemap-N.xml` parts above SITEMAP_LIMIT URLs."""
    locs = sorted(u for u in urls if u.endswith(".html") and u != "404.html")
    chunks = [locs[i : i + SITEMAP_LIMIT] for i in range(0, len(locs), SITEMAP_LIMIT)] or [[]]
    if len(chunks) == 1:
        return {"sitemap.xml": _urlset(config, chunks[0])}
    files = {f"sitemap-{n}.xml": _urlset(config, chunk) for n, chunk in enumerate(chunks, 1)}
    index = "".join(
        f"<sitemap><loc>{escape(absolute(config, name))}</loc></sitemap>\n" for name in files
    )
    files["sitemap.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{index}</sitemapindex>\n"
    ).encode()
    return files


def _urlset(config: SiteConfig, locs: list[str]) -> bytes:
    body = "".join(f"<url><loc>{escape(absolute(config, loc))}</loc></url>\n" for loc in locs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</urlset>\n"
    ).encode()


def robots_txt(config: SiteConfig) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if config.base_url:
        lines.append(f"Sitemap: {config.base_url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode()


def fingerprint_assets(static_dir: Path, prefix: str = "static") -> dict[str, str]:
    """Map each static file to a content-hashed name (`static/style.3f2a9c1b.css`).

    Templates link the hashed names, so a host can cache them for ever: a changed file gets a
    new name. The plain names are published too, for links typed by hand.
    """
    names: dict[str, str] = {}
    if not static_dir.is_dir():
        return names
    for dirpath, dirnames, filenames in os.walk(static_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            file = Path(dirpath) / name
            rel = posixpath.join(prefix, file.relative_to(static_dir).as_posix())
            digest = hashlib.sha256(file.read_bytes()).hexdigest()[:10]
            stem, dot, suffix = PurePosixPath(rel).name.partition(".")
            hashed = f"{stem}.{digest}.{suffix}" if dot else f"{stem}.{digest}"
            names[rel] = posixpath.join(posixpath.dirname(rel), hashed)
    return names


def hashed_copies(
    static_dir: Path, names: Mapping[str, str], prefix: str = "static"
) -> dict[str, bytes]:
    """The bytes to publish under each hashed name."""
    return {
        hashed: (static_dir / PurePosixPath(rel).relative_to(prefix)).read_bytes()
        for rel, hashed in names.items()
    }
