"""Phrase matching: Arabic-aware lookup of known multi-word phrases in tokenised text.

The one place that decides whether a phrase occurs at a word. The gazetteer compiles its
names into a `PhraseIndex` once; entity counting, tag rules, agency citations and the
candidate-name finder all scan `tokens.Tokens` through it. Hands on `Match`es: a label (an
entity id, a tag, …) and the word span it covers.

Rules, in the order they are applied:
* words compare in `arabic.normalize` form, so hamza, ta marbuta, alef maqsura, tashkeel,
  tatweel and digit shapes never matter;
* only a phrase's first word may carry attached clitics (و ف ب ك ل, ال, لل, وال, بال …):
  «لحلف شمال الأطلسي», «وبغداد»; the others must match whole. The article stays with the
  noun: «وبالعراق» finds «العراق», and «السورية» (Syrian) never finds «سورية» (Syria);
* the word as written is tried before any clitic is stripped, and a whole-word match wins
  outright: «بغداد» is Baghdad, never ب + «غداد»; «البغدادي» is nobody, never «بغداد»;
* the longest phrase wins, and matches never overlap (scanned in reading order).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat

from arshif.arabic import clitic_forms, words
from arshif.tokens import Tokens

# The stripped-form cache is per index and keyed by vocabulary, which grows with the
# archive; past this size it is simply started afresh.
_MAX_CACHED_WORDS = 200_000


@dataclass(frozen=True, slots=True)
class Match:
    label: str
    start: int  # first word index
    end: int  # one past the last word
    stripped: bool  # the first word matched only after removing an attached clitic


class PhraseIndex:
    """Phrases compiled once into {normalised first word: [(other words, label)], longest first}."""

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        """`phrases` are (phrase as written, label). The first label given for a phrase wins."""
        table: dict[str, dict[tuple[str, ...], str]] = {}
        for phrase, label in phrases:
            phrase_words = words(phrase)
            if phrase_words:
                table.setdefault(phrase_words[0], {}).setdefault(tuple(phrase_words[1:]), label)
        self._first: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
            first: tuple(sorted(rests.items(), key=lambda item: (-len(item[0]), item[0])))
            for first, rests in table.items()
        }
        self._stripped_cache: dict[str, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._first.values())

    def match_at(self, tokens: Tokens, i: int) -> Match | None:
        """The longest phrase starting at word i, whole-word matches first."""
        hit = self._longest(self._first.get(tokens.words[i]), tokens, i)
        if hit is not None:
            return Match(hit[1], i, hit[0], stripped=False)
        best: tuple[int, str] | None = None
        for form in self._stripped_forms(tokens.words[i]):
            hit = self._longest(self._first[form], tokens, i)
            if hit is not None and (best is None or hit[0] > best[0]):
                best = hit
        return None if best is None else Match(best[1], i, best[0], stripped=True)

    def scan(self, tokens: Tokens) -> Iterator[Match]:
        """All non-overlapping matches, reading order, each the longest possible at its start."""
        i, n = 0, len(tokens.words)
        while i < n:
            match = self.match_at(tokens, i)
            if match is None:
                i += 1
            else:
                yield match
                i = match.end

    def _longest(
        self, entries: tuple[tuple[tuple[str, ...], str], ...] | None, tokens: Tokens, i: int
    ) -> tuple[int, str] | None:
        if not entries:
            return None
        found = tokens.words
        for rest, label in entries:  # longest first
            end = i + 1 + len(rest)
            if end > len(found):
                continue
            if all(
                found[i + 1 + j] == word and tokens.joined(i + 1 + j) for j, word in enumerate(rest)
            ):
                return end, label
        return None

    def _stripped_forms(self, word: str) -> tuple[str, ...]:
        """The clitic-stripped forms of `word` that begin some phrase (cached: most miss)."""
        forms = self._stripped_cache.get(word)
        if forms is None:
            if len(self._stripped_cache) >= _MAX_CACHED_WORDS:
                self._stripped_cache.clear()
            forms = tuple(
                dict.fromkeys(
                    form
                    for form in map(_with_article, clitic_forms(word)[1:], repeat(word))
                    if form in self._first
                )
            )
            self._stripped_cache[word] = forms
        return forms


def _with_article(form: str, word: str) -> str:
    """`form` as it can name something: with its «ال» when the stripped prefix carried one.

    The article belongs to the noun: «وبالعراق» is و + ب + «العراق», and «السورية» is the
    adjective "Syrian", never ال + «سورية» (Syria), so a prefix ending in ال or لل gives
    back ال + stem, never the bare stem.
    """
    if not word.endswith(form):
        return form  # clitic_forms already restored the article of «للناتو»
    prefix = word[: len(word) - len(form)]
    return "ال" + form if prefix.endswith(("ال", "لل")) else form
