"""`arshif new`: a new Markdown article with its front matter, never overwriting anything."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from support import Run

Runner = Callable[..., Run]
TITLE = "الحلف يعقد اجتماعا في بغداد"
SLUG = "الحلف-يعقد-اجتماعا-في-بغداد"


def test_new_writes_front_matter_with_a_slug_per_the_policy(site: Path, run: Runner) -> None:
    result = run("new", TITLE, "--source", "إيلاف", "--date", "2021-03-01", cwd=site)
    assert result.code == 0, result.err
    path = site / "articles" / f"{SLUG}.md"
    assert result.out == f"created articles/{SLUG}.md: write the article below its front matter\n"
    assert path.read_text("utf-8") == (
        f'---\ntitle: "{TITLE}"\ndate: 2021-03-01\nsource: "إيلاف"\ntags: []\nslug: {SLUG}\n---\n\n'
    )


def test_the_new_article_builds_once_it_has_text(site: Path, run: Runner) -> None:
    assert run("new", TITLE, cwd=site).code == 0
    path = site / "articles" / f"{SLUG}.md"
    assert f"date: {dt.date.today().isoformat()}\n" in path.read_text("utf-8")
    empty = run("build", cwd=site)
    assert empty.code == 1 and f"{SLUG}.md:8: article is empty" in empty.err
    path.write_text(path.read_text("utf-8") + "قال مسؤول في الحلف إن الاجتماع مهم.\n", "utf-8")
    assert run("build", cwd=site).code == 0
    page = site / "_site" / "articles" / f"{SLUG}.html"
    assert f"<h1>{TITLE}</h1>" in page.read_text("utf-8")


def test_new_refuses_to_overwrite(site: Path, run: Runner) -> None:
    assert run("new", TITLE, cwd=site).code == 0
    path = site / "articles" / f"{SLUG}.md"
    path.write_text(path.read_text("utf-8") + "نص كتبه المحرر.\n", "utf-8")
    before = path.read_bytes()
    result = run("new", TITLE, "--source", "المدى", cwd=site)
    assert result.code == 1
    assert f"articles/{SLUG}.md already exists; refusing to overwrite it" in result.err
    assert path.read_bytes() == before


def test_new_refuses_a_slug_already_published(site: Path, run: Runner) -> None:
    result = run("new", "الناتو يوسع مهامه وتصاعد العنف بالعراق", cwd=site)
    assert result.code == 1
    assert (
        "slug 'الناتو-يوسع-مهامه-وتصاعد-العنف-بالعراق' is already used by 003_dd8d8cd0ba8ee6f5.txt"
    ) in result.err
    other = run("new", "الناتو يوسع مهامه", "--slug", "nato-expands", cwd=site)
    assert other.code == 0
    assert (site / "articles" / "nato-expands.md").exists()


def test_new_follows_the_latin_policy(site: Path, run: Runner) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8") + "slugs:\n  policy: latin\n", "utf-8")
    assert run("new", "اجتماع الحلف", cwd=site).code == 0
    assert (site / "articles" / "ajtmaa-al-hlf.md").exists()


def test_new_rejects_a_bad_date_or_an_empty_title(site: Path, run: Runner) -> None:
    bad_date = run("new", TITLE, "--date", "2021-02-30", cwd=site)
    assert bad_date.code == 2
    assert "--date: not a real date" in bad_date.err
    assert run("new", "  ", cwd=site).code == 2
    assert not list((site / "articles").glob("*.md"))
