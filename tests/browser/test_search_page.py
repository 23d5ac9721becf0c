"""The search page as a reader uses it, in Debian's Chromium, from file:// and over http.

A handful of articles is indexed into a temporary site together with the fixture pages in
tests/fixtures/ and the real static scripts; the same checks then run with the site opened
from disk and served by `python -m http.server` under a sub-path.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from arshif.search import SearchDoc, build_search_index

from support import start_server

try:
    from playwright.sync_api import Browser, Page, Response, expect
except ImportError:
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("playwright is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]

SUB_PATH = "archive/ar"  # the site is served from a sub-path, never from the host root
EVIL_TITLE = '<img src=x onerror="window.pwned=1">الموصل'
EVIL_TEXT = "<script>window.pwned=2</script> تحرير الموصل <b>بالكامل</b>"


def article(slug: str, title: str, text: str, date: str) -> SearchDoc:
    return SearchDoc(f"articles/{slug}.html", title, date, f"{date} (نص)", "الفرات نيوز", text)


DOCS = [
    article("nato", "الناتو يرفع عدد قواته في العراق", "قرر حلف الناتو زيادة قواته.", "2021-02-18"),
    article("araji", "الأعرجي يستقبل قائد البعثة", "بحث التعاون للناتو في بغداد.", "2021-04-01"),
    article("stoltenberg", "مؤتمر في بروكسل", "قال ستولتنبرج إن المهمة تتوسع.", "2021-02-19"),
    article("evil", EVIL_TITLE, EVIL_TEXT, "2017-07-10"),
    *(
        article(f"basra-{n:02d}", f"أخبار البصرة {n}", "أمطار غزيرة في البصرة.", f"2020-01-{n:02d}")
        for n in range(1, 24)
    ),
]
SYNONYMS = {"ستولتنبرج": "ستولتنبرغ", "ستولتنبيرغ": "ستولتنبرغ"}


def build_site(site: Path) -> None:
    """The index, the static scripts and the fixture pages, where a built site has them."""
    for relative, data in build_search_index(DOCS, SYNONYMS).files.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(data)
    (site / "static").mkdir()
    for script in ("arabic.js", "search.js"):
        (site / "static" / script).write_bytes((REPO / "static" / script).read_bytes())
    fixtures = REPO / "tests" / "fixtures"
    (site / "search.html").write_bytes((fixtures / "search.html").read_bytes())
    (site / "articles").mkdir(exist_ok=True)
    for doc in DOCS:
        (site / doc.url).write_bytes((fixtures / "article.html").read_bytes())


@pytest.fixture(scope="module", params=["file", "http"])
def site_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of the built site (ending in /), from disk or from a local server."""
    served = tmp_path_factory.mktemp("served")
    site = served / SUB_PATH
    site.mkdir(parents=True)
    build_site(site)
    if request.param == "file":
        yield site.as_uri() + "/"
        return
    server, port = start_server(served)
    try:
        yield f"http://127.0.0.1:{port}/{SUB_PATH}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture()
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    context = browser.new_context(locale="ar")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))

    def on_response(response: Response) -> None:
        # Browsers ask for /favicon.ico by themselves; the site under test has none.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            errors.append(f"{response.status}: {response.url}")

    opened.on("response", on_response)
    yield opened
    context.close()
    assert errors == [], errors


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def result_links(page: Page) -> list[str]:
    links = page.locator("#arshif-search-results a.arshif-result-link")
    return [
        href.split("/articles/")[1] for href in links.evaluate_all("els => els.map(e => e.href)")
    ]


def wait_for_count(page: Page, text: str) -> None:
    expect(page.locator("#arshif-search-count")).to_have_text(text)


def test_query_in_the_url_shows_counted_highlighted_results(page: Page, site_url: str) -> None:
    page.goto(site_url + "search.html?q=للناتو")
    wait_for_count(page, "نتيجتان")
    assert result_links(page) == ["nato.html", "araji.html"]  # the title hit first
    assert page.input_value("#arshif-search-input") == "للناتو"
    marks = page.locator("#arshif-search-results mark").all_inner_texts()
    assert set(marks) == {"الناتو", "للناتو"}
    first = page.locator("#arshif-search-results li").first
    assert first.locator("time").get_attribute("datetime") == "2021-02-18"
    assert "الفرات نيوز" in first.locator(".arshif-result-meta").inner_text()


def test_typing_searches_and_keeps_the_query_in_the_url(page: Page, site_url: str) -> None:
    page.goto(site_url + "search.html")
    page.locator("#arshif-search-input").press_sequentially("ستولتنبيرغ")
    wait_for_count(page, "نتيجة واحدة")
    assert result_links(page) == ["stoltenberg.html"]
    page.wait_for_function("new URLSearchParams(location.search).get('q') === 'ستولتنبيرغ'")

    page.fill("#arshif-search-input", "بغداد")
    page.press("#arshif-search-input", "Enter")
    # The count already reads «one result» from the query before, so wait for the new hit.
    expect(page.locator("#arshif-search-results a[href$='araji.html']")).to_have_count(1)
    wait_for_count(page, "نتيجة واحدة")
    assert query_of(page.url) == {"q": ["بغداد"]}
    assert result_links(page) == ["araji.html"]

    page.fill("#arshif-search-input", "كلمةغيرموجودة")
    page.press("#arshif-search-input", "Enter")
    wait_for_count(page, "لا نتائج")
    assert result_links(page) == []


def test_results_come_in_pages_with_links_that_keep_the_url(page: Page, site_url: str) -> None:
    page.goto(site_url + "search.html?q=البصرة")
    wait_for_count(page, "23 نتيجةً")
    assert result_links(page) == [f"basra-{n:02d}.html" for n in range(23, 13, -1)]
    page.click("#arshif-search-pages a[rel=next]")
    page.wait_for_function("document.querySelector('#arshif-search-results').start === 11")
    assert query_of(page.url) == {"q": ["البصرة"], "p": ["2"]}
    assert result_links(page) == [f"basra-{n:02d}.html" for n in range(13, 3, -1)]
    assert "الصفحة 2 من 3" in page.inner_text("#arshif-search-pages")
    page.go_back()
    page.wait_for_function("document.querySelector('#arshif-search-results').start === 1")
    assert query_of(page.url) == {"q": ["البصرة"]}


def test_arrow_keys_walk_the_results_and_enter_opens_one(page: Page, site_url: str) -> None:
    page.goto(site_url + "search.html?q=الناتو")
    wait_for_count(page, "نتيجتان")
    page.focus("#arshif-search-input")
    focused = "document.activeElement.getAttribute('href') || document.activeElement.id"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused).endswith("articles/nato.html")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused).endswith("articles/araji.html")
    page.keyboard.press("ArrowDown")  # the last stop: focus stays
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate(focused) == "arshif-search-input"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/nato.html")


def test_slash_focuses_the_box_and_the_plain_form_goes_to_search_html(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + "articles/nato.html")
    page.click("#article-title")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "arshif-search-input"
    assert page.input_value("#arshif-search-input") == ""
    page.keyboard.type("بالعراق")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    assert page.url.startswith(site_url + "search.html")
    assert query_of(page.url) == {"q": ["بالعراق"]}
    wait_for_count(page, "نتيجة واحدة")
    assert result_links(page) == ["nato.html"]


def test_article_text_cannot_inject_markup(page: Page, site_url: str) -> None:
    page.goto(site_url + "search.html?q=الموصل")
    wait_for_count(page, "نتيجة واحدة")
    results = page.locator("#arshif-search-results")
    assert results.locator("img, script, b").count() == 0
    assert EVIL_TITLE.replace("الموصل", "") in results.locator("a").inner_text()
    assert "<script>" in results.locator(".arshif-result-snippet").inner_text()
    assert page.evaluate("window.pwned") is None
