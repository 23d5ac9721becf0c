"""The whole build from the command line: output, exit codes, errors, safety, determinism."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from support import Run

Runner = Callable[..., Run]


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.html_attrs: dict[str, str | None] = {}
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.html_attrs = dict(attrs)
        if tag == "h1":
            self._in_h1 = True
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1.append(data)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text("utf-8"))
    return parser


def test_default_build_prints_one_summary_line(site: Path, run: Runner) -> None:
    result = run(cwd=site)
    assert result.code == 0, result.err
    assert re.fullmatch(
        r"built 5 articles, \d+ pages \(.*\) in \d+\.\d\d s; search index \d+ KiB in \d+ shards → _site\n",
        result.out,
    )
    assert (site / "_site" / "index.html").exists()


def test_home_lists_the_five_articles_newest_first_with_their_dates(built: Path) -> None:
    html = (built / "index.html").read_text("utf-8")
    dates = re.findall(r'<time datetime="([\d-]+)">([^<]+)</time>', html)
    assert dates == [
        ("2023-01-24", "24 كانون الثاني/يناير 2023"),
        ("2021-03-10", "10 آذار/مارس 2021"),
        ("2021-02-18", "18 شباط/فبراير 2021"),
        ("2021-02-16", "16 شباط/فبراير 2021"),
        ("2020-02-11", "11 شباط/فبراير 2020"),
    ]


def test_headlines_are_the_titles_of_000_and_003(built: Path) -> None:
    titles = {"".join(parse(p).h1) for p in (built / "articles").glob("*.html")}
    assert "الناتو يرفع عدد قواته في العراق حتى ٤ آلاف شخص" in titles
    assert "الناتو يوسع مهامه..وتصاعد العنف بالعراق" in titles


def test_furniture_appears_on_no_page(built: Path) -> None:
    for page in built.rglob("*.html"):
        text = page.read_text("utf-8")
        for line in ("وردنا", "يقرأون الآن", "التعليقات"):
            assert line not in text, (page, line)


def test_every_page_is_rtl_arabic_and_every_link_is_relative_and_resolves(built: Path) -> None:
    assert len(list(built.rglob("*.html"))) >= 12
    assert_rtl_and_links_resolve(built)


def assert_rtl_and_links_resolve(built: Path) -> None:
    for page in built.rglob("*.html"):
        parsed = parse(page)
        assert parsed.html_attrs.get("lang") == "ar"
        assert parsed.html_attrs.get("dir") == "rtl"
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#"):
                continue
            assert not link.startswith("/"), (page, link)
            assert not parts.path.endswith("/"), (page, link)  # file:// would show a listing
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), (page, link)
            assert built.resolve() in target.parents


def test_a_term_s_long_year_becomes_its_months_and_every_link_resolves(
    site: Path, run: Runner
) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("per_page: 50", "per_page: 1"), "utf-8")
    assert run("build", cwd=site).code == 0
    built = site / "_site"
    years = sorted(built.glob("*/*/20[0-9][0-9].html"))
    months = sorted(built.glob("*/*/20[0-9][0-9]-[0-9][0-9].html"))
    assert months, "a seed term has two articles in one year: its year is cut into months"
    month = months[0]
    year = month.with_name(month.name[:4] + ".html")
    assert year in years
    year_html = year.read_text("utf-8")
    assert "حسب الشهر" in year_html and f'href="{month.name}"' in year_html
    month_html = month.read_text("utf-8")
    assert f'href="{year.name}"' in month_html  # breadcrumb and «كل أشهر …» back to the year
    assert_rtl_and_links_resolve(built)


def test_build_is_deterministic(site: Path, run: Runner, tmp_path: Path) -> None:
    assert run("build", "--out", str(tmp_path / "a"), cwd=site).code == 0
    assert run("build", "--out", str(tmp_path / "b"), cwd=site).code == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_article_page_shows_date_source_dateline_and_neighbours(built: Path) -> None:
    page = next(p for p in (built / "articles").glob("*.html") if "دعا-العراق" in p.name)
    html = page.read_text("utf-8")
    assert '<time datetime="2023-01-24">24 كانون الثاني/يناير 2023</time>' in html
    assert ">إيلاف</a>" in html
    assert '<span class="dateline">لندن</span>' in html
    assert "<h2>مهمة غير قتالية</h2>" in html
    assert 'rel="prev"' in html and 'rel="next"' not in html  # newest article


def test_archive_has_month_pages(built: Path) -> None:
    assert (built / "archive" / "2021-02.html").exists()
    html = (built / "archive" / "2021-02.html").read_text("utf-8")
    assert "شباط/فبراير 2021" in html
    assert html.count('class="article-item"') == 2


def test_month_and_digit_styles_come_from_site_yaml(site: Path, run: Runner) -> None:
    config = (site / "site.yaml").read_text("utf-8")
    config = config.replace("months: both", "months: levantine").replace(
        "digits: western", "digits: arabic-indic"
    )
    (site / "site.yaml").write_text(config, "utf-8")
    assert run(cwd=site).code == 0
    html = (site / "_site" / "index.html").read_text("utf-8")
    assert '<time datetime="2021-03-10">١٠ آذار ٢٠٢١</time>' in html


# ---------------------------------------------------------------- errors
def _first_build(site: Path, run: Runner) -> dict[str, str]:
    assert run(cwd=site).code == 0
    return tree(site / "_site")


BAD_INPUTS = {
    "broken-front-matter": ("x.md", b"---\ntitle: [a\n---\n\xd9\x86\xd8\xb5.\n", r"x\.md:2: invalid YAML"),
    "unclosed-front-matter": ("x.md", b"---\ntitle: a\n", r"x\.md:1: front matter is not closed"),
    "broken-sidecar": ("000_437a9470a1c05b89.yaml", b"date: [2021\n", r"000_437a9470a1c05b89\.yaml:1: invalid YAML"),
    "bad-date": ("y.md", b"---\ndate: 2021-02-30\n---\ntext.\n", r"y\.md:2: date: not a real date"),
    "undecodable": ("z.txt", b"title\n\xd9\x86 \xff\xfa\xfb", r"z\.txt:2: cannot decode byte 0xff"),
    "empty": ("e.txt", b"", r"e\.txt:1: article is empty"),
    "duplicate-slug": ("d.md", "---\nslug: الناتو-يوسع-مهامه-وتصاعد-العنف-بالعراق\n---\nنص.\n".encode(),
                       r"d\.md:2: duplicate slug 'الناتو-يوسع-مهامه-وتصاعد-العنف-بالعراق': 003_dd8d8cd0ba8ee6f5\.txt already uses it"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_names_the_file_exits_1_and_keeps_the_old_site(
    case: str, site: Path, run: Runner
) -> None:
    before = _first_build(site, run)
    name, data, message = BAD_INPUTS[case]
    (site / "articles" / name).write_bytes(data)
    result = run(cwd=site)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.err
    assert re.search(message, errors[0]), errors[0]
    assert "Traceback" not in result.err
    assert tree(site / "_site") == before


def test_all_errors_are_listed_together(site: Path, run: Runner) -> None:
    (site / "articles" / "a.txt").write_bytes(b"")
    (site / "articles" / "b.md").write_bytes(b"---\ntitle: [\n---\n")
    result = run(cwd=site)
    assert result.code == 1
    assert result.err.count("error: ") == 2


def test_bad_config_exits_1_naming_the_key(site: Path, run: Runner) -> None:
    (site / "site.yaml").write_text("title: x\nlists:\n  per_pge: 3\n", "utf-8")
    result = run(cwd=site)
    assert result.code == 1
    assert "site.yaml:3: lists.per_pge: unknown key (did you mean 'per_page'?)" in result.err


def test_bad_usage_exits_2(site: Path, run: Runner) -> None:
    assert run("build", "--no-such-flag", cwd=site).code == 2
    assert run("frobnicate", cwd=site).code == 2


def test_output_folder_may_not_swallow_the_sources(site: Path, run: Runner) -> None:
    result = run("build", "--out", str(site), cwd=site)
    assert result.code == 1
    assert "contains" in result.err
    assert (site / "articles").is_dir()


def test_a_foreign_folder_is_never_replaced(site: Path, run: Runner, tmp_path: Path) -> None:
    foreign = tmp_path / "precious"
    foreign.mkdir()
    (foreign / "thesis.docx").write_bytes(b"years of work")
    result = run("build", "--out", str(foreign), cwd=site)
    assert result.code == 1
    assert (foreign / "thesis.docx").read_bytes() == b"years of work"


def test_article_text_cannot_inject_markup(site: Path, run: Runner) -> None:
    (site / "articles" / "x.md").write_text(
        "---\ntitle: '<script>alert(1)</script>'\ndate: 2021-01-01\n---\n"
        "<script>alert(2)</script>\n\n[click](javascript:alert(3)) <img src=x onerror=alert(4)>\n",
        "utf-8",
    )
    (site / "articles" / "y.txt").write_text(
        "<b onmouseover=alert(5)>عنوان</b>\nقال <script>alert(6)</script> الحلف.\n", "utf-8"
    )
    assert run(cwd=site).code == 0
    for page in (site / "_site").rglob("*.html"):
        html = page.read_text("utf-8")
        assert "<script>alert" not in html
        assert "javascript:" not in html
        assert "<img src=x" not in html
        assert "<b onmouseover" not in html


def test_drafts_are_not_published(site: Path, run: Runner) -> None:
    (site / "articles" / "d.md").write_text("---\ntitle: مسودة\ndraft: true\n---\nنص.\n", "utf-8")
    result = run(cwd=site)
    assert result.code == 0
    assert "built 5 articles" in result.out


def test_unknown_front_matter_key_warns_with_a_suggestion(site: Path, run: Runner) -> None:
    (site / "articles" / "d.md").write_text("---\ntitel: مسودة\n---\nنص قصير.\n", "utf-8")
    result = run(cwd=site)
    assert result.code == 0
    assert "d.md:2: unknown key 'titel' ignored (did you mean 'title'?)" in result.err


def test_undated_articles_are_reported_not_guessed(site: Path, run: Runner) -> None:
    (site / "articles" / "001_553214357b96c051.yaml").unlink()
    result = run(cwd=site)
    assert result.code == 0
    assert "001_553214357b96c051.txt: undated" in result.err
    assert (site / "_site" / "archive" / "undated.html").exists()


def test_outlets_and_sections_get_pages_linked_from_articles(built: Path) -> None:
    source_page = built / "sources" / "إيلاف" / "index.html"
    assert source_page.exists()
    assert source_page.read_text("utf-8").count('class="article-item"') == 1
    assert (built / "sections" / "دولي-العراق" / "index.html").exists()
    article = next(p for p in (built / "articles").glob("*.html") if "دعا-العراق" in p.name)
    assert 'href="../sources/إيلاف/index.html"' in article.read_text("utf-8")


def test_tags_from_front_matter_get_pages_and_feeds(site: Path, run: Runner) -> None:
    (site / "articles" / "t.md").write_text(
        "---\ntitle: خبر\ndate: 2021-05-01\ntags: [مهمة التدريب, بغداد]\n---\nنص الخبر.\n", "utf-8"
    )
    assert run(cwd=site).code == 0
    out = site / "_site"
    assert (out / "tags" / "مهمة-التدريب" / "index.html").exists()
    assert (out / "tags" / "مهمة-التدريب" / "feed.xml").exists()
    index = (out / "tags" / "index.html").read_text("utf-8")
    assert 'href="مهمة-التدريب/index.html">مهمة التدريب</a>' in index
