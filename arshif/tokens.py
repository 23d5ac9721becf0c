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
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import add, sub
from typing import TypeVar

from arshif.arabic import normalize

T = TypeVar("T")

# Letters with the marks and joiners that live inside words. Tashkeel and ZWNJ are not \w
# for `re`, so a plain [^\W_]+ would cut «سُبُل» into three words before normalisation.
_MARK_RANGES = ((0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0640, 0x0640),
                (0x200B, 0x200F), (0x2066, 0x2069), (0xFEFF, 0xFEFF))  # fmt: skip
_MARKS = "".join(f"{chr(low)}-{chr(high)}" for low, high in _MARK_RANGES)  # for [classes]

# A word: runs of letters with marks between them, not (letter|mark)+, because the regex
# engine loops over a character class far faster than over an alternation. The classes
# never overlap, so nothing backtracks; "_" rides with letters and is split off after
# normalisation like any other non-letter. Splitting on this one group tiles the text into
# gap, word, gap, …, gap in a single call, with no match object or tuple per word: no
# alternative can start on a gap character, so each gap is exactly the text between words.
_LETTERS = r"[^\W\d]"
_TOKEN_RE = re.compile(
    rf"({_LETTERS}+(?:[{_MARKS}]+{_LETTERS}*)*"  # a word, marks and all
    rf"|[{_MARKS}]+(?:{_LETTERS}+(?:[{_MARKS}]+{_LETTERS}*)*)?"  # the same opening on a mark,
    # or stray marks alone (they normalise to nothing)
    r"|\d+(?:[.,\u066b\u066c]\d+)*)"  # a number, with its thousands/decimal separators
)
_SPLIT_RE = re.compile(r"[^\W_]+")
# A stray mark between two words (kept in the gap so spans stay exact) is invisible: it
# neither joins nor separates them.
_DROP_MARKS = dict.fromkeys(code for low, high in _MARK_RANGES for code in range(low, high + 1))
# Any of these between two words ends a multi-word name; plain spaces and marks do not.
_SOFT_BREAKS = frozenset("،,")


@dataclass(frozen=True)
class Tokens:
    """A paragraph's words. Index i of every tuple describes the same word."""

    text: str
    words: tuple[str, ...]  # normalised (arabic.normalize), ASCII digits
    gaps: tuple[str, ...]  # the raw characters between word i-1 and word i
    raws: tuple[str, ...]  # each word as written; "" for later words of one split ligature

    @functools.cached_property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """Where each word is in `text`. Computed on demand: most paragraphs never ask."""
        raw_lengths = list(map(len, self.raws))
        ends = list(accumulate(map(add, map(len, self.gaps), raw_lengths)))
        if all(raw_lengths):  # the common case, without a Python loop per word
            return tuple(zip(map(sub, ends, raw_lengths), ends, strict=True))
        spans: list[tuple[int, int]] = []
        for end, length in zip(ends, raw_lengths, strict=True):
            # Later words of a ligature NFKC opened share its span.
            spans.append((end - length, end) if length else spans[-1])
        return tuple(spans)

    def __len__(self) -> int:
        return len(self.words)

    def joined(self, i: int) -> bool:
        """True when word i follows word i-1 with nothing but spacing between them."""
        gap = self.gaps[i]
        return i > 0 and (not gap or gap.isspace() or not gap.translate(_DROP_MARKS).strip())

    def soft_break(self, i: int) -> bool:
        """True when only a comma (and spacing) separates word i from word i-1."""
        gap = self.gaps[i].translate(_DROP_MARKS).strip()
        return bool(gap) and all(ch in _SOFT_BREAKS for ch in gap)

    def written(self, start: int, end: int) -> str:
        """Words start..end-1 exactly as written, with whatever lies between them."""
        return self.text[self.spans[start][0] : self.spans[end - 1][1]]


class WordCache(dict[str, T]):
    """`compute(word)`, remembered for each word of the vocabulary, for the extractors.

    News vocabulary repeats heavily, so most lookups hit; it also grows with the archive,
    so past `limit` words the table starts afresh. A dict whose misses compute: so
    `map(cache.__getitem__, words)` is one C loop that calls Python only for a new word.
    """

    def __init__(
        self, compute: Callable[[str], T], limit: int = 1 << 18, longest: int | None = None
    ) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit
        self.longest = longest  # longer keys are computed every time, never kept

    def __missing__(self, word: str) -> T:
        value = self.compute(word)
        if self.longest is not None and len(word) > self.longest:
            return value
        if len(self) >= self.limit:
            self.clear()
        self[word] = value
        return value


def _normalized_parts(raw: str) -> tuple[str, ...]:
    norm = normalize(raw)
    # NFKC can open a ligature into several words (ﷺ), or leave only marks behind.
    whole = norm.isalnum() or norm[:1].isdigit()
    return (norm,) if whole else tuple(_SPLIT_RE.findall(norm))


# Cached because news vocabulary repeats heavily; normalize() is the costly step.
_parts = WordCache(_normalized_parts)


def _single_word(raw: str) -> str:
    """The one word `raw` normalises to, or "" when it makes none or several."""
    parts = _parts[raw]
    return parts[0] if len(parts) == 1 else ""


_single = WordCache(_single_word)


def _piece_parts(piece: str) -> tuple[str, ...] | None:
    """`_TOKEN_RE.split(piece)`, or None when the piece is exactly one token (most are)."""
    parts = _TOKEN_RE.split(piece)
    return None if len(parts) == 3 and not parts[0] and not parts[2] else tuple(parts)


# Per space-separated piece of text, as written: news text is mostly bare words between
# single spaces, and a piece with punctuation attached («الناتو،») recurs like a word. A long
# piece is a text spaced some other way (no-break spaces, none at all): it recurs no more
# than its paragraph, so keeping it would only hold whole paragraphs in memory.
_pieces = WordCache(_piece_parts, longest=64)


def _split(text: str) -> list[str]:
    """`_TOKEN_RE.split(text)`: gap, word, gap, …, gap.

    Made from the text's space-separated pieces, since no token holds a space: splitting
    on " " and looking each piece up costs about half of running the regex over every
    character, and the pieces that are one bare word (nine in ten) are copied in runs,
    with no Python code per word. Only a piece with something besides one token in it (a
    comma, a bracket, two words joined by a hyphen) is spliced in word by word, from the
    split cached for that piece.
    """
    pieces = text.split(" ")
    found = list(map(_pieces.__getitem__, pieces))
    parts = [""]
    start = 0  # the first piece not yet in `parts`
    for k in compress(range(len(pieces)), found):
        _add_bare_words(parts, pieces, start, k)
        split = found[k]
        assert split is not None
        parts[-1] += " " + split[0] if k else split[0]
        parts.extend(split[1:])
        start = k + 1
    _add_bare_words(parts, pieces, start, len(pieces))
    return parts


def _add_bare_words(parts: list[str], pieces: list[str], start: int, stop: int) -> None:
    """Append pieces start..stop-1, each one bare word, after the space before each."""
    if stop > start:
        if start:
            parts[-1] += " "
        run = [" "] * (2 * (stop - start))
        run[0::2] = pieces[start:stop]
        run[-1] = ""
        parts.extend(run)


@functools.lru_cache(maxsize=256)
def tokenize(text: str) -> Tokens:
    """`text` as words. Cached briefly: entities, figures and tags each read the same paragraph."""
    parts = _split(text)
    gaps, raws = tuple(parts[0:-1:2]), tuple(parts[1::2])  # the last gap is nobody's
    # The common case, with no Python code per known word: each makes exactly one word.
    singles = tuple(map(_single.__getitem__, raws))
    if "" not in singles:
        return Tokens(text, singles, gaps, raws)
    found_parts = map(_parts.__getitem__, raws)
    words: list[str] = []
    gap_list: list[str] = []
    raw_list: list[str] = []
    carried = ""  # a token of marks only vanishes, but what separated it must not
    for gap, raw, found in zip(gaps, raws, found_parts, strict=True):
        if not found:
            carried += gap + raw
            continue
        for n, part in enumerate(found):
            words.append(part)
            gap_list.append(carried + gap if n == 0 else "")
            raw_list.append(raw if n == 0 else "")
        carried = ""
    return Tokens(text, tuple(words), tuple(gap_list), tuple(raw_list))
