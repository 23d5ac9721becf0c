"""Article bodies to safe HTML, and Markdown to plain-text blocks.

Article text is data, never markup: raw HTML in Markdown is escaped rather than passed
through, links with scripting schemes lose their target, and raw-text blocks are escaped
before they are wrapped. One Markdown converter per process is reused (`reset()` between
articles) because building one costs more than converting a typical news story.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html import escape
from urllib.parse import urlsplit

import markdown
from markdown.treeprocessors import Treeprocessor

from .model import Block

SAFE_SCHEMES = {"", "http", "https", "mailto"}


def blocks_to_html(blocks: tuple[Block, ...]) -> str:
    parts = []
    for block in blocks:
        text = escape(block.text, quote=False)
        if block.kind == "h2":
            parts.append(f"<h2>{text}</h2>")
        elif block.kind == "caption":
            parts.append(f'<p class="caption">{text}</p>')
        else:
            parts.append(f"<p>{text}</p>")
    return "\n".join(parts)


class _SafeTree(Treeprocessor):
    """Demote headings (the page's <h1> is the title) and drop unsafe link targets."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag in ("h1", "h2", "h3", "h4", "h5"):
                element.tag = f"h{int(element.tag[1]) + 1}"
            for attr in ("href", "src"):
                value = element.get(attr)
                if value is not None and not _is_safe_url(value):
                    del element.attrib[attr]


def _is_safe_url(url: str) -> bool:
    # Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
    compact = re.sub(r"[\x00-\x20]", "", url)
    try:
        scheme = urlsplit(compact).scheme.lower()
    except ValueError:
        return False
    return scheme in SAFE_SCHEMES


def _converter() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    # No raw HTML from article files: without these two, «<script>» would reach the page.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_SafeTree(md), "arshif_safe", 0)
    return md


_MD: markdown.Markdown | None = None


# Characters and line starts that mean Markdown syntax; a body without any of them is plain
# paragraphs, which is what most newsroom copy is.
_SYNTAX_RE = re.compile(r"[\\`*_\[\]<>#!|~&]|^\s*(?:[-+=]+|\d+[.)])(?:\s|$)|^[ \t]|[ \t]$", re.M)
_BLANK_LINES_RE = re.compile(r"\n[ \t]*\n")


def markdown_to_html(text: str) -> str:
    if not _SYNTAX_RE.search(text):
        # Same output as Python-Markdown for plain paragraphs, at a hundredth of the cost.
        paragraphs = (p.strip("\n") for p in _BLANK_LINES_RE.split(text.strip()))
        return "\n".join(f"<p>{p}</p>" for p in paragraphs if p.strip())
    return _full_markdown(text)


def _full_markdown(text: str) -> str:
    global _MD
    if _MD is None:
        _MD = _converter()
    _MD.reset()
    return str(_MD.convert(text))


_HEADING_RE = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_LIST_RE = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|_|`)")


def _plain(text: str) -> str:
    text = _IMAGE_RE.sub(r"\1", text)
    text = _LINK_RE.sub(r"\1", text)
    return " ".join(_EMPHASIS_RE.sub("", text).split())


def markdown_to_blocks(text: str) -> tuple[Block, ...]:
    """Plain-text paragraphs and headings of a Markdown body, for extraction and search."""
    blocks: list[Block] = []
    in_fence = False
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            plain = _plain(" ".join(paragraph))
            if plain:
                blocks.append(Block("p", plain))
            paragraph.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            in_fence = not in_fence
            flush()
            continue
        if in_fence:
            continue
        if not line:
            flush()
        elif m := _HEADING_RE.match(line):
            flush()
            blocks.append(Block("h2", _plain(m[1])))
        elif _LIST_RE.match(line):
            flush()
            paragraph.append(_LIST_RE.sub("", line))
            flush()
        else:
            paragraph.append(line.lstrip("> "))
    flush()
    return tuple(blocks)
