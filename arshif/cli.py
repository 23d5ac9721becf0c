"""Command line: `arshif [build | serve | new | check] …` (see `arshif COMMAND --help`).

Maps ArshifError to a message and exit code: 0 success, 1 invalid input (every error listed
as `path:line: message`), 2 bad usage. User input never produces a traceback. Each command's
module is imported only when that command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from .config import SiteConfig, default_config, load_config
from .errors import ArshifError, BuildErrors, SourceError
from .progress import NORMAL, QUIET, VERBOSE, Progress, print_report, shown
from .stamp import check_unchanged


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arshif", description="Build a right-to-left static archive from Arabic news texts."
    )
    commands = parser.add_subparsers(dest="command")

    build = commands.add_parser("build", help="build the site (the default command)")
    _site_options(build)
    build.add_argument("--out", type=Path, help="output folder (default: _site)")
    build.add_argument(
        "--clean", action="store_true", help="ignore the build cache: parse and render everything"
    )
    _verbosity_options(build)

    serve = commands.add_parser(
        "serve", help="build, serve on 127.0.0.1 and rebuild and reload pages on every change"
    )
    _site_options(serve)
    serve.add_argument("--out", type=Path, help="output folder (default: _site)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any)")
    _verbosity_options(serve)

    new = commands.add_parser("new", help="start a Markdown article with its front matter")
    new.add_argument("title", help="the article's title")
    new.add_argument("--source", help="the outlet that published it")
    new.add_argument("--date", help="its date, 2021-03-10 or ISO 8601 (default: today)")
    new.add_argument("--slug", help="its address (default: from the title, per slugs.policy)")
    _site_options(new)

    check = commands.add_parser("check", help="validate every input without writing the site")
    _site_options(check)
    _verbosity_options(check)
    return parser


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="site configuration (default: site.yaml)")
    parser.add_argument("--articles", type=Path, help="articles folder (default: articles)")


def _verbosity_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    group.add_argument(
        "-v", "--verbose", action="store_true", help="list every file written or removed"
    )


def _level(args: argparse.Namespace) -> int:
    return QUIET if args.quiet else VERBOSE if args.verbose else NORMAL


def load_site(args: argparse.Namespace) -> SiteConfig:
    """The config named on the command line, else ./site.yaml, else the defaults."""
    if args.config is not None:
        config = load_config(args.config)
    elif Path("site.yaml").exists():
        config = load_config(Path("site.yaml"))
    else:
        config = default_config(Path.cwd())
    if args.articles is not None:
        config = replace(config, articles_dir=args.articles.resolve())
    if getattr(args, "out", None) is not None:
        config = replace(config, output_dir=args.out.resolve())
    return config


def _run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    config = load_site(args)
    level = _level(args)
    # Before importing the pipeline: a rebuild with nothing changed ends here.
    seen: dict[str, str] = {}
    stamp, report = check_unchanged(config, args.clean, started, seen)
    if report is None:
        from .pipeline import build

        report = build(config, clean=args.clean, progress=Progress(level), stamp=stamp,
                       retain=_RETAINED, seen=seen)  # fmt: skip
    print_report(report, config, level)
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(lambda: load_site(args), port=args.port, level=_level(args))


def _run_new(args: argparse.Namespace) -> int:
    from .scaffold import create_article

    path = create_article(load_site(args), args.title, args.source, args.date, args.slug)
    print(f"created {shown(path)}: write the article below its front matter")
    return 0


def _run_check(args: argparse.Namespace) -> int:
    from .check import run_check

    try:
        config = load_site(args)
    except BuildErrors as err:  # site.yaml itself: reported in the same form as the rest
        for error in err.errors:
            print(error.leveled("error") if isinstance(error, SourceError) else f"error: {error}")
        return 1
    level = _level(args)
    return run_check(config, print, quiet=level == QUIET, progress=Progress(level))


# What builds made, kept until the process exits (`run`): see pipeline.build.
_RETAINED: list[object] | None = None

COMMANDS = {"build": _run_build, "serve": _run_serve, "new": _run_new, "check": _run_check}


def run() -> NoReturn:
    """`main` as a program: exits without tearing the interpreter down. A build holds every
    article and page until it ends, and freeing them one by one took half a second of a
    10,000-article rebuild, for memory the operating system takes back at once. Everything
    that must reach the disk is written and closed before `main` returns."""
    global _RETAINED
    _RETAINED = []
    code = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        raise SystemExit(code)  # a profiler or coverage run writes its results at exit
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]
    args = _parser().parse_args(argv)
    try:
        if args.command in COMMANDS:
            return COMMANDS[args.command](args)
        _parser().print_help()
        return 2
    except BuildErrors as err:
        for error in err.errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"arshif: {len(err.errors)} error(s); nothing was published", file=sys.stderr)
        return err.exit_code
    except ArshifError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except OSError as err:
        print(f"error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 1
