"""Stage 5: render planned pages through the site's Jinja templates.

One environment per process: autoescape always on (article text can never become markup),
StrictUndefined (a typo in a template fails the build instead of printing nothing), and the
Arabic filters templates need: `arabic_date`, `arabic_month`, `num`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from markupsafe import Markup

from . import publishing
from .arabic import to_arabic_digits
from .config import SiteConfig
from .dates import format_date, format_month, format_number, month_name
from .errors import ArshifError, SourceError, display_path
from .pages import Page

_AR = Locale("ar")
# Arabic counts agree with their noun in six CLDR plural categories; {n} is the number.
NOUNS: dict[str, dict[str, str]] = {
    "article": {"zero": "لا مقالات", "one": "مقال واحد", "two": "مقالان",
                "few": "{n} مقالات", "many": "{n} مقالًا", "other": "{n} مقال"},
    "minute": {"zero": "أقل من دقيقة", "one": "دقيقة واحدة", "two": "دقيقتان",
               "few": "{n} دقائق", "many": "{n} دقيقة", "other": "{n} دقيقة"},
    "page": {"zero": "لا صفحات", "one": "صفحة واحدة", "two": "صفحتان",
             "few": "{n} صفحات", "many": "{n} صفحة", "other": "{n} صفحة"},
    "time": {"zero": "ولا مرة", "one": "مرة واحدة", "two": "مرتين",
             "few": "{n} مرات", "many": "{n} مرة", "other": "{n} مرة"},
    "word": {"zero": "لا كلمات", "one": "كلمة واحدة", "two": "كلمتان",
             "few": "{n} كلمات", "many": "{n} كلمة", "other": "{n} كلمة"},
}  # fmt: skip


@functools.lru_cache(maxsize=4096)  # list pages ask for the same few counts thousands of times
def arabic_count(n: int, noun: str, digits: str = "western") -> str:
    """«مقال واحد», «مقالان», «5 مقالات», «11 مقالًا», «100 مقال»."""
    form = NOUNS[noun][_AR.plural_form(n)]
    return form.format(n=format_number(n, digits))


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates as Jinja compiled them, kept between builds: each render worker compiled the
    templates it used afresh, a tenth of a second of an addition at 10,000 articles. Jinja
    checks each file against its template's source; the file names carry `engine`, whose key
    covers the environment's options and Jinja's version."""

    def __init__(self, directory: Path, engine: str) -> None:
        super().__init__(str(directory), f"{engine}-%s.cache")

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with suppress(OSError):  # a full disk or a read-only folder: compiled again next time
            super().dump_bytecode(bucket)


class Renderer:
    def __init__(
        self,
        config: SiteConfig,
        assets: Mapping[str, str] | None = None,
        extra_globals: dict[str, Any] | None = None,
        compiled: CompiledTemplates | None = None,
    ) -> None:
        self.config = config
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(config.templates_dir)),
            bytecode_cache=compiled,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        style, digits = config.month_style, config.digits
        self.env.filters.update(
            arabic_date=lambda d: format_date(d, style, digits) if d else "",
            arabic_month=lambda ym: format_month(ym[0], ym[1], style, digits),
            month_name=lambda m: month_name(m, style),
            num=lambda n: format_number(int(n), digits),
            count=lambda n, noun: arabic_count(int(n), noun, digits),
            figure=lambda v: (
                format_number(int(v), digits)
                if float(v).is_integer()
                else _digits_of(f"{v:g}", digits)
            ),
            iso=_iso,
            # `{{ url|rel(page) }}` rather than `{{ page.rel(url) }}`: Jinja calls a filter
            # directly but routes a method call through Context.call, which cost more than
            # the link itself, and list pages make a link per item.
            rel=_rel,
            safe_html=Markup,
            absolute=lambda url: publishing.absolute(config, url),
            atom_date=lambda a: publishing.rfc3339(publishing.timestamp(config, a)),
            rss_date=lambda a: publishing.rfc822(publishing.timestamp(config, a)),
            entry_id=lambda a: publishing.entry_id(config, a),
            jsonld=jsonld,
        )
        asset_names = dict(assets or {})
        self.env.globals.update(
            site=config,
            # A template names "static/style.css"; the page links its content-hashed copy.
            asset=lambda rel: asset_names.get(rel, rel),
            # Not used by templates directly: as a plain value among the globals it enters every
            # page's fingerprint, so a changed stylesheet re-renders the pages that link it.
            asset_names=asset_names,
            **(extra_globals or {}),
        )

    def render(self, page: Page) -> bytes:
        if page.body is not None:
            return page.body
        assert page.template is not None, page.url
        try:
            template = self.env.get_template(page.template)
            html = template.render(page=page, **page.context)
        except jinja2.TemplateNotFound as err:
            raise ArshifError(
                f"{self.config.templates_dir / str(err.name)}: template not found "
                f"(needed for {page.url})"
            ) from None
        except jinja2.TemplateSyntaxError as err:
            raise SourceError(err.filename or page.template, f"template error: {err.message}",
                              err.lineno) from None  # fmt: skip
        except jinja2.UndefinedError as err:
            raise ArshifError(
                f"{page.template}: {err.message} (while rendering {page.url})"
            ) from None
        except Exception as err:  # a filter or test meeting a value it cannot take
            raise ArshifError(
                f"{_template_location(err, self.config) or page.template}: "
                f"{type(err).__name__}: {err} (while rendering {page.url})"
            ) from None
        return html.encode("utf-8")


def jsonld(data: Any) -> Markup:
    """JSON for a `<script type="application/ld+json">`; `<` is escaped so that no text in it
    can close the script element."""
    text = json.dumps(_pruned(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _pruned(data: Any) -> Any:
    """Drop keys whose value is None or empty, so templates can list optional properties."""
    if isinstance(data, Mapping):
        pruned = {k: _pruned(v) for k, v in data.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(data, list | tuple):
        return [_pruned(v) for v in data]
    return data


def _template_location(err: Exception, config: SiteConfig) -> str | None:
    """`templates/x.html:LINE` of the innermost template frame: Jinja rewrites tracebacks so
    that template code shows under the template's own file name and line."""
    folder = str(config.templates_dir)
    found = None
    tb = err.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(folder):
            found = f"{display_path(Path(filename))}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _digits_of(text: str, digits: str) -> str:
    return to_arabic_digits(text) if digits == "arabic-indic" else text


def _rel(target: str, page: Page) -> str:
    return page.rel(target)


@functools.lru_cache(maxsize=1 << 14)  # like arabic_date, once per article and not per list
def _iso(value: dt.date | dt.datetime | None) -> str:
    """The machine-readable form for `<time datetime>`."""
    if value is None:
        return ""
    return value.isoformat()
