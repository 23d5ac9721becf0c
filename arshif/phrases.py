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

from collections.abc import Iterable
from itertools import compress, repeat
from typing import NamedTuple

from arshif.arabic import clitic_forms, words
from arshif.tokens import Tokens, WordCache


class Match(NamedTuple):
    """One phrase found (a named tuple: made for every mention, so it must be cheap)."""

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
        self._forms = WordCache(self._first_forms, 200_000)  # per index

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._first.values())

    def match_at(self, tokens: Tokens, i: int) -> Match | None:
        """The longest phrase starting at word i, whole-word matches first."""
        found = tokens.words
        word = found[i]
        forms = self._forms[word]
        if not forms:
            return None  # the common case: no phrase starts with this word in any form
        best: tuple[int, str] | None = None
        for form in forms:
            # Entries are longest first: the first whose later words follow is the longest.
            # Written out here rather than through `_follows`: this runs for every mention.
            for rest, label in self._first[form]:
                end = i + 1 + len(rest)
                if rest and (
                    found[i + 1 : end] != rest or not all(map(tokens.joined, range(i + 1, end)))
                ):
                    continue
                if form == word:
                    return Match(label, i, end, stripped=False)  # a whole-word match wins
                if best is None or end > best[0]:
                    best = (end, label)
                break
        return None if best is None else Match(best[1], i, best[0], stripped=True)

    def scan(self, tokens: Tokens) -> list[Match]:
        """All non-overlapping matches, reading order, each the longest possible at its start."""
        found = tokens.words
        # Words that begin nothing are dropped in one pass at C speed (map and compress, no
        # Python code per word but a word the index has never seen).
        starts = compress(range(len(found)), map(self._forms.__getitem__, found))
        matches: list[Match] = []
        end = 0
        for i in starts:
            if i >= end and (match := self.match_at(tokens, i)) is not None:
                matches.append(match)
                end = match.end
        return matches

    def labels(self, tokens: Tokens) -> set[str]:
        """The labels of every phrase present, overlaps included.

        For tag rules: «مهمة التدريب» for one tag must not hide «التدريب» for another. The
        whole word still wins over its stripped forms at each position.
        """
        found_words, labels = tokens.words, set()
        all_forms = list(map(self._forms.__getitem__, found_words))
        for i in compress(range(len(found_words)), all_forms):
            for form in all_forms[i]:
                hits = [
                    label for rest, label in self._first[form] if self._follows(rest, tokens, i)
                ]
                labels.update(hits)
                if hits and form == found_words[i]:
                    break
        return labels

    @staticmethod
    def _follows(rest: tuple[str, ...], tokens: Tokens, i: int) -> bool:
        """True when the words after word i are `rest`, joined by nothing but spacing."""
        if not rest:  # most names are one word
            return True
        start = i + 1
        stop = start + len(rest)
        # Words first, in one tuple comparison; the gaps between them only for a hit.
        if tokens.words[start:stop] != rest:
            return False
        return all(map(tokens.joined, range(start, stop)))

    def _first_forms(self, word: str) -> tuple[str, ...]:
        """`word` and its clitic-stripped forms that begin some phrase, whole word first.

        Cached per word in `_forms`: most words begin nothing, and news vocabulary repeats.
        """
        return tuple(form for form in _naming_forms[word] if form in self._first)


def _forms_that_name(word: str) -> tuple[str, ...]:
    """`word` and each clitic-stripped form of it, as it can name something, whole word first."""
    stripped = map(_with_article, clitic_forms(word)[1:], repeat(word))
    return tuple(dict.fromkeys((word, *stripped)))


# One table for every index: each asks for the forms of every word it has not seen.
_naming_forms = WordCache(_forms_that_name)


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
