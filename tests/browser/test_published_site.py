"""The built archive as readers meet it: searched from disk and over http, and browsed under
a sub-path of a host with `base_url` set."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from arshif.cli import main
from arshif.config import load_config
from arshif.parse import parse_article
from arshif.sources import read_source

from support import start_server

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SUB_PATH = "archive/nato"
BASE_URL = f"https://example.org/{SUB_PATH}/"


def seed_of_url() -> dict[str, str]:
    """Article page URL → seed prefix ("000" …), from the parser itself."""
    config = load_config(REPO / "site.yaml")
    urls = {}
    for path in sorted((REPO / "articles").glob("0*.txt")):
        article = parse_article(read_source(path, REPO / "articles"), config).article
        urls[article.url] = path.name[:3]
    return urls


@pytest.fixture(scope="module")
def served_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site built with a sub-path base_url into served/archive/nato/."""
    work = tmp_path_factory.mktemp("published")
    site = work / "site"
    site.mkdir()
    for name in ("articles", "templates", "static"):
        shutil.copytree(REPO / name, site / name)
    for name in ("site.yaml", "gazetteer.yaml"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, site / name)
    config = (
        (site / "site.yaml").read_text("utf-8").replace('base_url: ""', f'base_url: "{BASE_URL}"')
    )
    (site / "site.yaml").write_text(config, "utf-8")
    out = work / "served" / SUB_PATH
    assert main(["build", "--config", str(site / "site.yaml"), "--out", str(out)]) == 0
    return work / "served"


@pytest.fixture(scope="module", params=["file", "http"])
def site_url(request: pytest.FixtureRequest, served_root: Path) -> Iterator[str]:
    if request.param == "file":
        yield (served_root / SUB_PATH).as_uri() + "/"
        return
    server, port = start_server(served_root)
    try:
        yield f"http://127.0.0.1:{port}/{SUB_PATH}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def reader(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page plus the list of failed requests and script errors it ran into."""
    context = browser.new_context(locale="ar")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    # A click that navigates away aborts the old page's pending script loads: not a failure.
    page.on(
        "requestfailed",
        lambda request: (
            None
            if request.failure == "net::ERR_ABORTED"
            else problems.append(f"failed: {request.url} {request.failure}")
        ),
    )
    page.on(
        "response",
        lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
    )
    yield page, problems
    context.close()


QUERIES = {
    "للناتو": {"000", "001", "002", "003", "004"},
    "الاعرجي": {"002", "004"},
    "ستولتنبيرغ": {"000", "001", "002", "003"},
    "بالعراق": {"000", "001", "002", "003", "004"},
}


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_search_finds_the_right_seeds(
    query: str, site_url: str, reader: tuple[Any, list[str]]
) -> None:
    page, problems = reader
    page.goto(f"{site_url}search.html?q={quote(query)}")
    page.wait_for_selector("#arshif-search-count:not(:empty)")
    page.wait_for_function(
        "!document.querySelector('#arshif-search-count').textContent.includes('…')"
    )
    links = page.eval_on_selector_all(
        "a.arshif-result-link", "els => els.map(e => e.getAttribute('href'))"
    )
    urls = seed_of_url()
    found = {urls[link.removeprefix("./")] for link in links}
    assert found == QUERIES[query]
    assert page.input_value("#arshif-search-input") == query
    assert problems == []


def test_digits_in_either_script_find_the_4000_troops_headline(
    site_url: str, reader: tuple[Any, list[str]]
) -> None:
    page, problems = reader
    page.goto(f"{site_url}search.html?q={quote('٤ آلاف')}")
    page.wait_for_selector("a.arshif-result-link")
    first = page.locator("a.arshif-result-link").first
    assert first.inner_text() == "الناتو يرفع عدد قواته في العراق حتى ٤ آلاف شخص"
    assert "000" in {
        seed_of_url()[h.removeprefix("./")]
        for h in page.eval_on_selector_all(
            "a.arshif-result-link", "els => els.map(e => e.getAttribute('href'))"
        )
    }
    assert problems == []


def test_typing_in_the_header_box_leads_to_results(
    site_url: str, reader: tuple[Any, list[str]]
) -> None:
    page, problems = reader
    page.goto(f"{site_url}index.html")
    page.fill("#arshif-search-input", "الأعرجي")
    page.press("#arshif-search-input", "Enter")
    page.wait_for_selector("a.arshif-result-link")
    assert "search.html?q=" in page.url
    assert page.locator("a.arshif-result-link").count() == 2
    assert problems == []


def test_every_link_works_page_to_page_under_a_sub_path(
    site_url: str, reader: tuple[Any, list[str]]
) -> None:
    page, problems = reader
    page.goto(f"{site_url}index.html")
    page.locator(".article-item-title a").first.click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("link", name="الأرشيف").first.click()
    page.locator(".months a").first.click()
    assert page.locator(".article-item").count() >= 1
    page.get_by_role("link", name="المصادر").first.click()
    page.locator(".terms a").first.click()
    page.locator(".article-item-title a").first.click()
    page.get_by_role("link", name="الرئيسية").click()
    assert page.url == f"{site_url}index.html"
    # Stylesheet and scripts were found at every step: nothing failed to load.
    assert problems == []
