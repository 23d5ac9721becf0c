"""Input fingerprints: when two builds would render a page to the same bytes.

Used by pipeline.py's render loop: a page whose fingerprint equals the one its published
file was rendered from (the manifest in cache.py) is neither rendered nor rewritten. A
fingerprint hashes the engine key, every setting, the template globals, the page's URL and
template, the source of every template it pulls in (extends, import, include, followed
transitively) and a deterministic walk of its context. In that walk an Article stands for
itself by (slug, source path, source digest): every other field follows from its source and
the settings. Pages given as ready bytes are fingerprinted by their bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.meta

from .config import SiteConfig
from .model import Article
from .pages import Page
from .stamp import engine_key as engine_key  # re-exported for cache.py
from .write import bytes_fingerprint

if TYPE_CHECKING:
    from .cache import ResultMemo


def digest(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


class Unfingerprintable(TypeError):
    """A context value of a type the walk does not know: its page is always re-rendered."""


def encode(value: Any) -> str:
    """A deterministic text for `value`, equal whenever the value renders the same.

    An Article stands for itself by (slug, source path, source digest): everything else in it
    follows from its source and the settings, which the page fingerprint covers separately.
    Dataclasses, mappings (in their order, which templates see), sequences, sets, dates,
    text and numbers contribute their values.
    """
    out: list[str] = []
    _encode(value, out)
    return "".join(out)


def _encode(value: Any, out: list[str]) -> None:
    kind = type(value)
    if kind is str or isinstance(value, str):
        out.append(f"s{len(value)}:")
        out.append(value)
    elif kind is Article and value.digest:
        out.append(f"A{len(value.slug)}:{value.slug}{len(value.src)}:{value.src}{value.digest};")
    elif value is None or kind is bool:
        out.append(f"{value};")
    elif kind is int or kind is float:
        out.append(f"n{value!r};")
    elif isinstance(value, tuple | list | Mapping):
        items: Iterable[Any]
        if isinstance(value, tuple | list):
            items, close = value, ")"
            out.append("(")
        else:
            items, close = chain.from_iterable(value.items()), "}"
            out.append("{")
        # Lists of articles, of (name, url) pairs, counts and strings are most of what pages
        # hold: those items are written here, as `_encode` would, rather than by a call each
        # (17,000 pages made two million calls).
        for item in items:
            kind = type(item)
            if kind is str:
                out.append(f"s{len(item)}:")
                out.append(item)
            elif kind is Article and item.digest:
                out.append(f"A{len(item.slug)}:{item.slug}{len(item.src)}:{item.src}{item.digest};")
            elif kind is int:
                out.append(f"n{item!r};")
            elif item is None:
                out.append("None;")
            elif kind is tuple and len(item) == 2 and type(item[0]) is type(item[1]) is str:
                out.append(f"(s{len(item[0])}:{item[0]}s{len(item[1])}:{item[1]})")
            else:
                _encode(item, out)
        out.append(close)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(f"D{kind.__module__}.{kind.__qualname__}(")
        for f in dataclasses.fields(value):
            out.append(f.name)
            _encode(getattr(value, f.name), out)
        out.append(")")
    elif isinstance(value, dt.date | dt.time):  # datetime is a date; isoformat keeps the offset
        out.append(f"t{kind.__name__}{value.isoformat()};")
    elif isinstance(value, set | frozenset):
        out.append("<" + "".join(sorted(encode(item) for item in value)) + ">")
    elif isinstance(value, PurePath):
        out.append(f"p{value.as_posix()};")
    elif isinstance(value, enum.Enum):
        out.append(f"e{kind.__qualname__}.{value.name};")
    elif isinstance(value, bytes):
        out.append(f"b{hashlib.blake2b(value, digest_size=16).hexdigest()};")
    elif callable(value):
        # Functions and classes are code, covered by the engine key; their name suffices.
        name = getattr(value, "__qualname__", type(value).__qualname__)
        out.append(f"c{getattr(value, '__module__', '')}.{name};")
    else:
        raise Unfingerprintable(f"cannot fingerprint a {kind.__qualname__}")


def list_text(context: Mapping[str, Any]) -> str:
    """`encode` for the context of a list page (`Page.group`): its articles, under
    "articles", as the walk writes them; the rest (text, numbers, None, dates, pagers and
    tuples of them) by `repr`, which tells those apart as the walk does, at half its cost:
    the pages of the groups an addition changed (460 at 10,000 articles) are fingerprinted
    this way."""
    rest = {key: value for key, value in context.items() if key != "articles"}
    return encode(context["articles"]) + repr(rest)


def body_fingerprint(body: bytes) -> str:
    """The fingerprint of a page given as ready bytes (`Page.body`): by the bytes alone.
    (The search index's process tells its files current by it, `pipeline.search_index`.)"""
    return bytes_fingerprint(body)


class Fingerprints:
    """Input fingerprints of pages: two equal fingerprints render to equal bytes."""

    def __init__(
        self,
        config: SiteConfig,
        env: jinja2.Environment,
        engine: str,
        references: ResultMemo | None = None,
    ) -> None:
        """`references`: what each template source pulls in, kept across builds (it must be
        loaded, for forked renderers read it too)."""
        self.env = env
        self._templates: dict[str, str] = {}
        self._references = references
        self._referenced_by: dict[str, tuple[str | None, ...]] = {}  # by source hash
        self._every_template: str | None = None
        try:
            self._base: str | None = digest(engine, encode(config), encode(dict(env.globals)))
        except Unfingerprintable:
            self._base = None

    def of(self, page: Page) -> str | None:
        """The page's fingerprint, or None when it cannot be told (render it every time)."""
        if page.body is not None:
            return body_fingerprint(page.body)
        if self._base is None or page.template is None:
            return None
        if page.inputs is not None:
            inputs = f"I{page.inputs}"  # prefixed: never the walk of a context
        elif page.group is not None:
            inputs = f"L{list_text(page.context)}"
        else:
            try:
                inputs = encode(page.context)
            except Unfingerprintable:
                return None
        return digest(self._base, page.url, page.template, self.template(page.template), inputs)

    def group(self, key: str) -> str | None:
        """A group's key (`Page.group`) with the settings and every template: equal in two
        builds only when each page of the group renders the same in both. (Every template,
        not each page's own: a group holds pages of several, and templates seldom change.)"""
        if self._base is None:
            return None
        if self._every_template is None:
            self._every_template = digest(
                *(f"{name}:{self.template(name)}" for name in self.env.list_templates())
            )
        return digest(self._base, self._every_template, key)

    def template(self, name: str) -> str:
        """A hash of `name` and every template it pulls in."""
        if name not in self._templates:
            self._templates[name] = digest(*sorted(self._closure(name)))
        return self._templates[name]

    def _closure(self, name: str) -> Iterator[str]:
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            assert self.env.loader is not None
            try:
                source, _, _ = self.env.loader.get_source(self.env, current)
            except jinja2.TemplateNotFound:
                yield f"{current}:missing"  # appearing later must change the fingerprint
                continue
            key = digest(source)
            yield f"{current}:{key}"
            for reference in self._referenced(key, source):
                if reference is None:
                    # A name computed at render time could be any template.
                    todo.extend(self.env.list_templates())
                else:
                    todo.append(reference)

    def _referenced(self, key: str, source: str) -> tuple[str | None, ...]:
        """The templates `source` (hashed to `key`) pulls in. Parsing them took a tenth of a
        second of every incremental build, for templates that seldom change."""
        memo = self._references
        found = self._referenced_by.get(key)
        if found is None and memo is not None:
            found = memo.get(key)
        if found is None:
            try:
                found = tuple(jinja2.meta.find_referenced_templates(self.env.parse(source)))
            except jinja2.TemplateSyntaxError:
                found = ()  # rendering reports it with its line
            if memo is not None:
                memo[key] = found
        self._referenced_by[key] = found
        return found
