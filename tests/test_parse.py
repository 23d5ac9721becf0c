"""The parser on the five real seed texts, on crafted raw texts, and on arbitrary input."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arshif.config import default_config, load_config
from arshif.errors import SourceError
from arshif.model import Article
from arshif.parse import parse_article, shorten
from arshif.sources import Source, read_source

REPO = Path(__file__).resolve().parents[1]
CONFIG = load_config(REPO / "site.yaml")
FURNITURE = ("وردنا", "يقرأون الآن", "التعليقات")


def seed(prefix: str) -> Article:
    path = next((REPO / "articles").glob(f"{prefix}_*.txt"))
    return parse_article(read_source(path, REPO / "articles"), CONFIG).article


def raw(text: str, name: str = "x.txt") -> Article:
    source = Source(path=Path(name), rel=name, kind="txt", body=text, body_line=1)
    return parse_article(source, default_config(Path("."))).article


# prefix: title, source, dateline, date, date origin, section, paragraphs, subheads, captions
SEEDS = {
    "000": ("الناتو يرفع عدد قواته في العراق حتى ٤ آلاف شخص", None, None,
            dt.date(2021, 2, 18), "meta", "دولي العراق", 16, 0, 0),
    "001": (None, "بغداد اليوم", None, dt.date(2020, 2, 11), "meta", None, 16, 0, 0),
    "002": (None, None, None, dt.date(2021, 3, 10), "text", None, 11, 0, 0),
    "003": ("الناتو يوسع مهامه..وتصاعد العنف بالعراق", None, None,
            dt.date(2021, 2, 16), "meta", None, 21, 0, 0),
    "004": (None, "إيلاف", "لندن", dt.date(2023, 1, 24), "text", None, 13, 2, 2),
}  # fmt: skip


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_is_read_as_the_newsroom_wrote_it(prefix: str) -> None:
    title, source, dateline, date, origin, section, paras, subheads, captions = SEEDS[prefix]
    article = seed(prefix)
    if title is not None:
        assert article.title == title
        assert article.title_origin == "headline"
    else:
        assert article.title_origin == "lede"
    assert article.source == source
    assert article.dateline == dateline
    assert article.date == date
    assert article.date_origin == origin
    assert article.section == section
    kinds = [b.kind for b in article.blocks]
    assert kinds.count("p") == paras
    assert kinds.count("h2") == subheads
    assert kinds.count("caption") == captions


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_keeps_no_site_furniture(prefix: str) -> None:
    article = seed(prefix)
    texts = [b.text for b in article.blocks]
    for line in FURNITURE:
        assert line not in texts
        assert line not in article.body_html.split("\n")
    assert "دولي العراق" not in texts


def test_repeated_headline_appears_once() -> None:
    article = seed("000")
    assert all(b.text != article.title for b in article.blocks)


def test_headline_less_texts_take_a_title_from_the_lede_cut_at_a_word() -> None:
    assert seed("002").title == (
        "أكد الأمين العام لحلف الناتو يانس ستولتنبرغ، ووزير خارجية العراق فؤاد حسين…"
    )
    assert seed("004").title == "دعا العراق الثلاثاء حلف الناتو الى دعم قواته لحفظ أمن الحدود…"
    assert seed("001").title.startswith("كشف الأمين العام لحلف شمال الأطلسي")


def test_inline_dateline_leaves_the_lede() -> None:
    article = seed("004")
    assert article.blocks[0].text.startswith("دعا العراق الثلاثاء")
    assert article.summary.startswith("دعا العراق الثلاثاء")


def test_subheadings_and_captions_of_004() -> None:
    article = seed("004")
    assert [b.text for b in article.blocks if b.kind == "h2"] == [
        "تعزيز الشراكة مع الأطلسي",
        "مهمة غير قتالية",
    ]
    assert all(b.text.endswith("(مكتبه)") for b in article.blocks if b.kind == "caption")


def test_word_count_and_reading_time() -> None:
    article = seed("000")
    assert 400 < article.word_count < 550
    assert article.reading_minutes == round(article.word_count / CONFIG.words_per_minute)


def test_story_dates_are_not_taken_as_publication_dates() -> None:
    # 000 mentions «الثالث من يناير 2020» and «مايو 2020», 003 «أكتوبر /تشرين الأول 2018».
    article = raw("عنوان قصير\nقتل سليماني في الثالث من يناير 2020 في بغداد.\nوفي مايو 2020 تولى.")
    assert article.date is None
    assert article.date_origin == ""


def test_a_weekday_that_contradicts_the_calendar_is_not_a_date() -> None:
    # 10 March 2021 was a Wednesday, not a Thursday.
    assert raw("قال البيان اليوم الخميس (10 آذار 2021) إن الحلف سيبقى.").date is None


def test_filename_date_prefix_dates_a_raw_text() -> None:
    assert raw("قال البيان إن الحلف سيبقى.", "2021-03-09-x.txt").date == dt.date(2021, 3, 9)


def test_source_line_after_headline() -> None:
    article = raw("الناتو يعزز مهمته\nالمدى - خاص\nقال الحلف إنه سيعزز مهمته في العراق.")
    assert article.title == "الناتو يعزز مهمته"
    assert article.source == "المدى"


def test_agency_dateline() -> None:
    article = raw("بغداد (رويترز) - قال الحلف إنه سيعزز مهمته في العراق.")
    assert article.dateline == "بغداد"
    assert article.blocks[0].text == "قال الحلف إنه سيعزز مهمته في العراق."


def test_text_after_a_cutoff_line_is_dropped() -> None:
    article = raw("الخبر\nقال الحلف إنه باق.\nيقرأون الآن\nعنوان خبر آخر\nوعنوان ثالث")
    assert [b.text for b in article.blocks] == ["قال الحلف إنه باق."]


def test_empty_text_is_an_error() -> None:
    with pytest.raises(SourceError, match="empty"):
        raw("\n  \nوردنا\n")


def test_shorten_never_ends_on_a_preposition() -> None:
    text = "قال الوزير إن القوات ستنسحب من العراق في الصيف"
    assert shorten(text, 8) == "قال الوزير إن القوات ستنسحب من العراق…"
    assert shorten(text, 9) == text
    assert (
        shorten("واحد اثنان ثلاثة أربعة خمسة ستة في سبعة", 7) == "واحد اثنان ثلاثة أربعة خمسة ستة…"
    )


ARABIC_TEXT = st.text(
    alphabet=st.sampled_from(
        list('ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةى٠١٢٣٤٥ 0123456789.،:()-\n\r\t"«»')
    ),
    max_size=400,
)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(ARABIC_TEXT, st.text(max_size=300)))
def test_parser_never_raises_anything_but_a_source_error(text: str) -> None:
    try:
        article = raw(text)
    except SourceError as err:
        assert str(err).startswith("x.txt")
        return
    assert article.title
    assert article.blocks
    assert article.slug


@settings(max_examples=200, deadline=None)
@given(text=ARABIC_TEXT)
def test_parsed_html_never_contains_raw_markup_from_the_text(text: str) -> None:
    try:
        article = raw(text.replace("(", "<script>"))
    except SourceError:
        return
    assert "<script>" not in article.body_html


def test_a_cached_record_unpickles_its_body_only_when_it_is_read() -> None:
    article = seed("004")
    assert article.blocks and article.body_html and article.figures and len(article.passages)
    blob = pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)
    again = pickle.loads(blob)
    # Still bytes: opening the cache must not build the blocks of every article, nor what
    # only some pages (figures) and the shared passages' process (passages) read.
    for name in ("blocks", "body_html", "figures", "passages"):
        assert type(again.__dict__[name]).__name__ == "_Unread", name
    assert again.figures == article.figures
    assert again.passages.shingles == article.passages.shingles
    assert list(again.__dict__) == list(article.__dict__)  # the layout of a made record
    # Pickled again unread, it is the same record.
    assert pickle.loads(pickle.dumps(again)) == article
    assert again.body_html == article.body_html and again.blocks == article.blocks
    assert again == article and again.paragraphs == article.paragraphs
    # Read, and still not kept: a worker reads half the archive's bodies once each.
    assert type(again.__dict__["body_html"]).__name__ == "_Unread"
