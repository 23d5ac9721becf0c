"""MinHash signatures of an article's passages, as numpy array operations.

The per-article half of similar.py's shared-text search: given the hashes of an article's
words and where each passage starts and stops, the passages' distinct shingle hashes
(sorted) and their LSH band keys. One call covers every passage of the article, since a
Python loop over 48 bins per passage cost more than all the rest of extraction together.
Imported only when an article is parsed: numpy takes a tenth of a second to import.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from arshif.similar import BINS, ROWS, SHINGLE_WORDS

# Shingle hash of words (a, b, c): a*K1 ^ b*K2 ^ c*K3 mod 2**64. Each word hash is uniform
# over 64 bits and each multiplier odd, so every product is uniform and so is their XOR:
# the bins (low bits) and minima (high bits) MinHash reads are as random as the words'
# own hashes. The multipliers differ, so the order of the words matters.
_K1, _K2, _K3 = (np.uint64(k) for k in (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB))
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(0xD6E8FEB86659FD93)  # odd: distinct distances shift by distinct amounts
_EMPTY = np.iinfo(np.uint64).max  # np.iinfo costs more than the np.full it would fill


def _band_keys(values: np.ndarray, passage: np.ndarray, count: int) -> np.ndarray:
    """BANDS 32-bit keys for each of `count` passages; `values[i]` is a shingle hash of
    passage `passage[i]`.

    One-permutation MinHash: each value goes to bin (value mod BINS) of its passage and a
    bin keeps its minimum, instead of BINS passes of classic MinHash. An empty bin borrows
    the next non-empty bin's value to its right, circularly, shifted by the distance
    ("densification by rotation", Shrivastava and Li 2014), which keeps P(two signatures
    agree in a bin) equal to the Jaccard similarity; the shift keeps a borrowed value from
    equalling a true minimum. Returned flat, passage by passage.
    """
    size = count * BINS
    slots = passage * BINS + (values % np.uint64(BINS)).astype(np.intp)
    signature = np.full(size, _EMPTY, dtype=np.uint64)
    np.minimum.at(signature, slots, values)
    filled = np.zeros(size, dtype=bool)
    filled[slots] = True
    position = np.arange(size)
    # The nearest filled bin at or after each bin, all passages end to end: a running
    # minimum from the right. Where that lies past the passage's last bin, the passage
    # wraps around to its own first filled bin (every passage has at least one).
    nearest = np.minimum.accumulate(np.where(filled, position, size)[::-1])[::-1]
    first_bin = position - position % BINS
    nearest = np.where(nearest < first_bin + BINS, nearest, nearest[first_bin])
    distance = ((nearest - position) % BINS).astype(np.uint64)
    borrowed = signature[nearest] + distance * _SHIFT
    # 32 bits of a product per band: a collision only adds a candidate, which verification
    # then rejects, and the arrays of a large archive stay half the size.
    return (borrowed[0::ROWS] * _BAND_MIX ^ borrowed[1::ROWS]) >> np.uint64(32)


def passage_minhash(
    hashes: Sequence[int], starts: Sequence[int], stops: Sequence[int]
) -> tuple[bytes, bytes, list[int]]:
    """(band keys as uint32, distinct shingle hashes as uint64, offsets) of each passage.

    Passage i is words starts[i]..stops[i]-1 of `hashes`; its BANDS keys and its sorted
    shingles come passage by passage, and offsets[i] is where passage i's shingles end.
    """
    words = np.array(hashes, dtype=np.uint64)
    # Shingle i covers words i..i+2 (hashed as explained above); a passage of n words holds
    # the n - 2 that lie inside it, so none runs across a sentence or paragraph boundary.
    shingles = words[:-2] * _K1 ^ words[1:-1] * _K2 ^ words[2:] * _K3
    opening = np.array(starts)
    lengths = np.array(stops) - opening - (SHINGLE_WORDS - 1)
    passage = np.repeat(np.arange(len(starts)), lengths)
    # Positions of every passage's shingles, end to end (windows overlap, so some twice).
    ends = np.cumsum(lengths)
    positions = np.arange(ends[-1]) + np.repeat(opening - (ends - lengths), lengths)
    values = shingles[positions]
    # By passage, then ascending value. Two sorts, the second stable, cost a third of one
    # np.lexsort on these sizes: passage numbers fit 16 bits, which numpy sorts by radix.
    order = np.argsort(values)
    narrow = np.uint16 if len(starts) <= 1 << 16 else np.uint32
    order = order[np.argsort(passage[order].astype(narrow), kind="stable")]
    values, passage = values[order], passage[order]
    distinct = np.ones(len(values), dtype=bool)
    distinct[1:] = (values[1:] != values[:-1]) | (passage[1:] != passage[:-1])
    values, passage = values[distinct], passage[distinct]
    band_keys = _band_keys(values, passage, len(starts))
    offsets = np.cumsum(np.bincount(passage, minlength=len(starts)))
    return band_keys.astype(np.uint32).tobytes(), values.tobytes(), offsets.tolist()
