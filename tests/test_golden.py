"""Golden pages: whole rendered pages compared byte for byte with tests/golden/.

After an intended change to templates or parsing, run `pytest --update-golden` and review
the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
PAGES = {
    "home.html": "index.html",
    "archive.html": "archive/index.html",
    "month-2021-02.html": "archive/2021-02.html",
    "article-000.html": "articles/الناتو-يرفع-عدد-قواته-في-العراق-حتى-٤-آلاف-شخص.html",
    "article-004.html": "articles/دعا-العراق-الثلاثاء-حلف-الناتو-الى-دعم-قواته-لحفظ-أمن-الحدود.html",
    # Terms late in their groupings' order, after others with feeds: what one term's
    # pages are planned with must not leak into the next's.
    "person-stoltenberg.html": "people/stoltenberg/index.html",
    "tag-training.html": "tags/مهمة-التدريب/index.html",
    "tag-training-feed.xml": "tags/مهمة-التدريب/feed.xml",
}


@pytest.mark.parametrize("golden", sorted(PAGES))
def test_rendered_page_matches_golden(
    golden: str, built: Path, request: pytest.FixtureRequest
) -> None:
    actual = (built / PAGES[golden]).read_text("utf-8")
    expected_path = GOLDEN / golden
    if request.config.getoption("--update-golden"):
        expected_path.write_text(actual, "utf-8")
    assert expected_path.exists(), f"{expected_path} missing: run pytest --update-golden"
    assert actual == expected_path.read_text("utf-8")
