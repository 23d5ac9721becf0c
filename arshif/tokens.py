"""Tokens: one paragraph split into normalised words that remember where they were written.

Below the understanding modules (entities, figures, similar): they all read a paragraph
through `tokenize`, so "a word" means the same thing everywhere and anything they report can
be quoted exactly as the author wrote it. Hands on a `Tokens` value: the normalised words,
their spans in the original text, and the characters between each word and the one before
(a name may run on over a space but not over a comma or a quote).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from arshif.arabic import normalize

# Letters with the marks and joiners that live inside words. Tashkeel and ZWNJ are not \w
# for `re`, so a plain [^\W_]+ would cut «سُبُل» into three words before normalisation.
_MARKS = "\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u2066-\u2069\ufeff"
_TOKEN_RE = re.compile(
    rf"(?:[^\W\d_]|[{_MARKS}])+"  # a word
    r"|\d+(?:[.,\u066b\u066c]\d+)*"  # a number, with its thousands/decimal separators
)
_SPLIT_RE = re.compile(r"[^\W_]+")
# Any of these between two words ends a multi-word name; plain spaces and marks do not.
_SOFT_BREAKS = frozenset("،,")


@dataclass(frozen=True, slots=True)
class Tokens:
    """A paragraph's words. Index i of every tuple describes the same word."""

    text: str
    words: tuple[str, ...]  # normalised (arabic.normalize), ASCII digits
    spans: tuple[tuple[int, int], ...]  # where each word is in `text`
    gaps: tuple[str, ...]  # the raw characters between word i-1 and word i

    def __len__(self) -> int:
        return len(self.words)

    def joined(self, i: int) -> bool:
        """True when word i follows word i-1 with nothing but spacing between them."""
        return i > 0 and (not self.gaps[i] or self.gaps[i].isspace())

    def soft_break(self, i: int) -> bool:
        """True when only a comma (and spacing) separates word i from word i-1."""
        gap = self.gaps[i].strip()
        return bool(gap) and all(ch in _SOFT_BREAKS for ch in gap)

    def written(self, start: int, end: int) -> str:
        """Words start..end-1 exactly as written, with whatever lies between them."""
        return self.text[self.spans[start][0] : self.spans[end - 1][1]]


@functools.lru_cache(maxsize=1 << 17)
def _normalized_parts(raw: str) -> tuple[str, ...]:
    # Cached because news vocabulary repeats heavily; normalize() is the costly step.
    norm = normalize(raw)
    if norm.isalnum():
        return (norm,)
    # NFKC can open a ligature into several words (ﷺ), or leave only marks behind.
    return tuple(_SPLIT_RE.findall(norm)) if not _is_number(norm) else (norm,)


def _is_number(norm: str) -> bool:
    return norm[:1].isdigit()


@functools.lru_cache(maxsize=256)
def tokenize(text: str) -> Tokens:
    """`text` as words. Cached briefly: entities, figures and tags each read the same paragraph."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    gaps: list[str] = []
    previous_end = 0
    for match in _TOKEN_RE.finditer(text):
        start, end = match.span()
        for part in _normalized_parts(match.group()):
            words.append(part)
            spans.append((start, end))
            gaps.append(text[previous_end:start])
            previous_end = start  # a split ligature's parts are separated by nothing
        previous_end = end
    return Tokens(text, tuple(words), tuple(spans), tuple(gaps))
