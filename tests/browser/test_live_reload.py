"""A reader previewing with `arshif serve` sees edits and build errors without reloading."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import Served

pytestmark = pytest.mark.browser
ARTICLE = "articles/الناتو-يوسع-مهامه-وتصاعد-العنف-بالعراق.html"


@pytest.fixture
def served(site: Path) -> Iterator[Served]:
    server = Served(site)
    yield server
    assert server.stop() == 0, server.stderr()


def test_editing_an_article_reloads_the_open_page(served: Served, page: Any) -> None:
    page.goto(served.url + ARTICLE)
    heading = page.locator("h1")
    assert heading.inner_text() == "الناتو يوسع مهامه..وتصاعد العنف بالعراق"
    page.evaluate("window.notReloaded = true")
    source = served.site / "articles" / "003_dd8d8cd0ba8ee6f5.txt"
    text = source.read_text("utf-8")
    source.write_text(text.replace("الناتو يوسع مهامه", "الحلف يوسع مهامه", 1), "utf-8")
    page.wait_for_function(
        "document.querySelector('h1').innerText.startsWith('الحلف يوسع مهامه')", timeout=20_000
    )
    assert page.evaluate("window.notReloaded") is None  # a real reload, not a DOM patch
    assert heading.inner_text() == "الحلف يوسع مهامه..وتصاعد العنف بالعراق"


def test_a_build_error_shows_over_the_page_until_it_is_fixed(served: Served, page: Any) -> None:
    page.goto(served.url + "index.html")
    broken = served.site / "articles" / "bad.md"
    broken.write_text("---\ntitle: [<b>عنوان\n---\nنص.\n", "utf-8")
    overlay = page.locator("#arshif-errors")
    overlay.wait_for(state="visible", timeout=20_000)
    assert "articles/bad.md:2: invalid YAML" in overlay.inner_text()
    assert page.locator("#arshif-errors b").count() == 0  # shown as text, never as markup
    assert page.locator("h1").inner_text() == "أحدث المقالات"  # the last good site
    broken.unlink()
    overlay.wait_for(state="detached", timeout=20_000)
