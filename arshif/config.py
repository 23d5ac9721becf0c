"""Stage 0: load `site.yaml` once into a frozen SiteConfig.

Every key is checked here, with errors that name the file, the line and the key (and a
"did you mean" for misspelt keys), so no later stage ever sees an unvalidated setting.
Relative paths are resolved against the folder holding the config file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import BuildErrors, ConfigError, did_you_mean
from .gazetteer import Gazetteer, load_gazetteer
from .sources import decode_bytes
from .yamlutil import KeyPath, load_yaml

MONTH_STYLES = ("both", "levantine", "egyptian")
DIGIT_STYLES = ("western", "arabic-indic")
SLUG_POLICIES = ("arabic", "latin")

DEFAULT_FURNITURE_LINES = ("وردنا", "شارك", "شارك الخبر", "طباعة", "تابعونا", "اقرأ المزيد")
DEFAULT_FURNITURE_CUTOFF = (
    "يقرأون الآن",
    "يقرؤون الآن",
    "التعليقات",
    "اقرأ أيضا",
    "اقرأ أيضاً",
    "أخبار ذات صلة",
    "مواضيع ذات صلة",
)


@dataclass(frozen=True)
class SiteConfig:
    """Validated settings. Templates see it as `site`."""

    path: Path
    title: str = "أرشيف"
    description: str = ""
    base_url: str = ""
    language: str = "ar"
    articles_dir: Path = Path("articles")
    templates_dir: Path = Path("templates")
    static_dir: Path = Path("static")
    output_dir: Path = Path("_site")
    month_style: str = "both"
    digits: str = "western"
    timezone: str = "+00:00"  # the newsroom's UTC offset, for feed timestamps of date-only articles
    feed_entries: int = 20
    home_latest: int = 20
    per_page: int = 50
    words_per_minute: int = 180
    slug_policy: str = "arabic"
    # Loaded with the config, so its content (not just its path) is part of every cache key.
    gazetteer_path: Path | None = None
    gazetteer: Gazetteer | None = None
    furniture_lines: tuple[str, ...] = DEFAULT_FURNITURE_LINES
    furniture_cutoff: tuple[str, ...] = DEFAULT_FURNITURE_CUTOFF
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent


# key path -> (checker, SiteConfig field). A checker returns the clean value or raises
# ValueError with a message for the user.
Checker = Callable[[Any], Any]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__}")
    return value.strip()


def _choice(*choices: str) -> Checker:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {value!r}")
        return str(value)

    return check


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a whole number of at least 1, got {value!r}")
    return value


def _text_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError("expected a list of non-empty texts")
    return tuple(v.strip() for v in value)


def _base_url(value: Any) -> str:
    url = _text(value)
    if url and not (url.startswith(("http://", "https://")) and url.endswith("/")):
        raise ValueError(f"expected an absolute http(s) URL ending in '/', got {url!r}")
    return url


def _utc_offset(value: Any) -> str:
    text = _text(value)
    if not re.fullmatch(r"[+-](?:0\d|1[0-4]):[0-5]\d", text):
        raise ValueError(f"expected a UTC offset like +03:00, got {text!r}")
    return text


def _path(value: Any) -> Path:
    return Path(_text(value))


SCHEMA: dict[KeyPath, tuple[Checker, str]] = {
    ("title",): (_text, "title"),
    ("description",): (_text, "description"),
    ("base_url",): (_base_url, "base_url"),
    ("language",): (_text, "language"),
    ("paths", "articles"): (_path, "articles_dir"),
    ("paths", "templates"): (_path, "templates_dir"),
    ("paths", "static"): (_path, "static_dir"),
    ("paths", "output"): (_path, "output_dir"),
    ("dates", "months"): (_choice(*MONTH_STYLES), "month_style"),
    ("dates", "digits"): (_choice(*DIGIT_STYLES), "digits"),
    ("dates", "timezone"): (_utc_offset, "timezone"),
    ("feeds", "entries"): (_positive_int, "feed_entries"),
    ("home", "latest"): (_positive_int, "home_latest"),
    ("lists", "per_page"): (_positive_int, "per_page"),
    ("reading", "words_per_minute"): (_positive_int, "words_per_minute"),
    ("slugs", "policy"): (_choice(*SLUG_POLICIES), "slug_policy"),
    ("gazetteer",): (_path, "gazetteer_path"),
    ("furniture", "lines"): (_text_list, "furniture_lines"),
    ("furniture", "cutoff"): (_text_list, "furniture_cutoff"),
}
SECTIONS = {path[0] for path in SCHEMA if len(path) == 2}
# Sections owned by later stages (entities, search, …) register here and are validated there.
EXTENSION_SECTIONS: set[str] = set()


def load_config(path: Path) -> SiteConfig:
    """Read and validate the config file; a missing file gives the defaults."""
    path = path.resolve()
    if not path.exists():
        raise ConfigError(path, "config", "file not found")
    text = decode_bytes(path.read_bytes(), path)
    data, lines = load_yaml(text, path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path, "config", "expected a mapping of keys at the top level", 1)

    values: dict[str, Any] = {}
    errors: list[ConfigError] = []
    known_top = {p[0] for p in SCHEMA} | EXTENSION_SECTIONS
    for key, value in data.items():
        key = str(key)
        if key not in known_top:
            errors.append(
                ConfigError(
                    path, key, "unknown key", lines.get((key,)), did_you_mean(key, known_top)
                )
            )
            continue
        if key in EXTENSION_SECTIONS:
            continue
        if key in SECTIONS:
            if not isinstance(value, dict):
                errors.append(ConfigError(path, key, "expected a mapping", lines.get((key,))))
                continue
            known = {p[1] for p in SCHEMA if p[0] == key}
            for sub, sub_value in value.items():
                sub = str(sub)
                if sub not in known:
                    errors.append(
                        ConfigError(
                            path,
                            f"{key}.{sub}",
                            "unknown key",
                            lines.get((key, sub)),
                            did_you_mean(sub, known),
                        )
                    )
                    continue
                _check(path, (key, sub), sub_value, lines, values, errors)
        else:
            _check(path, (key,), value, lines, values, errors)
    if errors:
        raise BuildErrors(errors)
    extra = {k: data[k] for k in sorted(EXTENSION_SECTIONS) if k in data}
    config = SiteConfig(path=path, extra=extra, **values)
    return _load_gazetteer(_resolve_paths(config))


def _check(
    path: Path,
    key: KeyPath,
    value: Any,
    lines: dict[KeyPath, int],
    values: dict[str, Any],
    errors: list[ConfigError],
) -> None:
    checker, field_name = SCHEMA[key]
    try:
        values[field_name] = checker(value)
    except ValueError as err:
        errors.append(ConfigError(path, ".".join(key), str(err), lines.get(key)))


def _load_gazetteer(config: SiteConfig) -> SiteConfig:
    """Replace the configured gazetteer path by the validated gazetteer it names."""
    if config.gazetteer_path is None:
        return config
    return replace(config, gazetteer=load_gazetteer(config.root / config.gazetteer_path))


def _resolve_paths(config: SiteConfig) -> SiteConfig:
    root = config.root
    return replace(
        config,
        articles_dir=root / config.articles_dir,
        templates_dir=root / config.templates_dir,
        static_dir=root / config.static_dir,
        output_dir=root / config.output_dir,
    )


def default_config(root: Path) -> SiteConfig:
    """Settings for a folder with no site.yaml: every default, paths under `root`."""
    return _resolve_paths(SiteConfig(path=root.resolve() / "site.yaml"))


LOCK_NAME = "slugs.lock"


def lock_path(config: SiteConfig) -> Path:
    """`slugs.lock` beside site.yaml for the site's own articles folder. A build of another
    folder (`--articles DIR`) keeps its lock beside that folder, so it never rewrites the
    lock of the site's own articles."""
    if config.articles_dir.resolve() == (config.root / "articles").resolve():
        return config.root / LOCK_NAME
    folder = config.articles_dir.resolve()
    return folder.parent / f"{folder.name}.{LOCK_NAME}"
