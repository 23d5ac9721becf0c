"""A reader opens the archive from disk and follows a link to an article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_home_from_disk_links_to_an_article_with_its_headline(built: Path, page: Any) -> None:
    page.goto((built / "index.html").as_uri())
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    titles = page.locator(".article-item-title a")
    assert titles.count() == 5
    page.get_by_role("link", name="الناتو يرفع عدد قواته في العراق حتى ٤ آلاف شخص").click()
    page.wait_for_load_state()
    assert page.url.startswith("file://")
    assert page.locator("h1").inner_text() == "الناتو يرفع عدد قواته في العراق حتى ٤ آلاف شخص"
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The page is styled: the stylesheet loaded from disk through its relative link.
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"
    line_height = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    assert line_height > 1.5 * page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")


def test_archive_month_and_back_home(built: Path, page: Any) -> None:
    page.goto((built / "index.html").as_uri())
    page.get_by_role("link", name="الأرشيف").first.click()
    page.get_by_role("link", name="آذار/مارس 2021").click()
    assert page.locator("h1").inner_text() == "آذار/مارس 2021"
    page.get_by_role("link", name="الرئيسية").click()
    assert page.locator("h1").inner_text() == "أحدث المقالات"


def test_phone_width_has_no_horizontal_scroll(built: Path, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for rel in [
        "index.html",
        *sorted(p.relative_to(built).as_posix() for p in (built / "articles").glob("*.html")),
    ]:
        page.goto((built / rel).as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, rel
    context.close()


def test_the_site_menu_is_one_line_on_a_phone_whatever_page_is_current(
    built: Path, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    # Each page the menu names, where its own link is the current one (set in bold).
    for rel in ["index.html", "archive/index.html", "timeline/index.html", "people/index.html",
                "tags/index.html"]:  # fmt: skip
        page.goto((built / rel).as_uri())
        tops = page.eval_on_selector_all(
            ".site-nav li", "items => items.map(item => item.getBoundingClientRect().top)"
        )
        assert len(tops) == 5 and len(set(tops)) == 1, (rel, tops)
    context.close()


def test_dark_mode_changes_colours(built: Path, browser: Any) -> None:
    backgrounds = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto((built / "index.html").as_uri())
        backgrounds.append(page.evaluate("getComputedStyle(document.body).backgroundColor"))
        context.close()
    assert backgrounds[0] != backgrounds[1]
