"""Planning pages: relative links and pagination."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arshif.pages import Page, paginate


@pytest.mark.parametrize(
    ("here", "target", "link"),
    [
        ("index.html", "articles/a.html", "articles/a.html"),
        ("articles/a.html", "articles/b.html", "b.html"),
        ("articles/a.html", "index.html", "../index.html"),
        ("tags/x/index.html", "tags/index.html", "../index.html"),
        ("tags/x/index.html", "tags/y/index.html", "../y/index.html"),
        ("tags/x/index.html", "static/style.css", "../../static/style.css"),
        ("archive/index.html", "archive/2021-02.html#top", "2021-02.html#top"),
        ("a.html", "#x", "#x"),
    ],
)
def test_links_are_relative_to_the_page(here: str, target: str, link: str) -> None:
    assert Page(here, None).rel(target) == link


SEGMENT = st.text(alphabet="abcالنتو-", min_size=1, max_size=4)


@given(
    here=st.lists(SEGMENT, min_size=1, max_size=4), there=st.lists(SEGMENT, min_size=1, max_size=4)
)
def test_rel_always_resolves_back_to_its_target(here: list[str], there: list[str]) -> None:
    page = Page("/".join(here), None)
    target = "/".join(there)
    link = page.rel(target)
    assert not link.startswith("/")
    assert posixpath.normpath(posixpath.join(posixpath.dirname(page.url), link)) == target


def test_paginate_gives_one_page_for_an_empty_list() -> None:
    pages = list(paginate([], 10, "x.html"))
    assert [(url, list(chunk)) for url, chunk, _ in pages] == [("x.html", [])]
