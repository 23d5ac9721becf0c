"""Incremental builds: only what changed is parsed, rendered and written, and the result is
always byte for byte what a clean build gives."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest

from arshif import cache as cache_module
from arshif import pipeline
from arshif import stamp as stamp_module
from arshif.config import SiteConfig, load_config
from arshif.fingerprint import Fingerprints
from arshif.pages import Page
from arshif.pipeline import build

from support import Run, stamps, tree

Runner = Callable[..., Run]
NEWEST = "articles/دعا-العراق-الثلاثاء-حلف-الناتو-الى-دعم-قواته-لحفظ-أمن-الحدود.html"
FEB_18 = "articles/الناتو-يرفع-عدد-قواته-في-العراق-حتى-٤-آلاف-شخص.html"
FEB_16 = "articles/الناتو-يوسع-مهامه-وتصاعد-العنف-بالعراق.html"
OTHER_SOURCE = "sources/بغداد-اليوم/index.html"  # lists none of NEW_ARTICLE's

NEW_ARTICLE = """---
title: الحلف يعقد اجتماعا طارئا
date: 2021-02-17
source: إيلاف
---
قال مسؤول في الحلف إن الاجتماع يناقش مهمة التدريب في العراق.

وأضاف أن القرار سيصدر خلال أيام.
"""


def changes(result: Run) -> list[str]:
    """The `+ path`, `~ path`, `- path` lines a --verbose build prints."""
    return [line for line in result.out.splitlines() if re.match(r"[+~-] ", line)]


# Files that list or index every article: they change with any article, by design.
WHOLE_ARCHIVE = re.compile(r"(feed|rss|sitemap)\.xml$|^search/")


def page_changes(result: Run) -> list[str]:
    """`changes` without the feeds, sitemap and search index."""
    return [c for c in changes(result) if not WHOLE_ARCHIVE.search(c[2:])]


def rebuild(site: Path, run: Runner, *args: str) -> Run:
    result = run("build", "--verbose", *args, cwd=site)
    assert result.code == 0, result.err
    return result


def test_a_no_op_rebuild_writes_nothing_and_says_so(built: Path, run: Runner) -> None:
    before = stamps(built)
    result = rebuild(built.parent, run)
    assert changes(result) == []
    assert re.search(
        r"^nothing changed: 0 files written, \d+ unchanged, 0 removed \(5 articles, \d+ pages\)",
        result.out,
        re.MULTILINE,
    )
    assert stamps(built) == before


def test_adding_an_article_writes_its_page_its_neighbours_and_its_lists(
    built: Path, run: Runner
) -> None:
    (built.parent / "articles" / "new.md").write_text(NEW_ARTICLE, "utf-8")
    result = rebuild(built.parent, run)
    new = "articles/الحلف-يعقد-اجتماعا-طارئا.html"
    required = {
        f"+ {new}",
        f"~ {FEB_16}",
        f"~ {FEB_18}",
        "~ archive/2021-02.html",
        "~ archive/index.html",
        "~ index.html",
        "~ sources/index.html",
        "~ sources/إيلاف/index.html",
    }
    changed = set(page_changes(result))
    assert required <= changed
    # Anything else rewritten names the new article (its related articles, the entity, tag
    # and timeline pages that list it) or counts articles (the index of a grouping).
    for change in changed - required:
        path = change[2:]
        html = (built / path).read_text("utf-8")
        counts_only = path.endswith("/index.html") and path.count("/") == 1
        assert counts_only or new.removeprefix("articles/") in html, change
    assert not any(c.startswith("~ archive/20") for c in changed - required)
    assert "built 6 articles" in result.out
    assert f"{len(changes(result))} written" in result.out


def test_editing_a_later_paragraph_rewrites_only_that_article(built: Path, run: Runner) -> None:
    article = built.parent / "articles" / "002_c56882e3b815c679.txt"
    text = article.read_text("utf-8")
    article.write_text(text.replace("وبحث الجانبان", "وناقش الجانبان"), "utf-8")
    result = rebuild(built.parent, run)
    # The neighbours and lists are rendered again (their inputs name this article's digest)
    # but come out the same, so they are not rewritten.
    assert [c for c in page_changes(result) if c.startswith("~")] == [
        "~ articles/أكد-الأمين-العام-لحلف-الناتو-يانس-ستولتنبرغ-ووزير-خارجية.html"
    ]


def test_deleting_an_article_removes_its_page_and_every_link_to_it(
    built: Path, run: Runner
) -> None:
    (built.parent / "articles" / "004_e671d139e0bcab16.txt").unlink()
    result = rebuild(built.parent, run)
    assert f"- {NEWEST}" in changes(result)
    assert "~ archive/2023-01.html" not in changes(result)
    assert "- archive/2023-01.html" in changes(result)
    assert not (built / NEWEST).exists()
    for page in built.rglob("*.html"):
        assert os.path.basename(NEWEST) not in page.read_text("utf-8"), page


def test_a_template_change_rewrites_only_the_pages_that_use_it(built: Path, run: Runner) -> None:
    templates = built.parent / "templates"
    page_404 = templates / "404.html"
    page_404.write_text(page_404.read_text("utf-8").replace("ربما", "لعلها"), "utf-8")
    assert changes(rebuild(built.parent, run)) == ["~ 404.html"]

    macros = templates / "_macros.html"
    macros.write_text(macros.read_text("utf-8").replace("غير مؤرخ", "بلا تاريخ"), "utf-8")
    result = rebuild(built.parent, run)
    # _macros.html is imported by the home, month and article pages, not by the archive or 404.
    # Only pages that show an undated article change; the others render to the same bytes.
    assert "~ 404.html" not in changes(result)
    assert "rendered" in result.err
    rendered = re.search(r"(\d+) pages rendered", result.err)
    # home, months, articles, timeline years and the grouping pages that list articles; not the
    # archive index, the groupings' indexes, the timeline index, search page or 404
    pages = [p for p in tree(built) if p.endswith(".html")]
    users = [p for p in pages if p.count("/") == 2 or p.startswith(("articles/", "archive/20",
             "timeline/20")) or p == "index.html"]  # fmt: skip
    assert rendered is not None and int(rendered[1]) == len(users)


def test_a_setting_change_rewrites_every_page(built: Path, run: Runner) -> None:
    config = built.parent / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("title: ", "title: جديد "), "utf-8")
    result = rebuild(built.parent, run)
    pages = [p for p in tree(built) if p.endswith(".html")]
    assert sorted(c[2:] for c in changes(result) if c.endswith(".html")) == sorted(pages)


def test_a_gazetteer_edit_gives_the_site_a_clean_build_gives(built: Path, run: Runner) -> None:
    # Every article is parsed again, and its entities move; so do the related lists, which
    # the cache kept by a key without the parse settings until December 2026.
    gazetteer = built.parent / "gazetteer.yaml"
    text = gazetteer.read_text("utf-8")
    start = text.index("  - id: stoltenberg")
    gazetteer.write_text(text[:start] + text[text.index("  - id:", start + 1) :], "utf-8")
    rebuild(built.parent, run)
    rebuild(built.parent, run, "--clean", "--out", "clean")
    assert tree(built) == tree(built.parent / "clean")


def test_clean_ignores_the_cache(built: Path, run: Runner) -> None:
    before = tree(built)
    result = rebuild(built.parent, run, "--clean")
    assert len(changes(result)) == len(before) - 1  # every file but the marker
    assert tree(built) == before


def test_a_failed_rebuild_leaves_the_published_site_untouched(built: Path, run: Runner) -> None:
    before, times = tree(built), stamps(built)
    (built.parent / "articles" / "new.md").write_text(NEW_ARTICLE, "utf-8")
    base = built.parent / "templates" / "article.html"
    base.write_text(base.read_text("utf-8") + "{% if %}", "utf-8")
    result = run("build", cwd=built.parent)
    assert result.code == 1
    assert re.search(r"templates/article\.html:\d+: template error", result.err)
    assert tree(built) == before and stamps(built) == times
    assert not (built.parent / ".site.staging").exists()


def test_a_deleted_or_edited_output_file_is_written_again(built: Path, run: Runner) -> None:
    (built / FEB_16).unlink()
    (built / "index.html").write_text("edited by hand", "utf-8")
    # A page of a group found as it was published (pipeline._kept_groups) is checked too.
    (built / OTHER_SOURCE).unlink()
    result = rebuild(built.parent, run)
    assert changes(result) == [f"~ {FEB_16}", "~ index.html", f"~ {OTHER_SOURCE}"]
    assert "edited by hand" not in (built / "index.html").read_text("utf-8")


def test_search_files_found_as_published_come_back_from_the_index_without_their_bytes(
    built: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[Page] = []
    index = pipeline.search_index

    def spy(*args: Any) -> Any:
        found = index(*args)
        sent.extend(found[0])
        return found

    monkeypatch.setattr(pipeline, "search_index", spy)
    monkeypatch.setenv("ARSHIF_JOBS", "1")  # computed here, where the spy sees it
    docs = sorted(p.relative_to(built).as_posix() for p in (built / "search").glob("docs-*"))
    edited = built / docs[0]
    edited.write_bytes(edited.read_bytes() + b"\n")
    (built.parent / "articles" / "new.md").write_text(NEW_ARTICLE, "utf-8")
    result = rebuild(built.parent, run)
    with_bytes = {page.url for page in sent if page.body is not None}
    kept = {page.url for page in sent if page.kept}
    assert kept and with_bytes and kept | with_bytes == {p.url for p in sent if p.template is None}
    assert docs[0] in with_bytes  # edited by hand: its bytes are sent, and it is written again
    assert f"~ {docs[0]}" in changes(result)
    assert not kept & {c[2:] for c in changes(result)}
    fresh = built.parent / "fresh"
    assert run("build", "--clean", "--out", str(fresh), cwd=built.parent).code == 0
    assert tree(built) == tree(fresh)


def test_an_addition_leaves_the_pages_of_the_terms_it_is_not_in_unfingerprinted(
    built: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARSHIF_JOBS", "1")  # every fingerprint taken in this process
    seen: list[str] = []
    take = Fingerprints.of

    def recorded(self: Fingerprints, page: Page) -> str | None:
        seen.append(page.url)
        return take(self, page)

    monkeypatch.setattr(Fingerprints, "of", recorded)
    (built.parent / "articles" / "new.md").write_text(NEW_ARTICLE, "utf-8")
    rebuild(built.parent, run)
    sources = {url for url in seen if url.startswith("sources/") and url != "sources/index.html"}
    assert sources == {"sources/إيلاف/index.html"}  # the new article's source only


def test_renaming_a_raw_text_keeps_its_page(built: Path, run: Runner) -> None:
    articles = built.parent / "articles"
    (articles / "002_c56882e3b815c679.txt").rename(articles / "2021-march-statement.txt")
    assert changes(rebuild(built.parent, run)) == []
    assert "2021-march-statement.txt\t" in (built.parent / "slugs.lock").read_text("utf-8")


def test_a_month_list_grows_only_at_its_main_page(site: Path, run: Runner) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("per_page: 50", "per_page: 1"), "utf-8")
    rebuild(site, run)
    (site / "articles" / "new.md").write_text(NEW_ARTICLE.replace("2021-02-17", "2021-02-28"))
    result = rebuild(site, run)
    month = [c for c in changes(result) if "archive/2021-02" in c]
    # February had pages 1 (the 16th) and 2 (the 18th, at the main URL). The 18th moves to a
    # permanent page 2; page 1 is untouched; the new article is the main page.
    assert month == [
        "~ archive/2021-02-1.html",
        "+ archive/2021-02-2.html",
        "~ archive/2021-02.html",
    ]
    pages = site / "_site" / "archive"
    assert "الحلف يعقد اجتماعا طارئا" in (pages / "2021-02.html").read_text("utf-8")
    assert "الناتو يرفع عدد قواته" in (pages / "2021-02-2.html").read_text("utf-8")
    assert "الناتو يوسع مهامه" in (pages / "2021-02-1.html").read_text("utf-8")


# ---------------------------------------------------------------- the cache itself
def test_unchanged_sources_are_not_read_again(
    built: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # trust stat at once in this test
    rebuild(built.parent, run)  # records trusted stat signatures
    read: list[str] = []
    original = pipeline.read_source
    monkeypatch.setattr(
        pipeline, "read_source", lambda path, root: read.append(path.name) or original(path, root)
    )
    (built.parent / "articles" / "new.md").write_text(NEW_ARTICLE, "utf-8")
    (built.parent / "articles" / "000_437a9470a1c05b89.yaml").write_text("date: 2021-02-19\n")
    rebuild(built.parent, run)
    assert sorted(read) == ["000_437a9470a1c05b89.txt", "new.md"]


def test_the_cache_takes_each_sources_stat_from_the_stamp_walk(
    built: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in (cache_module, stamp_module):
        monkeypatch.setattr(module, "RACY_NS", 0)  # trust stat at once in this test
    rebuild(built.parent, run)  # records trusted stat signatures
    asked: list[str] = []
    original = Path.stat

    def spy(path: Path, **kwargs: Any) -> os.stat_result:
        if path.parent == built.parent / "articles":
            asked.append(path.name)
        return original(path, **kwargs)

    monkeypatch.setattr(Path, "stat", spy)
    (built.parent / "articles" / "new.md").write_text(NEW_ARTICLE, "utf-8")
    result = rebuild(built.parent, run)
    assert "+ articles/" in result.out
    assert asked == []


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(
    built: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    source = built.parent / "articles" / "003_dd8d8cd0ba8ee6f5.yaml"
    rebuild(built.parent, run)
    st = source.stat()
    source.write_text(source.read_text("utf-8").replace("2021-02-16", "2021-02-15"), "utf-8")
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))  # as a careless copy tool might
    rebuild(built.parent, run)
    assert "2021-02-15" in (built / FEB_16).read_text("utf-8")


def test_parsing_reads_only_the_settings_its_cache_key_names(tmp_path: Path) -> None:
    from arshif.parse import PARSE_SETTINGS, parse_article
    from arshif.sources import find_sources

    config = load_config(Path(__file__).resolve().parents[1] / "site.yaml")
    read: set[str] = set()

    class Watched:
        def __getattr__(self, name: str) -> object:
            read.add(name)
            return getattr(config, name)

    sources, _ = find_sources(Path(__file__).resolve().parents[1] / "articles")
    (tmp_path / "a.md").write_text("---\ntitle: عنوان\n---\nنص المقال.\n", "utf-8")
    sources += find_sources(tmp_path)[0]
    for source in sources:
        parse_article(source, Watched())  # type: ignore[arg-type]
    assert read <= set(PARSE_SETTINGS)


def test_another_engine_discards_the_cache(
    site: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(site / "site.yaml")
    assert build(config).parsed == 5
    assert build(config).rendered == 0
    monkeypatch.setattr(cache_module, "engine_key", lambda: "another engine")
    report = build(config)
    assert report.parsed == 5
    assert report.rendered == report.pages
    assert report.written == report.files  # a full build, published by swapping the folder


def test_compiled_templates_are_kept_with_the_cache_and_go_with_it(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str] = []
    compile_source = jinja2.Environment._compile

    def spy(env: jinja2.Environment, source: str, filename: str) -> Any:
        compiled.append(Path(filename).name)
        return compile_source(env, source, filename)

    monkeypatch.setattr(jinja2.Environment, "_compile", spy)
    monkeypatch.setenv("ARSHIF_JOBS", "1")  # rendered here, where the spy sees it
    config = load_config(site / "site.yaml")
    kept = site / ".arshif-cache" / "templates"
    build(config)
    assert len(compiled) == len(list(kept.iterdir())) > 5
    compiled.clear()
    page_404 = site / "templates" / "404.html"
    page_404.write_text(page_404.read_text("utf-8").replace("ربما", "لعلها"), "utf-8")
    assert build(config).rendered == 1
    assert compiled == ["404.html"]  # base.html, which it extends, came from the folder
    assert "لعلها" in (config.output_dir / "404.html").read_text("utf-8")
    compiled.clear()
    build(config, clean=True)  # ignores them, like the rest of the cache
    assert len(compiled) == len(list(kept.iterdir())) > 5
    monkeypatch.setattr(cache_module, "engine_key", lambda: "another engine")
    compiled.clear()
    build(config)
    assert len(compiled) == len(list(kept.iterdir())) > 5  # the other engine's are gone


def test_what_each_template_pulls_in_is_parsed_once_and_kept_until_it_changes(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    parse = jinja2.Environment.parse

    def spy(env: jinja2.Environment, source: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(source)
        return parse(env, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "parse", spy)
    monkeypatch.setenv("ARSHIF_JOBS", "1")  # fingerprinted here, where the spy sees it
    config = load_config(site / "site.yaml")
    templates = sorted(p for p in (site / "templates").iterdir() if p.is_file())
    build(config)
    # Once each, though base.html is in the closure of every page template.
    assert sorted(parsed) == sorted(t.read_text("utf-8") for t in templates)
    parsed.clear()
    page_404 = site / "templates" / "404.html"
    page_404.write_text(page_404.read_text("utf-8").replace("ربما", "لعلها"), "utf-8")
    assert build(config).rendered == 1
    assert parsed == [page_404.read_text("utf-8")]
    parsed.clear()
    build(config, clean=True)
    assert len(parsed) == len(templates)


def two_folders_with_a_result(site: Path, value: str) -> tuple[SiteConfig, SiteConfig]:
    """The site's config and one for a second articles folder sharing its cache, each with
    a cached "relations" result holding `value`."""
    config = load_config(site / "site.yaml")
    (site / "other").mkdir()
    other = dataclasses.replace(config, articles_dir=site / "other")
    for each in (config, other):
        with cache_module.BuildCache.open(each) as cache:
            cache.store_result("relations", "inputs", value)
            assert cache.result("relations", "inputs") == value
    return config, other


def test_the_cache_tells_whether_it_holds_a_result_by_its_key(site: Path) -> None:
    config, _ = two_folders_with_a_result(site, "a result")
    with cache_module.BuildCache.open(config) as cache:
        assert cache.holds("relations", "inputs")
        assert not cache.holds("relations", "input")  # a key the stored one starts with
        assert not cache.holds("relations", "inputs2")
        assert not cache.holds("related", "inputs")
        # Under whatever key: the related lists of the last build are brought up to date.
        assert cache.holds("relations", None)
        assert not cache.holds("related", None)
        assert cache.result("relations", None) == "a result"
        assert cache.result("relations", "other inputs") is None


def test_another_engine_discards_the_results_of_every_articles_folder(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two archives share one cache when they share a site.yaml. The first build by a new
    # engine must not leave the other archive's results behind under the new engine key.
    config, other = two_folders_with_a_result(site, "the old engine's result")
    monkeypatch.setattr(cache_module, "engine_key", lambda: "another engine")
    for each in (config, other):
        with cache_module.BuildCache.open(each) as cache:
            assert cache.result("relations", "inputs") is None


def test_a_cached_result_that_does_not_unpickle_is_recomputed(site: Path) -> None:
    config = load_config(site / "site.yaml")
    with cache_module.BuildCache.open(config) as cache:
        assert cache.db is not None
        with cache.db:
            cache.db.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?)",
                (f"{config.articles_dir.resolve()}\0relations", b"inputs\nnot a pickle"),
            )
        assert cache.result("relations", "inputs") is None


def test_an_interrupted_publish_is_repaired_by_the_next_build(
    built: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    (built.parent / "articles" / "new.md").write_text(NEW_ARTICLE, "utf-8")
    calls = 0
    real_replace = os.replace

    def failing_replace(src: object, dst: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing_replace)
    assert run("build", cwd=built.parent).code == 1
    monkeypatch.setattr(os, "replace", real_replace)
    assert run("build", cwd=built.parent).code == 0
    clean = built.parent / "clean"
    shutil.copytree(built.parent, clean, ignore=shutil.ignore_patterns("_site", ".arshif-cache"))
    assert run("build", "--clean", cwd=clean).code == 0
    assert tree(built) == tree(clean / "_site")


def test_a_corrupt_cache_is_discarded_not_trusted(built: Path, run: Runner) -> None:
    before = tree(built)
    database = built.parent / ".arshif-cache" / "cache.sqlite"
    database.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    assert run("build", cwd=built.parent).code == 0
    assert tree(built) == before
    assert "nothing changed" in rebuild(built.parent, run).out


def test_without_a_writable_cache_every_build_is_a_full_one(site: Path, run: Runner) -> None:
    (site / ".arshif-cache").write_text("a file where the cache folder should be", "utf-8")
    first = rebuild(site, run)
    before = tree(site / "_site")
    second = rebuild(site, run)
    assert "5 sources parsed" in first.err and "5 sources parsed" in second.err
    # no manifest: published by swapping the folder
    assert f"{len(tree(site / '_site')) - 1} written" in second.out  # all but the marker
    assert tree(site / "_site") == before


def test_the_cache_file_gives_back_the_space_of_deleted_rows(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite never shrinks a file by itself: replaced records used to pile up as free pages.
    monkeypatch.setattr(cache_module, "COMPACT_BYTES", 1 << 20)
    config = load_config(site / "site.yaml")
    path = site / ".arshif-cache" / "cache.sqlite"
    with cache_module.BuildCache.open(config) as cache:
        cache.store_result("relations", "inputs", os.urandom(4 << 20))
    assert path.stat().st_size > 4 << 20
    with cache_module.BuildCache.open(config) as cache:
        cache.store_result("relations", "inputs", "small")
    assert path.stat().st_size < 1 << 20
    with cache_module.BuildCache.open(config) as cache:
        assert cache.result("relations", "inputs") == "small"


def test_the_cache_does_not_zero_the_pages_it_frees(site: Path) -> None:
    # Debian's SQLite scrubs freed pages by default: every deleted or replaced record was
    # written a second time, as zeros. The cache holds nothing secret.
    with cache_module.BuildCache.open(load_config(site / "site.yaml")) as cache:
        assert cache.db is not None
        assert cache.db.execute("PRAGMA secure_delete").fetchone() == (0,)


def test_clean_drops_the_cached_results_of_its_articles_folder(site: Path) -> None:
    # Results are keyed "folder NUL name": a substr() match stopped at the NUL, so `--clean`
    # once kept them, the archive's relations included.
    config, other = two_folders_with_a_result(site, "computed before")
    with cache_module.BuildCache.open(config, clean=True) as cache:
        assert cache.result("relations", "inputs") is None
    with cache_module.BuildCache.open(other) as cache:  # another folder's stay
        assert cache.result("relations", "inputs") == "computed before"


def _config_with_memo(site: Path) -> SiteConfig:
    """The site's config, its cache holding the memo "words" of January and February."""
    config = load_config(site / "site.yaml")
    with cache_module.BuildCache.open(config) as cache:
        memo = cache.memo("words")
        memo["2020-01"], memo["2020-02"] = "january", "february"
        memo.save()
    return config


def test_a_memo_keeps_only_the_rows_its_last_build_asked_for(site: Path) -> None:
    config = _config_with_memo(site)
    with cache_module.BuildCache.open(config) as cache:
        memo = cache.memo("words")
        assert memo.get("2020-02") == "february"
        memo.save()  # January was not asked for: it goes
    with cache_module.BuildCache.open(config) as cache:
        memo = cache.memo("words")
        assert memo.get("2020-01") is None
        assert memo.get("2020-02") == "february"


@pytest.mark.usefixtures("forking_allowed", "two_jobs")
def test_a_loaded_memo_serves_a_forked_process_and_takes_back_what_it_did(site: Path) -> None:
    # The search index is built in a forked process, which must not use the parent's SQLite
    # connection: the memo is read beforehand, and the child's use handed back to be saved.
    from arshif import parallel

    config = _config_with_memo(site)
    with cache_module.BuildCache.open(config) as cache:
        memo = cache.memo("words")
        memo.load()

        def child() -> tuple[str, cache_module.MemoUse]:
            cache.db = None  # what it can read, it reads without the database
            memo["2020-03"] = "march"
            return memo.get("2020-02"), memo.use()

        with parallel.in_background(child) as job:
            found, used = job.result()
        assert found == "february" and cache.db is not None
        memo.absorb(used)
        memo.save()
    with cache_module.BuildCache.open(config) as cache:
        memo = cache.memo("words")
        assert [memo.get(k) for k in ("2020-01", "2020-02", "2020-03")] == [
            None,
            "february",
            "march",
        ]


def test_records_are_stored_as_sent_and_in_batches_as_they_come(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pickle

    from arshif.parse import parse_article
    from arshif.sources import list_sources, read_source

    monkeypatch.setattr(cache_module, "SAVE_BATCH", 2)
    config = load_config(site / "site.yaml")
    files, _ = list_sources(config.articles_dir)
    with cache_module.BuildCache.open(config, clean=True) as cache:
        assert cache.db is not None
        for number, file in enumerate(files[:3], start=1):
            source = read_source(file.path, config.articles_dir)
            record = parse_article(source, config)
            blob = pickle.dumps(record) + b"."  # what unpickling ignores tells the blob apart
            cache.remember(file, source.digest, record, blob)
            (stored,) = cache.db.execute("SELECT count(*) FROM sources").fetchone()
            assert stored == (2 if number >= 2 else 0)  # the third waits for its batch
        cache.save_sources()
        rows = cache.db.execute("SELECT rel, record FROM sources ORDER BY rel").fetchall()
    assert len(rows) == 3 and all(record.endswith(b"..") for _, record in rows)


def test_removing_a_replaced_site_deletes_it_all_and_follows_no_link(tmp_path: Path) -> None:
    from arshif.write import _remove_tree

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("x", "utf-8")
    old = tmp_path / ".site.old"
    for n in range(300):
        page = old / f"d{n % 7}" / f"e{n % 3}" / f"p{n}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(str(n), "utf-8")
    (old / "empty").mkdir()
    (old / "d0" / "link").symlink_to(outside, target_is_directory=True)
    _remove_tree(old)
    assert not old.exists()
    assert (outside / "keep.txt").read_text("utf-8") == "x"


def test_the_groups_of_pages_are_recorded_with_the_manifest_and_go_with_it(
    built: Path, run: Runner
) -> None:
    config = load_config(built.parent / "site.yaml")
    with cache_module.BuildCache.open(config) as cache:
        groups = cache.published_groups(built)
    assert "tags/index.html" not in groups and OTHER_SOURCE in groups
    # A clean build starts with none, and records its own.
    with cache_module.BuildCache.open(config, clean=True) as cache:
        assert cache.published_groups(built) == {}
    rebuild(built.parent, run, "--clean")
    with cache_module.BuildCache.open(config) as cache:
        assert cache.published_groups(built) == groups
