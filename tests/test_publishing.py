"""Feeds, sitemap, robots, sharing metadata and fingerprinted assets."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from arshif.config import default_config
from arshif.publishing import SITEMAP_LIMIT, sitemap_files

from support import Run

Runner = Callable[..., Run]
BASE = "https://example.org/archive/"


def with_base_url(site: Path, run: Runner) -> Path:
    config = (site / "site.yaml").read_text("utf-8").replace('base_url: ""', f'base_url: "{BASE}"')
    (site / "site.yaml").write_text(config, "utf-8")
    assert run(cwd=site).code == 0
    return site / "_site"


@pytest.mark.parametrize("name", ["feed.xml", "rss.xml"])
def test_feeds_parse_without_errors_and_list_articles_newest_first(built: Path, name: str) -> None:
    feed = feedparser.parse((built / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "أرشيف مهمة الناتو في العراق"
    assert [e.published_parsed[:3] for e in feed.entries] == [
        (2023, 1, 24), (2021, 3, 10), (2021, 2, 18), (2021, 2, 16), (2020, 2, 11)
    ]  # fmt: skip
    assert feed.entries[1].title.startswith("أكد الأمين العام لحلف الناتو")


def test_feed_links_resolve_to_pages_without_base_url(built: Path) -> None:
    feed = feedparser.parse((built / "feed.xml").read_bytes())
    for entry in feed.entries:
        assert (built / entry.link).is_file()


@pytest.mark.parametrize("name", ["feed.xml", "rss.xml"])
def test_feeds_use_absolute_urls_with_base_url(site: Path, run: Runner, name: str) -> None:
    out = with_base_url(site, run)
    feed = feedparser.parse((out / name).read_bytes())
    assert not feed.bozo
    assert all(e.link.startswith(BASE + "articles/") for e in feed.entries)
    assert "+03:00" in (out / "feed.xml").read_text("utf-8")


def test_feeds_have_no_english_boilerplate(built: Path) -> None:
    text = (built / "feed.xml").read_text("utf-8")
    assert "Generator" not in text and "generator" not in text


def test_head_links_feeds_and_pages_stay_relative_with_base_url(site: Path, run: Runner) -> None:
    out = with_base_url(site, run)
    html = (out / "archive" / "index.html").read_text("utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'<link rel="canonical" href="{BASE}archive/index.html">' in html
    assert 'href="../index.html"' in html
    hrefs = re.findall(r'<a [^>]*href="([^"]+)"', html)
    assert hrefs and not any(h.startswith("http") for h in hrefs)


def test_sitemap_lists_every_page_with_absolute_urls(site: Path, run: Runner) -> None:
    out = with_base_url(site, run)
    root = ElementTree.fromstring((out / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    pages = sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.name != "404.html"
    )
    assert locs == [BASE + p for p in pages]
    assert (
        out / "robots.txt"
    ).read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"


def test_sitemap_is_split_above_fifty_thousand_urls() -> None:
    config = default_config(Path("."))
    urls = [f"articles/a{i}.html" for i in range(SITEMAP_LIMIT + 1)]
    files = sitemap_files(config, urls)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    assert b"<sitemapindex" in files["sitemap.xml"]
    assert files["sitemap-2.xml"].count(b"<url>") == 1


def test_article_has_news_article_json_ld_and_open_graph(site: Path, run: Runner) -> None:
    out = with_base_url(site, run)
    page = next(p for p in (out / "articles").glob("*.html") if "دعا-العراق" in p.name)
    html = page.read_text("utf-8")
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("دعا العراق")
    assert data["datePublished"] == "2023-01-24"
    assert data["inLanguage"] == "ar"
    assert data["sourceOrganization"]["name"] == "إيلاف"
    assert data["publisher"]["name"] == "أرشيف مهمة الناتو في العراق"
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{BASE}articles/' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_home_has_website_json_ld_with_search_action(built: Path) -> None:
    html = (built / "index.html").read_text("utf-8")
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["@type"] == "WebSite"
    assert data["potentialAction"]["@type"] == "SearchAction"
    assert data["potentialAction"]["target"]["urlTemplate"].endswith(
        "search.html?q={search_term_string}"
    )


def test_json_ld_cannot_be_closed_by_article_text(site: Path, run: Runner) -> None:
    (site / "articles" / "x.md").write_text(
        "---\ntitle: '</script><script>alert(1)</script>'\ndate: 2021-01-01\n---\nنص.\n", "utf-8"
    )
    assert run(cwd=site).code == 0
    for page in (site / "_site" / "articles").glob("*.html"):
        assert "</script><script>" not in page.read_text("utf-8")


def test_stylesheet_is_linked_by_content_hash(built: Path) -> None:
    html = (built / "index.html").read_text("utf-8")
    href = re.search(r'<link rel="stylesheet" href="(static/style\.[0-9a-f]{10}\.css)">', html)
    assert href is not None
    assert (built / href[1]).read_bytes() == (built / "static" / "style.css").read_bytes()


def test_404_page_uses_base_url_so_it_works_at_any_depth(site: Path, run: Runner) -> None:
    out = with_base_url(site, run)
    assert f'<base href="{BASE}">' in (out / "404.html").read_text("utf-8")
