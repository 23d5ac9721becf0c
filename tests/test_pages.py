"""Planning pages: relative links and pagination."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import posixpath
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arshif.config import default_config
from arshif.entities import EntityCount
from arshif.fingerprint import encode, list_text
from arshif.model import Article, Block, build_archive
from arshif.pages import (
    SHARED_SHOWN,
    Page,
    SharedNotes,
    paginate,
    plan_pages,
    term_pages,
    timeline_pages,
)
from arshif.similar import passage_signatures


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
    # The shortest way: up to the deepest folder the two share, then down.
    shared = 0
    while shared < min(len(here), len(there)) - 1 and here[shared] == there[shared]:
        shared += 1
    assert link == "../" * (len(here) - 1 - shared) + "/".join(there[shared:])


def test_paginate_gives_one_page_for_an_empty_list() -> None:
    pages = list(paginate([], 10, "x.html"))
    assert [(url, list(chunk)) for url, chunk, _ in pages] == [("x.html", [])]


# Pagination: numbered from the oldest items, so archive pages keep their URL and content.


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


def test_shared_note_names_the_earliest_carriers_and_says_there_are_more() -> None:
    wire = (
        "وتقدم مهمة حلف الأطلسي في الوقت الراهن خدمات التدريب والإرشاد لأعضاء المؤسسات "
        "الأمنية العراقية وللقوات الخاضعة للسيطرة المباشرة للحكومة العراقية فحسب."
    )
    articles = [
        Article(
            slug=f"a{i:02d}", title=f"مقال {i}", src=f"a{i:02d}.md",
            date=dt.date(2021, 1, 1) + dt.timedelta(days=(i * 7) % 30),
            digest=str(i), blocks=(Block("p", wire),), passages=passage_signatures([wire]),
        )
        for i in range(SHARED_SHOWN + 3)
    ]  # fmt: skip
    archive, errors = build_archive(articles)
    assert not errors
    newest = archive.articles[0]
    notes = SharedNotes(archive)
    note = notes.of(newest)
    assert note is not None and note.more
    others = sorted((a for a in archive.articles if a is not newest), key=lambda a: a.sort_key)
    assert note.articles == tuple(others[:SHARED_SHOWN])
    oldest = archive.articles[-1]
    assert notes.of(oldest) == SharedNotes(archive).of(oldest)  # deterministic


def test_pager_shows_a_window_and_old_pages_keep_their_links_as_the_list_grows() -> None:
    def windows(total: int) -> list[tuple[tuple[int, str | None], ...]]:
        return [pager.window for _, _, pager in paginate(list(range(total)), 10, "t/x.html")]

    ten = windows(100)
    assert ten[4] == (
        (1, "t/x-1.html"), (0, None), (3, "t/x-3.html"), (4, "t/x-4.html"), (5, "t/x-5.html"),
        (6, "t/x-6.html"), (7, "t/x-7.html"), (0, None), (10, "t/x.html"),
    )  # fmt: skip
    assert ten[0][:4] == ((1, "t/x-1.html"), (2, "t/x-2.html"), (3, "t/x-3.html"), (0, None))
    assert max(len(w) for w in windows(10_000)) <= 2 * 2 + 5  # never the whole list

    # Eleven pages now: the pages far from the newest end show the same links (the main
    # page's is labelled «الأحدث», not numbered, so its number does not show).
    def shown(found: list[tuple[tuple[int, str | None], ...]]) -> list[list[object]]:
        return [[link if link[1] != "t/x.html" else "newest" for link in w] for w in found]

    assert shown(windows(101))[:6] == shown(ten)[:6]


def _tagged(slug: str, date: dt.date | None) -> Article:
    return Article(slug=slug, title=slug, src=f"{slug}.md", date=date, digest=slug, tags=("وسم",))


def _term_pages(articles: list[Article], per_page: int) -> dict[str, Page]:
    archive, errors = build_archive(articles)
    assert not errors
    tags = next(t for t in archive.taxonomies if t.kind == "tags")
    term = tags.terms[0]
    return {p.url: p for p in term_pages(term, tags.url(term), {}, per_page)}


def test_a_short_term_list_is_one_page() -> None:
    pages = _term_pages([_tagged("a", dt.date(2020, 1, 1)), _tagged("b", None)], 3)
    assert list(pages) == ["tags/وسم/index.html"]
    assert [a.slug for a in pages["tags/وسم/index.html"].context["articles"]] == ["a", "b"]


def test_an_entity_page_counts_the_mentions_of_its_own_articles_when_first_read() -> None:
    def naming(slug: str, times: int) -> Article:
        person = (EntityCount("p1", "person", "اسم", times),)
        return dataclasses.replace(_tagged(slug, dt.date(2020, 1, times)), entities=person)

    archive, _ = build_archive([naming(f"a{n}", n) for n in range(1, 6)])
    people = next(t for t in archive.taxonomies if t.kind == "people")
    pages = term_pages(people.terms[0], people.url(people.terms[0]), {}, 2)
    mentions = [page.context["mentions"] for page in pages]
    assert all(m._made is None for m in mentions)  # planned, not counted
    assert "mentions" not in people.terms[0].__dict__  # nor the term's own counts by slug
    by_page = {page.url: dict(page.context["mentions"]) for page in pages}
    assert by_page == {
        "people/p1/index.html": {"a5": 5, "a4": 4},
        "people/p1/2020.html": {},
        "people/p1/2020-01.html": {"a5": 5},
        "people/p1/2020-01-2.html": {"a4": 4, "a3": 3},
        "people/p1/2020-01-1.html": {"a2": 2, "a1": 1},
    }
    assert "a3" not in mentions[0] and repr(mentions[0]) == "{'a5': 5, 'a4': 4}"


def test_a_long_term_list_gets_a_main_page_and_a_list_per_year() -> None:
    articles = [_tagged(f"a{y}{i}", dt.date(y, 1 + i, 1)) for y in (2019, 2020) for i in range(2)]
    articles += [_tagged(f"b2020{i}", dt.date(2020, 6, 1 + i)) for i in range(3)]
    articles.append(_tagged("undated", None))
    pages = _term_pages(articles, 2)
    assert sorted(pages) == sorted(
        ["tags/وسم/index.html", "tags/وسم/2019.html", "tags/وسم/undated.html",
         # 2020 is longer than a page: a page of its months, and a list per month.
         "tags/وسم/2020.html", "tags/وسم/2020-01.html", "tags/وسم/2020-02.html",
         "tags/وسم/2020-06.html", "tags/وسم/2020-06-1.html"]
    )  # fmt: skip
    main = pages["tags/وسم/index.html"].context
    assert [a.slug for a in main["articles"]] == ["b20202", "b20201"]
    assert main["total"] == 8
    assert main["years"] == (
        ("2020", "tags/وسم/2020.html", 5),
        ("2019", "tags/وسم/2019.html", 2),
        ("undated", "tags/وسم/undated.html", 1),
    )
    short_year = pages["tags/وسم/2019.html"].context
    assert [a.slug for a in short_year["articles"]] == ["a20191", "a20190"]
    assert short_year["months"] == () and short_year["total"] == 2
    year = pages["tags/وسم/2020.html"].context
    assert year["articles"] == () and year["total"] == 5
    assert year["months"] == (
        ((2020, 6), "tags/وسم/2020-06.html", 3),
        ((2020, 2), "tags/وسم/2020-02.html", 1),
        ((2020, 1), "tags/وسم/2020-01.html", 1),
    )
    # One page, so it links both ways; the undated come after the oldest year.
    assert (year["newer_year"], year["older_year"]) == (None, ("2019", "tags/وسم/2019.html"))
    oldest = pages["tags/وسم/2020-06-1.html"].context
    assert [a.slug for a in oldest["articles"]] == ["b20201", "b20200"]
    assert oldest["total"] is None and (oldest["year"], oldest["month"]) == ("2020", (2020, 6))
    assert oldest["older_month"] == ((2020, 2), "tags/وسم/2020-02.html")
    assert oldest["year_url"] == "tags/وسم/2020.html"
    newest = pages["tags/وسم/2020-06.html"].context
    assert [a.slug for a in newest["articles"]] == ["b20202"]
    assert newest["newer_month"] is None and newest["older_month"] is None


def test_a_backdated_article_changes_only_its_month_its_year_and_the_main_page() -> None:
    articles = [
        _tagged(f"a{y}{m}{d}", dt.date(y, m, d))
        for y in (2019, 2020, 2021) for m in (1, 2, 3) for d in (1, 2, 3)
    ]  # fmt: skip
    before = _term_pages(articles, 2)
    late = _term_pages([*articles, _tagged("late", dt.date(2020, 12, 31))], 2)
    changed = {url for url in late if url not in before or late[url] != before[url]}
    # A new month: its list, the link to it from the month before, its year's page of months.
    assert changed == {"tags/وسم/index.html", "tags/وسم/2020.html", "tags/وسم/2020-12.html",
                       "tags/وسم/2020-03.html"}  # fmt: skip
    early = _term_pages([*articles, _tagged("early", dt.date(2020, 2, 1))], 2)
    changed = {url for url in early if url not in before or early[url] != before[url]}
    # February 2020 had pages 1 (its two oldest) and the main page: «early» is its oldest now,
    # so both move. Nothing of any other month does.
    assert changed == {"tags/وسم/index.html", "tags/وسم/2020.html", "tags/وسم/2020-02.html",
                       "tags/وسم/2020-02-1.html"}  # fmt: skip


# Long enough lists that a year outgrows a page several times over (per_page is 3).
@given(st.lists(st.dates(dt.date(2019, 12, 1), dt.date(2021, 1, 31)), min_size=15, max_size=40))
def test_no_page_of_a_term_goes_away_as_articles_are_added(days: list[dt.date]) -> None:
    articles: list[Article] = []
    urls: set[str] = set()
    for n, day in enumerate(days):
        articles.append(_tagged(f"a{n:02d}", day))
        found = set(_term_pages(articles, 3))
        assert urls <= found, sorted(urls - found)
        urls = found


@given(st.lists(st.one_of(st.none(), st.dates(dt.date(1999, 1, 1), dt.date(2026, 12, 31)))))
def test_year_slices_cut_an_archive_ordered_list_into_its_years(
    dates: list[dt.date | None],
) -> None:
    from arshif.pages import year_slices

    archive, _ = build_archive(_tagged(f"a{i}", day) for i, day in enumerate(dates))
    ordered = archive.articles  # newest first, undated last: the order of every term's list
    slices = year_slices(ordered)
    assert [a for _, chunk in slices for a in chunk] == list(ordered)
    keys = [key for key, _ in slices]
    assert len(set(keys)) == len(keys)  # each year once
    for key, chunk in slices:
        assert chunk and {f"{a.date.year:04d}" if a.date else "undated" for a in chunk} == {key}


def test_the_first_article_of_a_new_year_changes_the_main_page_and_last_year_s_newest() -> None:
    articles = [_tagged(f"a{y}{i}", dt.date(y, 1 + i, 1)) for y in (2019, 2020) for i in range(5)]
    before = _term_pages(articles, 2)
    after = _term_pages([*articles, _tagged("new", dt.date(2021, 1, 5))], 2)
    changed = {url for url in after if url not in before or after[url] != before[url]}
    assert changed == {"tags/وسم/index.html", "tags/وسم/2021.html", "tags/وسم/2020.html"}
    assert after["tags/وسم/2020.html"].context["newer_year"] == ("2021", "tags/وسم/2021.html")
    assert after["tags/وسم/2020.html"].context["older_year"] == ("2019", "tags/وسم/2019.html")


def _timeline(articles: list[Article]) -> dict[str, Page]:
    archive, errors = build_archive(articles)
    assert not errors
    return {p.url: p for p in timeline_pages(archive)}


def test_the_first_article_of_a_new_year_changes_only_last_year_s_timeline_page() -> None:
    articles = [_tagged(f"a{y}", dt.date(y, 6, 1)) for y in (2019, 2020, 2021)]
    before = _timeline(articles)
    after = _timeline([*articles, _tagged("new", dt.date(2022, 1, 5))])
    changed = {url for url in after if url not in before or after[url] != before[url]}
    assert changed == {"timeline/index.html", "timeline/2022.html", "timeline/2021.html"}
    middle = after["timeline/2020.html"].context
    assert (middle["newer"], middle["older"]) == (2021, 2019)
    assert (
        after["timeline/2022.html"].context["newer"],
        after["timeline/2019.html"].context["older"],
    ) == (None, None)


# ------------------------------------------------------------ article pages' inputs

_SENTENCES = (
    "قال الأمين العام لحلف شمال الأطلسي إن البعثة ستواصل تدريب القوات العراقية في بغداد.",
    "وأضاف أن عدد المدربين سيرتفع إلى أربعة آلاف خلال العام المقبل بحسب الخطة.",
    "وتأتي الزيارة بعد اجتماع وزراء الدفاع في بروكسل الأسبوع الماضي لبحث المهمة.",
)
_ENTITIES = (("p1", "person"), ("p2", "person"), ("c1", "place"))


@st.composite
def _articles(draw: st.DrawFn) -> list[Article]:
    """A few articles whose digest, as the parser's, follows from every field but the slug."""
    articles = []
    for slug in draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=6, unique=True)):
        day = draw(
            st.sampled_from([None, dt.date(2019, 6, 1), dt.date(2020, 1, 1), dt.date(2020, 1, 2)])
        )
        tags = tuple(draw(st.lists(st.sampled_from(["x", "y"]), max_size=2, unique=True)))
        source = draw(st.sampled_from([None, "s1", "s2"]))
        entities = tuple(
            EntityCount(
                key, kind, draw(st.sampled_from(["اسم", "اسم آخر"])), draw(st.sampled_from([1, 2]))
            )
            for key, kind in draw(st.lists(st.sampled_from(_ENTITIES), max_size=2, unique=True))
        )
        text = draw(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=2))
        title = draw(st.sampled_from(["عنوان", "عنوان آخر"]))
        fields = (title, day, tags, source, entities, text)
        articles.append(
            Article(
                slug=slug, title=title, src=f"{slug}.md", date=day, tags=tags, source=source,
                entities=entities, blocks=tuple(Block("p", t) for t in text),
                digest=hashlib.sha256(repr(fields).encode()).hexdigest()[:12],
            )
        )  # fmt: skip
    return articles


def _article_pages(articles: list[Article]) -> dict[str, Page]:
    archive, errors = build_archive(articles)
    assert not errors
    pages = plan_pages(archive, default_config(Path(".")))
    return {p.url: p for p in pages if p.template == "article.html"}


@st.composite
def _two_builds(draw: st.DrawFn) -> tuple[list[Article], list[Article]]:
    """The articles of a build and of the next: each one kept, edited, dropped or added."""
    before, other = draw(_articles()), {a.slug: a for a in draw(_articles())}
    after = []
    for article in before:
        fate = draw(st.sampled_from(["keep", "keep", "edit", "drop"]))
        if fate == "keep" or (fate == "edit" and article.slug not in other):
            after.append(article)
        elif fate == "edit":
            after.append(other.pop(article.slug))
        else:
            other.pop(article.slug, None)
    kept = {a.slug for a in before}
    after += [a for slug, a in other.items() if slug not in kept and draw(st.booleans())]
    return before, after


@settings(max_examples=300)
@given(_two_builds())
def test_equal_inputs_of_an_article_page_mean_an_equal_context(
    builds: tuple[list[Article], list[Article]],
) -> None:
    # Two archives of overlapping articles stand for two builds: a page whose inputs did not
    # change is not fingerprinted again (fingerprint.py), so its context must not have.
    old, new = _article_pages(builds[0]), _article_pages(builds[1])
    for url in old.keys() & new.keys():
        assert old[url].inputs is not None
        if old[url].inputs == new[url].inputs:
            assert encode(old[url].context) == encode(new[url].context), url


def _grouped_pages(articles: list[Article]) -> dict[str, Page]:
    """The pages of the plan that are in a group, by URL (one article a page, so that terms
    have years and numbered pages)."""
    archive, errors = build_archive(articles)
    assert not errors
    config = dataclasses.replace(default_config(Path(".")), per_page=1)
    return {p.url: p for p in plan_pages(archive, config) if p.group is not None}


def _groups(articles: list[Article]) -> dict[str, tuple[str, dict[str, str]]]:
    """Each group of the plan: its key and the walk of each of its pages' contexts, by URL."""
    groups: dict[str, tuple[str, dict[str, str]]] = {}
    for url, page in _grouped_pages(articles).items():
        assert page.group is not None
        name, key = page.group
        assert groups.setdefault(name, (key, {}))[0] == key, "one key per group"
        groups[name][1][url] = encode(page.context)
    return groups


@settings(max_examples=300)
@given(_two_builds())
def test_an_equal_group_key_means_the_same_pages_with_equal_contexts(
    builds: tuple[list[Article], list[Article]],
) -> None:
    # A group whose key did not change has its pages kept without a fingerprint
    # (pipeline.py): none may have changed, and none may have joined or left it.
    old, new = _groups(builds[0]), _groups(builds[1])
    for name in old.keys() & new.keys():
        if old[name][0] == new[name][0]:
            assert old[name][1] == new[name][1], name


@settings(max_examples=300)
@given(_two_builds())
def test_a_list_page_text_changes_exactly_when_its_walk_does(
    builds: tuple[list[Article], list[Article]],
) -> None:
    old, new = _grouped_pages(builds[0]), _grouped_pages(builds[1])
    for url in old.keys() & new.keys():
        same_text = list_text(old[url].context) == list_text(new[url].context)
        assert same_text == (encode(old[url].context) == encode(new[url].context)), url


def test_a_group_key_changes_with_what_its_pages_show_and_nothing_else() -> None:
    def article(slug: str, day: dt.date, **fields: object) -> Article:
        made = Article(slug=slug, title=slug, src=f"{slug}.md", date=day, digest=slug)
        return dataclasses.replace(made, **fields)

    def keys(articles: list[Article]) -> dict[str, str]:
        return {name: key for name, (key, _) in _groups(articles).items()}

    old, new = dt.date(2019, 5, 1), dt.date(2020, 5, 1)
    person = (EntityCount("p1", "person", "اسم", 1),)
    base = [article("a", old, tags=("x",), entities=person), article("b", new, tags=("x",))]
    first = keys(base)
    assert keys(list(base)) == first
    assert {"tags/x/index.html", "tags/x/2019.html", "tags/x/2020.html"} <= first.keys()
    # One more article in 2020: the term's main page and its 2020 change, 2019 does not.
    grown = keys([*base, article("c", new, tags=("x",))])
    assert grown["tags/x/index.html"] != first["tags/x/index.html"]
    assert grown["tags/x/2020.html"] != first["tags/x/2020.html"]
    assert grown["tags/x/2019.html"] == first["tags/x/2019.html"]
    # An edited article changes the groups that list it.
    edited = keys([article("a", old, tags=("x",), entities=person, digest="a2"), base[1]])
    assert edited["tags/x/2019.html"] != first["tags/x/2019.html"]
    assert edited["tags/x/2020.html"] == first["tags/x/2020.html"]
    # An older article spelling the person otherwise renames the term: every page shows it.
    older = dt.date(2018, 1, 1)
    other = (person[0]._replace(name="اسم آخر"),)
    renamed = keys([*base, article("z", older, entities=other)])
    same = keys([*base, article("z", older, entities=person)])
    people = [name for name in same if name.startswith("people/")]
    assert people and all(renamed[name] != same[name] for name in people)
    # Pages of articles made by hand (no digest) are fingerprinted page by page.
    assert _groups([article("a", old, tags=("x",), digest="")]) == {}


def test_an_article_page_inputs_change_with_what_it_shows() -> None:
    day = dt.date(2020, 1, 1)

    def article(slug: str, **fields: object) -> Article:
        made = Article(slug=slug, title=slug, src=f"{slug}.md", date=day, digest=slug)
        return dataclasses.replace(made, **fields)

    base = [article("a", tags=("x",)), article("b"), article("c")]
    first = _article_pages(base)
    assert _article_pages(list(base)) == first  # the same archive, the same inputs
    # a edited: b beside it shows it, c two away does not.
    edited = _article_pages([article("a", tags=("x",), digest="a2"), *base[1:]])
    assert edited["articles/a.html"].inputs != first["articles/a.html"].inputs
    assert edited["articles/b.html"].inputs != first["articles/b.html"].inputs
    assert edited["articles/c.html"].inputs == first["articles/c.html"].inputs
    # An older article spelling a's person otherwise renames the person's term: a's page,
    # which links it by name, changes though a did not.
    person = (EntityCount("p1", "person", "اسم", 1),)
    older = dt.date(2019, 1, 1)
    named = _article_pages(
        [article("a", entities=person), article("z", date=older, entities=person)]
    )
    other = (person[0]._replace(name="اسم آخر"),)
    renamed = _article_pages(
        [article("a", entities=person), article("z", date=older, entities=other)]
    )
    assert renamed["articles/a.html"].inputs != named["articles/a.html"].inputs
    # Pages of articles made by hand (no digest) are fingerprinted by their context.
    assert _article_pages([article("a", digest="")])["articles/a.html"].inputs is None
