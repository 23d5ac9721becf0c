"""Bodies to HTML: Markdown (fast path and full converter agree) and raw-text blocks."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from arshif.markup import _full_markdown, markdown_to_blocks, markdown_to_html

REPO = Path(__file__).resolve().parents[1]


def test_plain_paragraphs_take_the_fast_path_with_identical_output() -> None:
    for seed in sorted((REPO / "articles").glob("*.txt")):
        text = "\n\n".join(line for line in seed.read_text("utf-8").splitlines() if line.strip())
        assert markdown_to_html(text) == _full_markdown(text)


@settings(max_examples=300, deadline=None)
@example("---")  # a rule, not a paragraph (hypothesis found it)
@example("نص\n===")  # a setext heading
@given(
    st.text(
        alphabet=st.sampled_from(list("ابتث جحخ.،:()\"'-0123456789\n*_#>[]<&`!|  ")), max_size=200
    )
)
def test_fast_path_never_differs_from_python_markdown(text: str) -> None:
    assert markdown_to_html(text) == _full_markdown(text)


def test_markdown_syntax_still_renders() -> None:
    html = markdown_to_html("# عنوان\n\nنص **مهم** و[رابط](https://example.org).\n\n- بند\n")
    assert "<h2>عنوان</h2>" in html
    assert "<strong>مهم</strong>" in html
    assert '<a href="https://example.org">رابط</a>' in html
    assert "<li>بند</li>" in html


def test_blocks_of_markdown_are_plain_text() -> None:
    blocks = markdown_to_blocks("## فرعي\n\nنص **مهم** و[رابط](x.html).\n\n```\ncode\n```\n")
    assert [(b.kind, b.text) for b in blocks] == [("h2", "فرعي"), ("p", "نص مهم ورابط.")]
