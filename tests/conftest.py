"""Shared fixtures: the shipped gazetteer and the five seed articles as crude paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from arshif.gazetteer import Gazetteer, load_gazetteer

REPO = Path(__file__).parents[1]
ARTICLES = REPO / "articles"
if not ARTICLES.is_dir():  # a checkout without the seeds falls back to the shared copies
    ARTICLES = REPO.parent / "shared" / "seeds"


def seed_paragraphs(number: str) -> list[str]:
    """Every non-empty line of seed `number` ("000".."004"): furniture and all.

    The real parser drops breadcrumbs and furniture later; extraction must cope without it.
    """
    (path,) = ARTICLES.glob(f"{number}_*.txt")
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


SEEDS = ("000", "001", "002", "003", "004")


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer(REPO / "gazetteer.yaml")
