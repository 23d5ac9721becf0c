"""site.yaml: validated once, errors naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from arshif.config import load_config
from arshif.errors import ArshifError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_repository_config_is_valid() -> None:
    config = load_config(Path(__file__).resolve().parents[1] / "site.yaml")
    assert config.title
    assert config.output_dir.name == "_site"


def test_empty_config_gives_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.month_style == "both"
    assert config.articles_dir == tmp_path / "articles"


def test_unknown_key_names_line_and_suggests(tmp_path: Path) -> None:
    path = write(tmp_path, "title: أرشيف\ntitel: x\n")
    with pytest.raises(ArshifError) as info:
        load_config(path)
    assert str(info.value) == f"{path}:2: titel: unknown key (did you mean 'title'?)"


def test_unknown_nested_key(tmp_path: Path) -> None:
    path = write(tmp_path, "dates:\n  month: levantine\n")
    with pytest.raises(ArshifError) as info:
        load_config(path)
    assert str(info.value) == f"{path}:2: dates.month: unknown key (did you mean 'months'?)"


def test_bad_values_are_all_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "dates:\n  months: roman\nhome:\n  latest: 0\nbase_url: example.org\n")
    with pytest.raises(ArshifError) as info:
        load_config(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert any(line.startswith(f"{path}:2: dates.months: expected one of both,") for line in lines)
    assert any(line.startswith(f"{path}:4: home.latest:") for line in lines)
    assert any(line.startswith(f"{path}:5: base_url:") for line in lines)


def test_broken_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "title: [unclosed\n")
    with pytest.raises(ArshifError, match=r"site.yaml:1: invalid YAML"):
        load_config(path)
