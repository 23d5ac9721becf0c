"""Stage 2: turn one `Source` into one `Article`.

Raw `.txt` news texts arrive as copied from a web page: a breadcrumb, the headline (sometimes
twice), a source line («بغداد اليوم- متابعة») or an inline dateline («إيلاف من لندن:»),
paragraphs, subheadings, photo captions and trailing site furniture. This module reads that
structure back out. Metadata follows one ladder, weakest first:

    what the text itself shows  <  the file name's date prefix  <  sidecar / front matter

so an editor can always correct extraction without touching the raw body.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from slugify import slugify

from .arabic import normalize, strip_tashkeel, transliterate
from .config import SiteConfig
from .dates import date_from_filename, find_own_date, parse_date_value
from .entities import EntityCount, candidate_names, find_entities
from .errors import SourceError, did_you_mean
from .figures import Figure, key_figures
from .markup import blocks_to_html, markdown_to_blocks, markdown_to_html
from .model import Article, Block
from .similar import PassageSignatures, passage_signatures
from .sources import Source
from .tags import cited_agencies, derive_tags

# The settings parse_article reads. A cached Article is reused only while these are unchanged
# (cache.py); tests/test_incremental.py fails when parsing reads a setting not listed here.
PARSE_SETTINGS = (
    "furniture_lines",
    "furniture_cutoff",
    "words_per_minute",
    "slug_policy",
    "gazetteer",
)

META_KEYS = ("title", "date", "source", "tags", "slug", "summary", "draft", "section", "dateline")

_FINAL_PUNCT = tuple(".!؟?:…\"”»'")
_ANY_PUNCT_RE = re.compile(r"[.،,:;؛!؟?\"“”«»()\[\]]")
# «بغداد اليوم- متابعة», «المدى - خاص»: an outlet name and how the piece was gathered.
_SOURCE_LINE_RE = re.compile(
    r"^(?P<source>[^\d:()\-–—]{2,40}?)\s*[-–—]\s*(?P<how>متابعة|متابعات|خاص|وكالات|تقرير)\s*$"
)
# «إيلاف من لندن: …»: outlet, city, then the lede.
_INLINE_DATELINE_RE = re.compile(
    r"^(?P<source>[^\s:()]{2,20}(?:\s[^\s:()]{2,20})?)\s+من\s+"
    r"(?P<city>[^\s:()]{2,20}(?:\s[^\s:()]{2,20})?)\s*:\s*"
)
# «بغداد (رويترز) - …»: city, wire agency, then the lede.
_AGENCY_DATELINE_RE = re.compile(
    r"^(?P<city>[^\s:()\-–—]{2,20}(?:\s[^\s:()\-–—]{2,20})?)\s*"
    r"\((?P<agency>[^()]{2,25})\)\s*[-–—:]\s*"
)
# «… (مكتبه)», «… (رويترز)»: a photo caption ends with its credit in brackets.
_CAPTION_RE = re.compile(r"\(\s*(?P<credit>[^()]{1,30}?)\s*\)\s*$")
_SENTENCE_END_RE = re.compile(r"(?<=[.!؟?])\s+")

HEADLINE_MAX_WORDS = 20
BREADCRUMB_MAX_WORDS = 3
SUBHEAD_MAX_WORDS = 7
TITLE_MAX_WORDS = 12
SUMMARY_MAX_CHARS = 280
# Words a shortened title must not end on: a dangling preposition or conjunction reads broken.
_WEAK_ENDINGS = {
    normalize(w)
    for w in ("في", "من", "على", "إلى", "الى", "عن", "مع", "و", "أو", "ثم", "أن", "إن", "بين",
              "حول", "لدى", "خلال", "بعد", "قبل", "حتى", "منذ", "عبر", "ضد", "التي", "الذي")
}  # fmt: skip


@dataclass(frozen=True)
class Parsed:
    article: Article
    warnings: tuple[SourceError, ...] = ()


def parse_article(source: Source, config: SiteConfig) -> Parsed:
    """Read one source into an Article; raise SourceError for invalid metadata."""
    meta, warnings = _check_meta(source)
    found = _read_markdown(source) if source.kind == "md" else _read_raw_text(source, config)

    date, published, date_origin = _choose_date(source, meta, found)
    title = meta.get("title") or found.title
    title_origin = "meta" if meta.get("title") else found.title_origin
    if not title:
        raise SourceError(source.path, "article has no text to take a title from", source.body_line)
    summary = meta.get("summary") or _summary(found.blocks)
    slug, slug_origin = _choose_slug(source, meta, title, config.slug_policy)
    words = sum(len(b.text.split()) for b in found.blocks if b.kind != "caption")
    outlet = meta.get("source") or found.source
    about = extract(title, found.blocks, outlet, config)
    article = Article(
        slug=slug,
        title=title,
        src=source.rel,
        date=date,
        published=published,
        source=outlet,
        dateline=meta.get("dateline") or found.dateline,
        section=meta.get("section") or found.section,
        tags=tuple(dict.fromkeys((*meta.get("tags", ()), *about.tags))),
        summary=summary,
        blocks=found.blocks,
        body_html=found.body_html,
        word_count=words,
        reading_minutes=max(1, round(words / config.words_per_minute)),
        draft=bool(meta.get("draft", False)),
        kind=source.kind,
        title_origin=title_origin,
        date_origin=date_origin,
        src_line=source.body_line,
        slug_line=source.meta_lines.get("slug", 1),
        slug_origin=slug_origin,
        digest=source.digest,
        entities=about.entities,
        figures=about.figures,
        cited=about.cited,
        candidates=about.candidates,
        passages=about.passages,
    )
    return Parsed(article, tuple(warnings))


@dataclass(frozen=True)
class _About:
    entities: tuple[EntityCount, ...] = ()
    tags: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    cited: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    passages: PassageSignatures = field(default_factory=PassageSignatures)


def extract(
    title: str, blocks: tuple[Block, ...], outlet: str | None, config: SiteConfig
) -> _About:
    """People, places, organisations, rule tags, cited agencies and key figures of one text,
    and the signatures its passages are matched on across the archive (similar.py)."""
    paragraphs = [b.text for b in blocks]
    passages = passage_signatures([b.text for b in blocks if b.kind != "caption"])
    # The headline often carries the story's number («حتى ٤ آلاف شخص»): paragraph 0 is it.
    figures = key_figures([title, *(b.text for b in blocks if b.kind != "caption")])
    cited = cited_agencies(paragraphs, exclude=(outlet,) if outlet else ())
    gazetteer = config.gazetteer
    if gazetteer is None:
        return _About(figures=figures, cited=cited, passages=passages)
    texts = [title, *paragraphs]
    entities = find_entities(texts, gazetteer)
    return _About(
        entities=entities,
        tags=derive_tags(paragraphs, title, entities, gazetteer.tag_rules),
        figures=figures,
        cited=cited,
        candidates=candidate_names(texts, gazetteer),
        passages=passages,
    )


# ---------------------------------------------------------------- metadata
def _check_meta(source: Source) -> tuple[dict[str, Any], list[SourceError]]:
    """Validate sidecar/front-matter keys and types; unknown keys warn, bad values fail."""
    where = source.meta_path or source.path
    clean: dict[str, Any] = {}
    warnings: list[SourceError] = []
    for key, value in source.meta.items():
        line = source.meta_lines.get(key)
        if key not in META_KEYS:
            warnings.append(
                SourceError(
                    where, f"unknown key '{key}' ignored", line, did_you_mean(key, META_KEYS)
                )
            )
            continue
        if value is None:
            continue
        if key == "tags":
            if isinstance(value, str):
                value = [t.strip() for t in re.split(r"[،,]", value)]
            if not isinstance(value, list) or not all(isinstance(t, str | int) for t in value):
                raise SourceError(where, "tags: expected a list of tags", line)
            clean[key] = tuple(dict.fromkeys(str(t).strip() for t in value if str(t).strip()))
        elif key == "draft":
            if not isinstance(value, bool):
                raise SourceError(where, f"draft: expected true or false, got {value!r}", line)
            clean[key] = value
        elif key == "date":
            try:
                clean[key] = parse_date_value(value)
            except ValueError as err:
                raise SourceError(where, f"date: {err}", line) from None
        elif key == "slug":
            slug = str(value).strip()
            if make_slug(slug) != slug:
                raise SourceError(
                    where,
                    f"slug: {slug!r} is not a valid slug",
                    line,
                    hint=f"try '{make_slug(slug)}'" if make_slug(slug) else None,
                )
            clean[key] = slug
        else:
            if not isinstance(value, str | int | float):
                raise SourceError(where, f"{key}: expected text", line)
            text = " ".join(str(value).split())
            if text:
                clean[key] = text
    return clean, warnings


def make_slug(text: str, policy: str = "arabic") -> str:
    """A slug per the site's policy, words joined by -.

    `arabic` keeps Arabic letters (NFC, no tashkeel, tatweel or ZWNJ); `latin` spells them
    in Latin letters (arabic.transliterate) for hosts and tools that mangle non-ASCII URLs.
    """
    cleaned = strip_tashkeel(text).replace("\u200c", "").replace("\u200d", "")
    if policy == "latin":
        return str(slugify(transliterate(cleaned), max_length=60, word_boundary=True))
    return str(slugify(cleaned, allow_unicode=True, max_length=60, word_boundary=True))


def _choose_slug(
    source: Source, meta: Mapping[str, Any], title: str, policy: str
) -> tuple[str, str]:
    """(slug, where it came from). The build may still replace a derived slug by the one
    recorded in slugs.lock or add a suffix on collision (slugs.assign_slugs)."""
    if meta.get("slug"):
        return meta["slug"], "meta"
    derived = make_slug(title, policy)
    if derived:
        return derived, "title"
    return make_slug(source.path.stem, policy) or "article", "filename"


@dataclass(frozen=True)
class _Found:
    """What reading the body itself revealed."""

    title: str
    title_origin: str
    blocks: tuple[Block, ...]
    body_html: str
    source: str | None = None
    dateline: str | None = None
    section: str | None = None
    date: dt.date | None = None


def _choose_date(
    source: Source, meta: Mapping[str, Any], found: _Found
) -> tuple[dt.date | None, dt.datetime | None, str]:
    if "date" in meta:
        day, moment = meta["date"]
        return day, moment, "meta"
    from_name = date_from_filename(source.path.name)
    if from_name is not None:
        return from_name, None, "filename"
    if found.date is not None:
        return found.date, None, "text"
    return None, None, ""


# ---------------------------------------------------------------- raw text
@dataclass
class _Line:
    text: str
    number: int


def _read_raw_text(source: Source, config: SiteConfig) -> _Found:
    lines = [
        _Line(" ".join(raw.split()), source.body_line + i)
        for i, raw in enumerate(source.body.split("\n"))
        if raw.strip()
    ]
    lines = _drop_furniture(lines, config)
    if not lines:
        raise SourceError(source.path, "article is empty", source.body_line)

    section = None
    if len(lines) >= 3 and _is_breadcrumb(lines[0].text) and _is_headline(lines[1].text):
        section = lines.pop(0).text

    outlet = dateline = None
    if lines and (m := _SOURCE_LINE_RE.match(lines[0].text)) and len(lines) > 1:
        outlet = m["source"].strip()
        lines.pop(0)

    headline = None
    if len(lines) >= 2 and _is_headline(lines[0].text):
        headline = lines.pop(0).text
        key = normalize(headline)
        lines = [ln for ln in lines if normalize(ln.text) != key]
    # A source line may also follow the headline.
    if lines and outlet is None and (m := _SOURCE_LINE_RE.match(lines[0].text)) and len(lines) > 1:
        outlet = m["source"].strip()
        lines.pop(0)

    if lines and (m := _INLINE_DATELINE_RE.match(lines[0].text)):
        outlet = outlet or m["source"]
        dateline = m["city"]
        lines[0] = _Line(lines[0].text[m.end() :], lines[0].number)
    elif lines and (m := _AGENCY_DATELINE_RE.match(lines[0].text)):
        dateline = m["city"]
        lines[0] = _Line(lines[0].text[m.end() :], lines[0].number)

    blocks = _classify(lines)
    if not any(b.kind == "p" for b in blocks):
        raise SourceError(source.path, "article has no paragraphs", source.body_line)
    title = headline or _title_from_lede(blocks)
    return _Found(
        title=title,
        title_origin="headline" if headline else "lede",
        blocks=blocks,
        body_html=blocks_to_html(blocks),
        source=outlet,
        dateline=dateline,
        section=section,
        date=find_own_date("\n".join(b.text for b in blocks)),
    )


def _drop_furniture(lines: list[_Line], config: SiteConfig) -> list[_Line]:
    remove = {normalize(t) for t in config.furniture_lines}
    cutoff = {normalize(t) for t in config.furniture_cutoff}
    kept: list[_Line] = []
    for line in lines:
        key = normalize(line.text).strip(" :.-–—")
        # A cut-off marker ("التعليقات") starts the page footer: nothing after it is the story.
        if key in cutoff and kept:
            break
        if key not in remove and key not in cutoff:
            kept.append(line)
    return kept


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_FINAL_PUNCT)


def _is_headline(text: str) -> bool:
    return (
        len(text.split()) <= HEADLINE_MAX_WORDS
        and len(text) <= 160
        and not _ends_sentence(text)
        and not _SOURCE_LINE_RE.match(text)
        and not _CAPTION_RE.search(text)
    )


def _is_breadcrumb(text: str) -> bool:
    return len(text.split()) <= BREADCRUMB_MAX_WORDS and not _ANY_PUNCT_RE.search(text)


def _classify(lines: list[_Line]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for i, line in enumerate(lines):
        text = line.text
        is_last = i == len(lines) - 1
        if _CAPTION_RE.search(text) and not _ends_sentence(text) and len(text.split()) > 3:
            blocks.append(Block("caption", text))
        elif (
            blocks
            and not is_last
            and len(text.split()) <= SUBHEAD_MAX_WORDS
            and not _ANY_PUNCT_RE.search(text)
        ):
            blocks.append(Block("h2", text))
        else:
            blocks.append(Block("p", text))
    return tuple(blocks)


def _first_sentence(text: str) -> str:
    return _SENTENCE_END_RE.split(text.strip(), maxsplit=1)[0]


def shorten(text: str, max_words: int) -> str:
    """Cut `text` at a word boundary, never ending on a dangling preposition, with an ellipsis."""
    words = text.split()
    if len(words) <= max_words:
        return text.strip()
    cut = words[:max_words]
    while len(cut) > 3 and normalize(cut[-1]).strip("،,") in _WEAK_ENDINGS:
        cut.pop()
    return " ".join(cut).rstrip("،,:؛;-–— ") + "…"


def _title_from_lede(blocks: tuple[Block, ...]) -> str:
    lede = next(b.text for b in blocks if b.kind == "p")
    sentence = _first_sentence(lede).rstrip(".!؟?:")
    return shorten(sentence, TITLE_MAX_WORDS)


def _summary(blocks: tuple[Block, ...]) -> str:
    lede = next((b.text for b in blocks if b.kind == "p"), "")
    if len(lede) <= SUMMARY_MAX_CHARS:
        return lede
    cut = lede[:SUMMARY_MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip("،,:؛;-–— ") + "…"


# ---------------------------------------------------------------- markdown
_MD_HEADING_RE = re.compile(r"^#\s+(.+?)\s*#*\s*$")


def _read_markdown(source: Source) -> _Found:
    body = source.body
    title = ""
    first = body.lstrip("\n").split("\n", 1)
    if first and (m := _MD_HEADING_RE.match(first[0])):
        # A leading "# Title" is the headline; keep it out of the body so it is not shown twice.
        title = m[1]
        body = first[1] if len(first) > 1 else ""
    blocks = markdown_to_blocks(body)
    if not blocks:
        raise SourceError(source.path, "article is empty", source.body_line)
    lede_title = _title_from_lede(blocks) if any(b.kind == "p" for b in blocks) else ""
    return _Found(
        title=title or lede_title,
        title_origin="markdown" if title else "lede",
        blocks=blocks,
        body_html=markdown_to_html(body),
        date=None,
    )
