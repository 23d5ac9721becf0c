"""Slugs: the site's policy, the lock that keeps published addresses, collisions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from arshif.arabic import transliterate
from arshif.config import load_config
from arshif.errors import ArshifError
from arshif.parse import make_slug

from support import Run

Runner = Callable[..., Run]


def article(site: Path, name: str, title: str, extra: str = "") -> Path:
    path = site / "articles" / name
    path.write_text(f"---\ntitle: {title}\ndate: 2021-01-05\n{extra}---\nنص المقال.\n", "utf-8")
    return path


def pages(site: Path) -> set[str]:
    return {p.name for p in (site / "_site" / "articles").glob("*.html")}


def test_arabic_policy_keeps_letters_and_drops_tashkeel_tatweel_and_zwnj() -> None:
    assert make_slug("مُهِمَّة  النـــاتو\u200cفي العراق") == "مهمة-الناتوفي-العراق"


def test_latin_policy_spells_arabic_in_latin_letters() -> None:
    assert (
        make_slug("الناتو يرفع عدد قواته في العراق", "latin") == "al-natu-yrfa-add-quath-fi-al-araq"
    )
    assert make_slug("بغداد ٢٠٢١", "latin") == "bghdad-2021"
    assert transliterate("شخص") == "shkhs"


def test_slug_policy_is_checked_in_site_yaml(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("slugs:\n  policy: roman\n", "utf-8")
    with pytest.raises(ArshifError) as info:
        load_config(path)
    assert str(info.value) == f"{path}:2: slugs.policy: expected one of arabic, latin, got 'roman'"
    path.write_text("slugs:\n  polcy: latin\n", "utf-8")
    with pytest.raises(ArshifError, match=r"slugs\.polcy: unknown key \(did you mean 'policy'\?\)"):
        load_config(path)
    path.write_text("slugs:\n  policy: latin\n", "utf-8")
    assert load_config(path).slug_policy == "latin"


def test_a_latin_site_publishes_latin_addresses(site: Path, run: Runner) -> None:
    (site / "slugs.lock").unlink(missing_ok=True)  # a new site: nothing published yet
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8") + "slugs:\n  policy: latin\n", "utf-8")
    assert run(cwd=site).code == 0
    assert "al-natu-yrfa-add-quath-fi-al-araq-hta-4-alaf-shkhs.html" in pages(site)
    assert all(name.isascii() for name in pages(site))


def test_editing_a_title_keeps_the_published_address(site: Path, run: Runner) -> None:
    path = article(site, "a.md", "اجتماع الحلف")
    assert run(cwd=site).code == 0
    assert "اجتماع-الحلف.html" in pages(site)
    assert "a.md\tاجتماع-الحلف\n" in (site / "slugs.lock").read_text("utf-8")
    path.write_text(path.read_text("utf-8").replace("اجتماع الحلف", "اجتماع طارئ للحلف"), "utf-8")
    assert run(cwd=site).code == 0
    assert "اجتماع-الحلف.html" in pages(site)
    assert "اجتماع-طارئ-للحلف.html" not in pages(site)


def test_deleting_a_lock_line_lets_the_title_decide_again(site: Path, run: Runner) -> None:
    path = article(site, "a.md", "اجتماع الحلف")
    assert run(cwd=site).code == 0
    path.write_text(path.read_text("utf-8").replace("اجتماع الحلف", "اجتماع طارئ"), "utf-8")
    lock = site / "slugs.lock"
    lock.write_text("".join(ln for ln in lock.read_text("utf-8").splitlines(True)
                            if not ln.startswith("a.md\t")), "utf-8")  # fmt: skip
    assert run(cwd=site).code == 0
    assert "اجتماع-طارئ.html" in pages(site)


def test_changing_the_policy_keeps_every_published_address(site: Path, run: Runner) -> None:
    assert run(cwd=site).code == 0
    before = pages(site)
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8") + "slugs:\n  policy: latin\n", "utf-8")
    article(site, "new.md", "اجتماع الحلف")
    assert run(cwd=site).code == 0
    assert pages(site) == before | {"ajtmaa-al-hlf.html"}


def test_derived_slugs_that_collide_get_stable_suffixes_and_a_warning(
    site: Path, run: Runner
) -> None:
    for name in ("c.md", "a.md", "b.md"):
        article(site, name, "بيان الحلف")
    result = run(cwd=site)
    assert result.code == 0
    assert {"بيان-الحلف.html", "بيان-الحلف-2.html", "بيان-الحلف-3.html"} <= pages(site)
    lock = (site / "slugs.lock").read_text("utf-8")
    assert "a.md\tبيان-الحلف\nb.md\tبيان-الحلف-2\nc.md\tبيان-الحلف-3\n" in lock
    assert (
        "warning: b.md:1: slug 'بيان-الحلف' is already used by a.md; this article is published "
        "as 'بيان-الحلف-2' (give it a 'slug:' of its own)"
    ) in result.err
    # a.md goes away: b and c keep the addresses they were published under.
    (site / "articles" / "a.md").unlink()
    assert run(cwd=site).code == 0
    assert {"بيان-الحلف-2.html", "بيان-الحلف-3.html"} <= pages(site)
    assert "بيان-الحلف.html" not in pages(site)


def test_an_explicit_slug_wins_over_a_derived_one_not_yet_published(
    site: Path, run: Runner
) -> None:
    article(site, "a.md", "بيان الحلف")
    article(site, "b.md", "عنوان آخر", "slug: بيان-الحلف\n")
    result = run(cwd=site)
    assert result.code == 0
    assert "a.md:1: slug 'بيان-الحلف' is already used by b.md" in result.err
    assert "a.md\tبيان-الحلف-2\n" in (site / "slugs.lock").read_text("utf-8")


def test_two_explicit_slugs_that_collide_are_an_error(site: Path, run: Runner) -> None:
    article(site, "a.md", "أ", "slug: بيان\n")
    article(site, "b.md", "ب", "slug: بيان\n")
    result = run(cwd=site)
    assert result.code == 1
    assert "error: b.md:4: duplicate slug 'بيان': a.md already uses it" in result.err


def test_a_broken_lock_names_its_line(site: Path, run: Runner) -> None:
    (site / "slugs.lock").write_text("# header\na.md\tok\nno tab here\n", "utf-8")
    result = run(cwd=site)
    assert result.code == 1
    assert "slugs.lock:3: expected 'SOURCE<TAB>SLUG', got 'no tab here'" in result.err
