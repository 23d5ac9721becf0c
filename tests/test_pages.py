"""Pagination: numbered from the oldest items, so archive pages keep their URL and content."""

from __future__ import annotations

from arshif.pages import paginate


def pages_of(items: list[int], per_page: int) -> list[tuple[str, list[int], int, int]]:
    return [
        (url, list(chunk), pager.number, pager.count)
        for url, chunk, pager in paginate(items, per_page, "archive/x.html")
    ]


def test_page_one_holds_the_oldest_items_and_the_main_url_the_newest() -> None:
    newest_first = [7, 6, 5, 4, 3, 2, 1]
    assert pages_of(newest_first, 3) == [
        ("archive/x-1.html", [3, 2, 1], 1, 3),
        ("archive/x-2.html", [6, 5, 4], 2, 3),
        ("archive/x.html", [7], 3, 3),
    ]


def test_an_empty_or_short_list_is_one_main_page() -> None:
    assert pages_of([], 3) == [("archive/x.html", [], 1, 1)]
    assert pages_of([2, 1], 3) == [("archive/x.html", [2, 1], 1, 1)]


def test_adding_a_newer_item_changes_only_the_main_page() -> None:
    before = pages_of([5, 4, 3, 2, 1], 2)
    after = pages_of([6, 5, 4, 3, 2, 1], 2)
    assert before[:-1] == after[:-1]
    assert before[-1] == ("archive/x.html", [5], 3, 3)
    assert after[-1] == ("archive/x.html", [6, 5], 3, 3)


def test_archive_pages_keep_their_url_when_the_list_gains_a_page() -> None:
    before = {url: chunk for url, chunk, _, _ in pages_of([4, 3, 2, 1], 2)}
    after = {url: chunk for url, chunk, _, _ in pages_of([5, 4, 3, 2, 1], 2)}
    assert before["archive/x-1.html"] == after["archive/x-1.html"] == [2, 1]
    # The old main page's items move to a new permanent page of their own.
    assert after["archive/x-2.html"] == before["archive/x.html"] == [4, 3]
    assert after["archive/x.html"] == [5]


def test_previous_is_older_and_next_is_newer() -> None:
    pagers = [pager for _, _, pager in paginate([5, 4, 3, 2, 1], 2, "archive/x.html")]
    assert [p.previous for p in pagers] == [None, "archive/x-1.html", "archive/x-2.html"]
    assert [p.next for p in pagers] == ["archive/x-2.html", "archive/x.html", None]
    assert [p.is_main for p in pagers] == [False, False, True]
