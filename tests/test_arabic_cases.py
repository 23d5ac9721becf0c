"""The shared Arabic matching cases, run against Python here and against the JS through Node.

tests/data/arabic_cases.json is the contract between arshif/arabic.py (with the matching rule
in arshif/search.py) and static/arabic.js (with static/search.js): one table, both sides.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from arshif.arabic import clitic_forms, normalize, words
from arshif.search import text_matches

from search_support import REPO, node_or_skip

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "arabic_cases.json").read_text(encoding="utf-8")
)["cases"]


def run_case(case: dict[str, Any]) -> object:
    check = case["check"]
    if check == "normalize":
        return normalize(case["input"])
    if check == "words":
        return words(case["input"])
    if check == "clitic_forms":
        return list(clitic_forms(case["input"]))
    if check == "matches":
        return text_matches(case["query"], case["text"], case.get("synonyms", {}))
    raise AssertionError(f"unknown check {check!r} in case {case['name']!r}")


def test_table_covers_every_check_with_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    assert {case["check"] for case in CASES} == {"normalize", "words", "clitic_forms", "matches"}
    assert len({case["name"] for case in CASES}) == len(CASES), "case names must be unique"


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_python_agrees_with_shared_case(case: dict[str, Any]) -> None:
    assert run_case(case) == case["expect"]


def test_javascript_agrees_with_shared_cases_and_its_unit_tests() -> None:
    node = node_or_skip()
    tests = sorted(str(path) for path in (REPO / "tests" / "js").glob("*.test.js"))
    result = subprocess.run(
        [node, "--test", *tests], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
