"""`arshif check`: every planted problem in tests/sites/check/ is reported, nothing is written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from support import Run

Runner = Callable[..., Run]
CHECK_SITE = Path(__file__).parent / "sites" / "check"

EXPECTED = [
    "articles/broken.md:3: error: invalid YAML: did not find expected ',' or ']'",
    "articles/dup-b.md:5: error: duplicate slug 'duplicate': dup-a.md already uses it"
    " (give one of them a 'slug:' of its own)",
    "articles/links.md:6: error: link 'missing-article.html' points at a page the site will"
    " not have",
    "articles/links.md:8: error: link 'good.md' points at a source file, not a page"
    " (link to its page: الحلف-يعقد-اجتماعا-في-بغداد.html)",
    "articles/no-source.md:5: warning: no source: the outlet that published it is unknown"
    " (add 'source:')",
    "articles/no-title.md:5: warning: no title: using the start of the lede («بحث رئيس الوزراء"
    " مع قائد بعثة الحلف سبل تعزيز التعاون في مجالات…») (add 'title:')",
    "articles/reprint.md:6: warning: near-duplicate of good.md: 2 of its 2 paragraphs appear"
    " there too (delete one, or mark one 'draft: true')",
    "articles/same-title-b.md:1: warning: slug 'مؤتمر-صحفي-للحلف' is already used by"
    " same-title-a.md; this article is published as 'مؤتمر-صحفي-للحلف-2'"
    " (give it a 'slug:' of its own)",
    "articles/typo.md:5: warning: unknown key 'tgas' ignored (did you mean 'tags'?)",
    "articles/undated.txt:1: warning: undated: no date in metadata, file name or text"
    " (add 'date:' to its front matter or sidecar)",
    "check: 4 error(s), 6 warning(s)",
]


@pytest.fixture
def check_site(tmp_path: Path) -> Path:
    root = tmp_path / "check"
    shutil.copytree(CHECK_SITE, root)
    return root


def test_check_reports_each_planted_problem_and_exits_1(check_site: Path, run: Runner) -> None:
    result = run("check", cwd=check_site)
    assert result.code == 1
    assert result.out.splitlines() == EXPECTED
    assert "Traceback" not in result.err


def test_check_writes_no_site_and_no_slug_lock(check_site: Path, run: Runner) -> None:
    run("check", cwd=check_site)
    assert not (check_site / "_site").exists()
    assert not (check_site / "slugs.lock").exists()
    assert sorted(p.name for p in (check_site / "articles").iterdir()) == sorted(
        p.name for p in (CHECK_SITE / "articles").iterdir()
    )


def test_quiet_check_prints_errors_only(check_site: Path, run: Runner) -> None:
    result = run("check", "--quiet", cwd=check_site)
    assert result.code == 1
    assert result.out.splitlines() == [line for line in EXPECTED if ": error: " in line]


def test_warnings_alone_exit_0(site: Path, run: Runner) -> None:
    result = run("check", cwd=site)
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1] == "check: 0 error(s), 6 warning(s)"
    assert ": error: " not in result.out


def test_fixing_the_errors_makes_check_pass(check_site: Path, run: Runner) -> None:
    articles = check_site / "articles"
    for name in ("broken.md", "dup-b.md", "links.md"):
        (articles / name).unlink()
    result = run("check", "--articles", str(articles), cwd=check_site)
    assert result.code == 0
    assert result.out.splitlines()[-1] == "check: 0 error(s), 6 warning(s)"


def test_a_bad_setting_is_reported_in_the_same_form(check_site: Path, run: Runner) -> None:
    (check_site / "site.yaml").write_text("title: x\nslugs:\n  policy: roman\n", "utf-8")
    result = run("check", cwd=check_site)
    assert result.code == 1
    assert (
        result.out
        == "site.yaml:3: error: slugs.policy: expected one of arabic, latin, got 'roman'\n"
    )


PARAGRAPHS = [
    "أعلن الأمين العام لحلف شمال الأطلسي أن الحلف سيزيد عدد أفراد بعثته في العراق إلى أربعة"
    " آلاف عنصر خلال الأشهر المقبلة بطلب من الحكومة العراقية.",
    "وقال في مؤتمر صحفي عقده في بروكسل إن البعثة ستواصل تدريب القوات العراقية وتقديم المشورة"
    " لوزارة الدفاع ومؤسسات الأمن الوطني.",
    "وأضاف أن القرار اتخذه وزراء دفاع الدول الأعضاء بعد مشاورات استمرت أسابيع مع بغداد وشركاء"
    " التحالف الدولي.",
]
OWN = [
    "ناقش البرلمان العراقي في جلسته الأسبوعية مشروع قانون الموازنة العامة للعام المقبل وسط"
    " خلافات بين الكتل السياسية.",
    "وطالب نواب بزيادة مخصصات المحافظات الجنوبية وتحسين الخدمات الأساسية قبل فصل الصيف.",
    "ودعت اللجنة المالية إلى جلسة طارئة الأسبوع المقبل لحسم النقاط العالقة في المشروع.",
]


def test_an_edited_copy_is_a_near_duplicate_and_a_quotation_is_not(
    tmp_path: Path, run: Runner
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()

    def write(name: str, date: str, paragraphs: list[str]) -> None:
        front = f"---\ntitle: خبر {name}\ndate: {date}\nsource: المدى\n---\n"
        (articles / f"{name}.md").write_text(front + "\n\n".join(paragraphs) + "\n", "utf-8")

    write("original", "2021-03-01", PARAGRAPHS)
    # Retyped with a word changed in every paragraph: no paragraph is the same text any more.
    write("edited", "2021-03-02", [p.replace("في ", "داخل ", 1) for p in PARAGRAPHS])
    write("quotes", "2021-03-03", [PARAGRAPHS[0], *OWN])  # one paragraph of four
    result = run("check", "--articles", str(articles), cwd=tmp_path)
    near = [line for line in result.out.splitlines() if "near-duplicate" in line]
    assert near == [
        "articles/original.md:6: warning: near-duplicate of edited.md: 3 of its 3 paragraphs"
        " appear there too (delete one, or mark one 'draft: true')"
    ]
