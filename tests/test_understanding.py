"""What the built archive understands about the seeds: entity pages, shared text, figures,
timeline, related articles and the build report."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from support import Run

Runner = Callable[..., Run]
SEED_TITLES = {
    "000": "الناتو يرفع عدد قواته في العراق حتى ٤ آلاف شخص",
    "001": "كشف الأمين العام لحلف شمال الأطلسي، ينس ستولتنبرج، عن قرب مناقشة زيادة…",
    "002": "أكد الأمين العام لحلف الناتو يانس ستولتنبرغ، ووزير خارجية العراق فؤاد حسين…",
    "003": "الناتو يوسع مهامه..وتصاعد العنف بالعراق",
    "004": "دعا العراق الثلاثاء حلف الناتو الى دعم قواته لحفظ أمن الحدود…",
}


def listed_seeds(page: Path) -> set[str]:
    titles = re.findall(
        r'class="article-item-title"><a href="[^"]+">([^<]+)</a>', page.read_text("utf-8")
    )
    by_title = {title: seed for seed, title in SEED_TITLES.items()}
    return {by_title[t] for t in titles}


def test_entity_pages_list_exactly_the_articles_naming_them(built: Path) -> None:
    assert listed_seeds(built / "people" / "stoltenberg" / "index.html") == {
        "000",
        "001",
        "002",
        "003",
    }
    assert listed_seeds(built / "people" / "al-araji" / "index.html") == {"002", "004"}
    assert listed_seeds(built / "people" / "al-kadhimi" / "index.html") == {"000", "003"}


def test_entity_page_shows_mention_counts_newest_first(built: Path) -> None:
    html = (built / "people" / "stoltenberg" / "index.html").read_text("utf-8")
    dates = re.findall(r'<time datetime="([\d-]+)"', html)
    assert dates == sorted(dates, reverse=True)
    assert "ذُكر" in html
    assert 'lang="en" dir="ltr">Jens Stoltenberg</span>' in html


def test_entity_index_pages_per_kind(built: Path) -> None:
    for kind in ("people", "places", "organisations"):
        assert (built / kind / "index.html").exists()
    places = (built / "places" / "index.html").read_text("utf-8")
    assert ">بغداد</a>" in places


def test_article_links_its_entities(built: Path) -> None:
    page = next((built / "articles").glob("الناتو-يرفع*.html")).read_text("utf-8")
    assert 'href="../people/stoltenberg/index.html">ينس ستولتنبرغ</a>' in page
    assert 'href="../people/al-kadhimi/index.html">' in page


def test_000_links_003_as_sharing_text_and_back(built: Path) -> None:
    page_000 = next((built / "articles").glob("الناتو-يرفع*.html")).read_text("utf-8")
    page_003 = next((built / "articles").glob("الناتو-يوسع*.html")).read_text("utf-8")
    assert "نُشر جزء من هذا النص أيضاً في" in page_000
    shared = page_000.split('class="shared-text"')[1].split("</aside>")[0]
    assert 'href="الناتو-يوسع-مهامه-وتصاعد-العنف-بالعراق.html"' in shared
    assert (
        'href="الناتو-يرفع-عدد-قواته-في-العراق-حتى-٤-آلاف-شخص.html"'
        in page_003.split('class="shared-text"')[1]
    )


def test_key_figures_are_shown_on_the_article_page(built: Path) -> None:
    page = next((built / "articles").glob("الناتو-يرفع*.html")).read_text("utf-8")
    figures = page.split('id="figures-heading"')[1].split("</section>")[0]
    assert "<strong>4000</strong> شخص" in figures
    assert "<strong>8</strong> أضعاف" in figures
    assert "<strong>500–4000</strong>" in figures


def test_timeline_has_a_chart_with_a_text_alternative(built: Path) -> None:
    html = (built / "timeline" / "index.html").read_text("utf-8")
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in html
    assert html.count('class="bar"') == 36  # Feb 2020 to Jan 2023, months without news at zero
    assert '<th scope="row">كانون الثاني/يناير 2023</th><td>1</td>' in html
    year = (built / "timeline" / "2021.html").read_text("utf-8")
    assert "<strong>4000</strong> شخص" in year


def test_related_articles_are_listed(built: Path) -> None:
    page = next((built / "articles").glob("الناتو-يرفع*.html")).read_text("utf-8")
    related = page.split('id="related-heading"')[1].split("</section>")[0]
    assert related.count("<li>") >= 3


def test_rule_tags_and_cited_agencies(built: Path) -> None:
    assert (built / "tags" / "مهمة-التدريب" / "index.html").exists()
    page_003 = next((built / "articles").glob("الناتو-يوسع*.html")).read_text("utf-8")
    assert "نقلاً عن: رويترز" in page_003


def test_build_report_lists_unknown_names_and_shared_passages(site: Path, run: Runner) -> None:
    result = run("build", "-v", cwd=site)
    assert result.code == 0
    assert "note: candidate name «آن ليندي» in 003_dd8d8cd0ba8ee6f5.txt" in result.err
    assert re.search(
        r"note: shared passage «وتقدم مهمة حلف الأطلسي.*» in 000_437a9470a1c05b89.txt, 003_dd8d8cd0ba8ee6f5.txt",
        result.err,
    )
