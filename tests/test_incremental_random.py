"""The cache never makes output differ from a clean build.

A seeded random editor adds, edits, renames and deletes articles, edits sidecars, templates,
the stylesheet, site.yaml and the gazetteer, and now and then saves something broken. After every step the
incremental build must either fail and leave the site untouched, or give exactly, byte for
byte, the folder a clean build of a fresh copy of the sources gives (with the slug lock, as a
clean checkout would have it).
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from support import Run, tree

Runner = Callable[..., Run]
STEPS = int(os.environ.get("ARSHIF_RANDOM_STEPS", "14"))

WORDS = ("الحلف", "العراق", "بغداد", "الناتو", "مهمة", "التدريب", "الحكومة", "البرلمان", "الأمن",
         "قوات", "اجتماع", "وزير", "الدفاع", "الحدود", "تعزيز", "بعثة", "الخارجية", "قرار")  # fmt: skip
CONFIG_EDITS = (
    ("per_page: 2", "per_page: 3"),
    ("months: both", "months: levantine"),
    ("title: أرشيف", "title: الأرشيف"),
)
# Entities the editor's words mention, taken out of the gazetteer and put back: every article
# is parsed again, and its entities, entity pages and related lists move.
GAZETTEER_EDITS = (
    ("  - {id: baghdad, name: بغداد, kind: place, latin: Baghdad}\n", "  # بغداد\n"),
    ("  - {id: iraq, name: العراق, kind: place, latin: Iraq}\n", "  # العراق\n"),
)
TEMPLATE_EDITS = (
    ("base.html", "</footer>", "<p>تذييل</p>\n</footer>"),
    ("_macros.html", "غير مؤرخ", "بلا تاريخ"),
    ("article.html", "للقراءة", "للقراءة تقريبا"),
    ("month.html", "› {{ year|num }}", "› {{ year|num }} ›"),
)


class Editor:
    """Random, plausible edits to a site's sources."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.articles = root / "articles"
        self.rng = random.Random(seed)
        self.count = 0

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))

    def paragraph(self) -> str:
        return self.words(8, 20) + "."

    def date(self) -> str:
        # Few months, so lists get several pages and neighbours shift often.
        return f"2021-{self.rng.randint(1, 3):02d}-{self.rng.randint(1, 28):02d}"

    def sources(self) -> list[Path]:
        return sorted(p for p in self.articles.iterdir() if p.suffix in (".md", ".txt"))

    # ------------------------------------------------------------ the edits
    def add_markdown(self) -> str:
        self.count += 1
        # Short titles from a small vocabulary: derived slugs collide now and then.
        title = self.words(1, 2)
        body = "\n\n".join(self.paragraph() for _ in range(self.rng.randint(1, 3)))
        tags = self.rng.sample(WORDS, self.rng.randint(0, 2))
        date = f"date: {self.date()}\n" if self.rng.random() < 0.9 else ""
        (self.articles / f"r{self.count}.md").write_text(
            f"---\ntitle: {title}\n{date}tags: [{', '.join(tags)}]\n---\n{body}\n", "utf-8"
        )
        return f"add r{self.count}.md «{title}»"

    def add_raw_text(self) -> str:
        self.count += 1
        headline = self.words(3, 6)
        body = "\n".join(self.paragraph() for _ in range(self.rng.randint(2, 4)))
        name = f"t{self.count}"
        (self.articles / f"{name}.txt").write_text(f"{headline}\n{body}\n", "utf-8")
        if self.rng.random() < 0.7:
            (self.articles / f"{name}.yaml").write_text(f"date: {self.date()}\n", "utf-8")
        return f"add {name}.txt"

    def edit_body(self) -> str:
        path = self.rng.choice(self.sources())
        text = path.read_text("utf-8")
        path.write_text(text.rstrip("\n") + "\n\n" + self.paragraph() + "\n", "utf-8")
        return f"edit body of {path.name}"

    def edit_title(self) -> str:
        markdown = [p for p in self.sources() if p.suffix == ".md"]
        if not markdown:
            return self.add_markdown()
        path = self.rng.choice(markdown)
        lines = path.read_text("utf-8").split("\n")
        lines = [f"title: {self.words(1, 3)}" if ln.startswith("title:") else ln for ln in lines]
        path.write_text("\n".join(lines), "utf-8")
        return f"retitle {path.name}"

    def edit_sidecar(self) -> str:
        raw = [p for p in self.sources() if p.suffix == ".txt"]
        if not raw:
            return self.add_raw_text()
        sidecar = self.rng.choice(raw).with_suffix(".yaml")
        if sidecar.exists() and self.rng.random() < 0.3:
            sidecar.unlink()
            return f"delete {sidecar.name}"
        sidecar.write_text(f"date: {self.date()}\nsource: {self.words(1, 2)}\n", "utf-8")
        return f"write {sidecar.name}"

    def delete(self) -> str:
        path = self.rng.choice(self.sources())
        path.unlink()
        path.with_suffix(".yaml").unlink(missing_ok=True)
        return f"delete {path.name}"

    def rename(self) -> str:
        path = self.rng.choice(self.sources())
        self.count += 1
        target = path.with_name(f"moved{self.count}{path.suffix}")
        path.rename(target)
        if path.with_suffix(".yaml").exists():
            path.with_suffix(".yaml").rename(target.with_suffix(".yaml"))
        return f"rename {path.name} → {target.name}"

    def edit_template(self) -> str:
        name, old, new = self.rng.choice(TEMPLATE_EDITS)
        path = self.root / "templates" / name
        text = path.read_text("utf-8")
        path.write_text(text.replace(old, new) if old in text else text.replace(new, old), "utf-8")
        return f"edit templates/{name}"

    def edit_static(self) -> str:
        path = self.root / "static" / "style.css"
        path.write_text(path.read_text("utf-8") + f"/* {self.count} */\n", "utf-8")
        return "edit static/style.css"

    def edit_config(self) -> str:
        old, new = self.rng.choice(CONFIG_EDITS)
        path = self.root / "site.yaml"
        text = path.read_text("utf-8")
        path.write_text(text.replace(old, new) if old in text else text.replace(new, old), "utf-8")
        return f"edit site.yaml ({old})"

    def edit_gazetteer(self) -> str:
        old, new = self.rng.choice(GAZETTEER_EDITS)
        path = self.root / "gazetteer.yaml"
        text = path.read_text("utf-8")
        assert old in text or new in text
        path.write_text(text.replace(old, new) if old in text else text.replace(new, old), "utf-8")
        return f"edit gazetteer.yaml ({new.strip()})"

    def break_something(self) -> Callable[[], None]:
        """Save a broken file; returns how to repair it."""
        if self.rng.random() < 0.5:
            path = self.articles / "broken.md"
            path.write_text("---\ntitle: [\n---\nنص.\n", "utf-8")
            return path.unlink
        path = self.root / "templates" / "article.html"
        good = path.read_text("utf-8")
        path.write_text(good + "{% endif %}", "utf-8")
        return lambda: path.write_text(good, "utf-8")


EDITS = (
    (Editor.add_markdown, 5), (Editor.add_raw_text, 3), (Editor.edit_body, 3),
    (Editor.edit_title, 2), (Editor.edit_sidecar, 2), (Editor.delete, 2), (Editor.rename, 1),
    (Editor.edit_template, 1), (Editor.edit_static, 1), (Editor.edit_config, 1),
    (Editor.edit_gazetteer, 1),
)  # fmt: skip


def clean_build(site: Path, run: Runner, scratch: Path) -> dict[str, bytes]:
    """A clean build of a fresh copy of the sources, as a new checkout would make it."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(site, scratch, ignore=shutil.ignore_patterns("_site", ".arshif-cache"))
    result = run("build", "--clean", cwd=scratch)
    assert result.code == 0, result.err
    return tree(scratch / "_site")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_builds_equal_clean_builds(
    seed: int, site: Path, run: Runner, tmp_path: Path
) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("per_page: 50", "per_page: 2"), "utf-8")
    editor = Editor(site, seed)
    assert run("build", cwd=site).code == 0
    history: list[str] = []
    for _ in range(STEPS):
        if editor.rng.random() < 0.1:
            before = tree(site / "_site")
            repair = editor.break_something()
            result = run("build", cwd=site)
            assert result.code == 1, history
            assert tree(site / "_site") == before, history
            repair()
            history.append("broken build, repaired")
        edits = [edit for edit, weight in EDITS for _ in range(weight)]
        if len(editor.sources()) < 3:
            edits = [Editor.add_markdown]
        history.append(editor.rng.choice(edits)(editor))
        result = run("build", cwd=site)
        assert result.code == 0, (history, result.err)
        assert tree(site / "_site") == clean_build(site, run, tmp_path / "clean"), history
