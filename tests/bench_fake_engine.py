"""A stand-in for `build.py build`, with its command line, for testing bench/run.py only.

It is not an engine: one page per article file, an index and a search index, just enough for
the harness to measure. Like the real engine it writes only files whose bytes changed and
removes stale ones, so no-op and add-one rebuilds touch few files.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
from pathlib import Path


def plan(articles: Path) -> dict[str, bytes]:
    """Output path -> bytes for every article in the folder."""
    stems = sorted(p.stem for p in articles.iterdir() if p.suffix in (".md", ".txt"))
    pages = {
        f"articles/{stem}.html": f"<!DOCTYPE html><title>{html.escape(stem)}</title>".encode()
        for stem in stems
    }
    pages["index.html"] = f"<!DOCTYPE html><p>{len(stems)} articles</p>".encode()
    pages["search/index.json"] = json.dumps(stems).encode()
    return pages


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--config", type=Path)
    parser.add_argument("--clean", action="store_true")
    args = parser.parse_args()
    if args.clean:
        shutil.rmtree(args.out, ignore_errors=True)
    wanted = plan(args.articles)
    written = 0
    for rel, data in wanted.items():
        path = args.out / rel
        if path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    for path in list(args.out.rglob("*")):
        if path.is_file() and path.relative_to(args.out).as_posix() not in wanted:
            path.unlink()
    print(f"fake engine: {len(wanted)} files, {written} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
