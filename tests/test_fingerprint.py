"""Fingerprint encoding: the fast paths write exactly what the general walk writes."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from arshif.fingerprint import encode
from arshif.model import Article


def reference(value: Any) -> str:
    """The encoding as the module documents it, one rule per kind, no shortcuts."""
    if isinstance(value, str):
        return f"s{len(value)}:{value}"
    if isinstance(value, Article):
        return f"A{len(value.slug)}:{value.slug}{len(value.src)}:{value.src}{value.digest};"
    if value is None or isinstance(value, bool):
        return f"{value};"
    if isinstance(value, int | float):
        return f"n{value!r};"
    if isinstance(value, tuple | list):
        return "(" + "".join(map(reference, value)) + ")"
    assert isinstance(value, dict)
    return "{" + "".join(reference(k) + reference(v) for k, v in value.items()) + "}"


ARTICLES = st.builds(
    Article, slug=st.text(min_size=1, max_size=5), title=st.just("t"),
    src=st.text(min_size=1, max_size=5), digest=st.text(min_size=1, max_size=5),
)  # fmt: skip
LEAVES = st.one_of(st.text(max_size=5), st.integers(), st.booleans(), st.none(), st.floats(
    allow_nan=False), ARTICLES)  # fmt: skip
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.tuples(st.text(max_size=3), st.text(max_size=3)),  # (name, url) pairs
        st.tuples(st.text(max_size=3), inner),
        st.dictionaries(st.one_of(st.text(max_size=3), st.integers()), inner, max_size=4),
    ),
    max_leaves=20,
)


@given(VALUES)
def test_encoding_follows_the_documented_rules(value: Any) -> None:
    assert encode(value) == reference(value)


def test_a_pair_of_strings_and_a_string_are_told_apart() -> None:
    assert encode(("ab",)) != encode("ab")
    assert encode((("a", "b"),)) != encode(("a", "b"))
