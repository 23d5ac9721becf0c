"""Stage 1: find article files and read them into `Source` records.

Hands on decoded text only: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1256,
normalised to NFC with `\\n` line ends. Metadata is read but not interpreted here: front
matter for `.md`, and for raw `.txt` an optional sidecar `NAME.yaml` beside `NAME.txt`, so a
raw text is never edited to give it a date or a source.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SourceError
from .yamlutil import load_yaml

ARTICLE_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md"}
SIDECAR_SUFFIXES = (".yaml", ".yml")

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTER_RE = re.compile(r"[A-Za-z]")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Source:
    """One article as read from disk, before any interpretation."""

    path: Path  # absolute path of the article file
    rel: str  # path relative to the articles folder, with '/' separators
    kind: str  # "txt" or "md"
    body: str  # decoded text without front matter
    body_line: int  # line of the file on which `body` starts (1-based)
    meta: Mapping[str, Any] = field(default_factory=dict)
    meta_path: Path | None = None  # where `meta` came from: the sidecar, or the file itself
    meta_lines: Mapping[str, int] = field(default_factory=dict)
    digest: str = ""  # hash of every byte this article was read from


def decode_bytes(data: bytes, path: Path | str) -> str:
    """Decode a text file the way Arabic newsrooms save them, or raise naming file and line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise SourceError(path, f"invalid UTF-16 text ({err.reason})") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            text = _decode_windows_1256(data, path, err)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise SourceError(
            path,
            f"control character U+{ord(bad.group()):04X} in text; is this a binary file?",
            line,
        )
    return unicodedata.normalize("NFC", text)


def _decode_windows_1256(data: bytes, path: Path | str, err: UnicodeDecodeError) -> str:
    # Every byte is defined in Windows-1256, so decoding never fails: accept it only when
    # the result reads as Arabic, otherwise report where UTF-8 broke.
    text = data.decode("cp1256")
    arabic = len(_ARABIC_LETTER_RE.findall(text))
    latin = len(_LATIN_LETTER_RE.findall(text))
    if arabic >= 20 and arabic > latin:
        return text
    line = data.count(b"\n", 0, err.start) + 1
    raise SourceError(
        path,
        f"cannot decode byte 0x{data[err.start]:02x}: not UTF-8, and not Arabic Windows-1256 text",
        line,
        hint="save the file as UTF-8",
    )


@dataclass(frozen=True)
class SourceFile:
    """An article file found on disk, not yet read: enough to tell whether it changed."""

    path: Path
    rel: str  # relative to the articles folder, with '/' separators
    sidecars: tuple[Path, ...] = ()  # NAME.yaml / NAME.yml beside a raw NAME.txt


def list_sources(articles_dir: Path) -> tuple[list[SourceFile], list[SourceError]]:
    """Every article file under `articles_dir`, in a stable order, without reading any."""
    if not articles_dir.is_dir():
        return [], [SourceError(articles_dir, "articles folder not found")]
    found: list[SourceFile] = []
    errors: list[SourceError] = []
    # Plain strings rather than Path objects: this runs over every file on every build.
    for dirpath, dirnames, filenames in os.walk(articles_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        names = sorted(n for n in filenames if not n.startswith("."))
        present = set(names)
        folder = Path(dirpath)
        prefix = folder.relative_to(articles_dir).as_posix() + "/" if folder != articles_dir else ""
        for name in names:
            stem, dot, ext = name.rpartition(".")
            suffix = (dot + ext).lower() if dot else ""
            if suffix in SIDECAR_SUFFIXES:
                if f"{stem}.txt" not in present and f"{stem}.TXT" not in present:
                    errors.append(
                        SourceError(
                            folder / name,
                            "metadata file has no article beside it",
                            hint=f"expected {stem}.txt",
                        )
                    )
                continue
            kind = ARTICLE_SUFFIXES.get(suffix)
            if kind is None:
                continue
            sidecars: tuple[Path, ...] = ()
            if kind == "txt":
                sidecars = tuple(folder / f"{stem}{s}" for s in SIDECAR_SUFFIXES
                                 if f"{stem}{s}" in present)  # fmt: skip
            found.append(SourceFile(folder / name, prefix + name, sidecars))
    return found, errors


def find_sources(articles_dir: Path) -> tuple[list[Source], list[SourceError]]:
    """Read every article under `articles_dir`, in a stable order, collecting all errors."""
    files, errors = list_sources(articles_dir)
    sources: list[Source] = []
    for file in files:
        try:
            sources.append(read_source(file.path, articles_dir))
        except SourceError as err:
            errors.append(err)
    return sources, errors


def read_source(file: Path, articles_dir: Path) -> Source:
    data = file.read_bytes()
    digest = hashlib.sha256(data)
    text = decode_bytes(data, file)
    rel = file.relative_to(articles_dir).as_posix()
    kind = ARTICLE_SUFFIXES[file.suffix.lower()]
    if kind == "md":
        meta, meta_lines, body, body_line = split_front_matter(text, file)
        meta_path: Path | None = file if meta else None
    else:
        meta, meta_lines, body, body_line = {}, {}, text, 1
        meta_path = None
        for suffix in SIDECAR_SUFFIXES:
            sidecar = file.with_suffix(suffix)
            if sidecar.exists():
                raw = sidecar.read_bytes()
                digest.update(b"\0sidecar\0" + raw)
                meta, meta_lines = _read_mapping(decode_bytes(raw, sidecar), sidecar, 1)
                meta_path = sidecar
                break
    return Source(
        path=file,
        rel=rel,
        kind=kind,
        body=body,
        body_line=body_line,
        meta=meta,
        meta_path=meta_path,
        meta_lines=meta_lines,
        digest=digest.hexdigest(),
    )


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], dict[str, int], str, int]:
    """Split `---` YAML front matter from a Markdown body."""
    if not text.startswith("---") or text.split("\n", 1)[0].strip() != "---":
        return {}, {}, text, 1
    end = _FRONT_MATTER_END.search(text, len(text.split("\n", 1)[0]) + 1)
    if end is None:
        raise SourceError(
            path,
            "front matter is not closed",
            1,
            hint="did you forget the closing '---'?",
        )
    block = text[text.index("\n") + 1 : end.start()]
    meta, lines = _read_mapping(block, path, 2)
    body_start = end.end() + 1
    body_line = text.count("\n", 0, body_start) + 1
    return meta, lines, text[body_start:], body_line


def _read_mapping(text: str, path: Path, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    data, lines = load_yaml(text, path, first_line)
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise SourceError(path, "metadata must be a mapping of 'key: value' lines", first_line)
    return (
        {str(k): v for k, v in data.items()},
        {path_[0]: line for path_, line in lines.items() if len(path_) == 1},
    )
