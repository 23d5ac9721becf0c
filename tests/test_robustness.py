"""Extraction never raises on arbitrary text: user input must never produce a traceback."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arshif.entities import candidate_names, find_entities
from arshif.figures import key_figures, parse_number_words
from arshif.gazetteer import Gazetteer
from arshif.similar import shared_passages
from arshif.tags import cited_agencies, derive_tags

# Arabic letters, marks, digits of three scripts and the punctuation news text is made of,
# and whole words the extractors look for, glued or spaced, next to anything at all.
_CHARACTERS = 'ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةىـًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩۴0123456789،؛؟.,:-/()«»"% \n'
_PIECES = [
    "ال", "و", "ب", "لل", "آلاف", "ألف", "ثمانية", "عشر", "من", "إلى", "أو", "عام", "مايو",
    "الناتو", "حلف", "شمال", "الأطلسي", "بغداد", "وزير", "الأمين", "العام", "رويترز", "(", ")",
]  # fmt: skip
_PIECE = st.sampled_from([*_CHARACTERS, *_PIECES])
TEXT = st.one_of(
    st.text(),
    st.text(alphabet=_CHARACTERS),
    st.lists(_PIECE, max_size=60).map(" ".join),
    st.lists(_PIECE, max_size=60).map("".join),
)
PARAGRAPHS = st.lists(TEXT, max_size=5)
FAST = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FAST
@given(PARAGRAPHS)
def test_find_entities_never_raises(gazetteer: Gazetteer, paragraphs: list[str]) -> None:
    for entity in find_entities(paragraphs, gazetteer):
        assert entity.count > 0


@FAST
@given(PARAGRAPHS)
def test_key_figures_never_raise(paragraphs: list[str]) -> None:
    for figure in key_figures(paragraphs):
        assert 0 <= figure.paragraph < len(paragraphs)
        assert figure.phrase in paragraphs[figure.paragraph]


@FAST
@given(TEXT)
def test_parse_number_words_never_raises(text: str) -> None:
    value = parse_number_words(text)
    assert value is None or value >= 0


@FAST
@given(PARAGRAPHS, TEXT)
def test_names_tags_and_agencies_never_raise(
    gazetteer: Gazetteer, paragraphs: list[str], title: str
) -> None:
    for name in candidate_names(paragraphs, gazetteer):
        assert any(name in paragraph for paragraph in paragraphs)
    entities = find_entities([title, *paragraphs], gazetteer)
    derive_tags(paragraphs, title, entities, gazetteer.tag_rules)
    cited_agencies(paragraphs)


@FAST
@given(st.dictionaries(st.text(max_size=3), PARAGRAPHS, max_size=4))
def test_shared_passages_never_raise(docs: dict[str, list[str]]) -> None:
    shared = shared_passages(docs)
    for key, passages in shared.by_article.items():
        assert all(passage.other != key for passage in passages)
